// Go's pc-value tables (runtime.pclntab) in a GOOS=plan9 GOARCH=386 a.out,
// for backtraces and line numbers. Layout of Go 1.18 and later
// (runtime/symtab.go pcHeader and _func, cmd/link/internal/ld/pcln.go):
// magic 0xfffffff0 (1.18, 1.19) or 0xfffffff1 (1.20 and later, which adds
// _func.startLine after the fields read here). Older tables give null.

import type { Aout } from '../aout.ts';
import { HDRSZ, UTZERO } from '../aout.ts';

export interface GoFunc {
  name: string;
  entry: number;
  /** End of the function's code (the next function's entry). */
  end: number;
  /** Offsets of its pc-value tables in pctab. */
  pcsp: number;
  pcfile: number;
  pcln: number;
  cu: number;
}

export class Pclntab {
  readonly funcs: GoFunc[] = [];
  private readonly b: Uint8Array;
  private readonly dv: DataView;
  private readonly minLC: number;
  private readonly funcnametab: number;
  private readonly cutab: number;
  private readonly filetab: number;
  private readonly pctab: number;

  private constructor(b: Uint8Array) {
    this.b = b;
    const dv = (this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength));
    this.minLC = b[6]!;
    const nfunc = dv.getUint32(8, true);
    const textStart = dv.getUint32(16, true);
    this.funcnametab = dv.getUint32(20, true);
    this.cutab = dv.getUint32(24, true);
    this.filetab = dv.getUint32(28, true);
    this.pctab = dv.getUint32(32, true);
    const pcln = dv.getUint32(36, true);
    for (let i = 0; i < nfunc; i++) {
      const entry = textStart + dv.getUint32(pcln + 8 * i, true);
      const end = textStart + dv.getUint32(pcln + 8 * (i + 1), true);
      const f = pcln + dv.getUint32(pcln + 8 * i + 4, true);
      const nameoff = dv.getInt32(f + 4, true);
      this.funcs.push({
        name: this.cstring(this.funcnametab + nameoff),
        entry, end,
        pcsp: dv.getUint32(f + 16, true),
        pcfile: dv.getUint32(f + 20, true),
        pcln: dv.getUint32(f + 24, true),
        cu: dv.getUint32(f + 32, true),
      });
    }
  }

  /** The table of a Go a.out, or null when it has none this reader knows. */
  static of(a: Aout): Pclntab | null {
    const sym = a.syms.find((s) => s.name === 'runtime.pclntab');
    const esym = a.syms.find((s) => s.name === 'runtime.epclntab');
    if (!sym || !esym) return null;
    // The linker puts it after the code, in the text segment.
    const off = sym.value - (UTZERO + HDRSZ);
    if (off < 0 || esym.value - (UTZERO + HDRSZ) > a.text.length) return null;
    const b = a.text.subarray(off, esym.value - (UTZERO + HDRSZ));
    if (b.length < 40) return null;
    const magic = new DataView(b.buffer, b.byteOffset).getUint32(0, true);
    if ((magic !== 0xfffffff0 && magic !== 0xfffffff1) || b[7] !== 4) return null;
    return new Pclntab(b);
  }

  private cstring(at: number): string {
    let e = at;
    while (e < this.b.length && this.b[e] !== 0) e++;
    return new TextDecoder().decode(this.b.subarray(at, e));
  }

  /** The function whose code holds pc. */
  find(pc: number): GoFunc | undefined {
    let lo = 0, hi = this.funcs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = this.funcs[mid]!;
      if (pc < f.entry) hi = mid - 1;
      else if (pc >= f.end) lo = mid + 1;
      else return f;
    }
    return undefined;
  }

  /** The value of table `off` at pc (runtime.pcvalue); -1 when pc is outside it. */
  value(f: GoFunc, off: number, pc: number): number {
    return this.ranges(f, off).find((r) => pc >= r.start && pc < r.end)?.value ?? -1;
  }

  /** Every [start, end) pc range of table `off` with its value, in order. */
  ranges(f: GoFunc, off: number): Array<{ start: number; end: number; value: number }> {
    const out: Array<{ start: number; end: number; value: number }> = [];
    if (off === 0) return out;  // no table
    let p = this.pctab + off;
    let val = -1, at = f.entry, first = true;
    const varint = () => {
      let v = 0, shift = 0;
      for (;;) {
        const c = this.b[p++]!;
        v += (c & 0x7f) * 2 ** shift;
        if (!(c & 0x80)) return v;
        shift += 7;
      }
    };
    for (;;) {
      const uv = varint();
      if ((uv === 0 && !first) || p >= this.b.length) return out;
      first = false;
      val += uv & 1 ? -Math.floor(uv / 2) - 1 : Math.floor(uv / 2);
      const start = at;
      at += varint() * this.minLC;
      out.push({ start, end: at, value: val });
    }
  }

  /** The file name of file number n of f's compile unit. */
  file(f: GoFunc, n: number): string {
    const at = this.cutab + 4 * (f.cu + n);
    if (at + 4 > this.b.length) return '?';
    return this.cstring(this.filetab + this.dv.getUint32(at, true));
  }

  /** Bytes the function's frame holds at pc above the return address (the pcsp table). */
  spdelta(f: GoFunc, pc: number): number {
    return this.value(f, f.pcsp, pc);
  }

  /** file:line of pc, or null. */
  line(f: GoFunc, pc: number): { file: string; line: number } | null {
    const fileno = this.value(f, f.pcfile, pc);
    const line = this.value(f, f.pcln, pc);
    if (fileno < 0 || line < 0) return null;
    return { file: this.file(f, fileno), line };
  }
}
