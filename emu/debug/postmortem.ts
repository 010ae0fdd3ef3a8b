// The post-mortem view of a process that died of a note (what acid's
// lstk() shows on Plan 9): the note, the registers, pc as symbol+offset, a
// backtrace, and the code around pc disassembled.
//
// Backtrace: for Go binaries from the pclntab's pc→sp-delta table (each
// frame's return address sits at sp + delta), for 8l-linked a.outs from
// each function's `.frame` size. For a.outs with neither, the stack is
// scanned for words that are return addresses (they point just after a
// CALL in the text); such frames are marked `?` as acid's heuristic ones
// would be.

import type { Aout } from '../aout.ts';
import { HDRSZ, UTZERO } from '../aout.ts';
import type { Corpse } from './corpse.ts';
import { corpseRead } from './corpse.ts';
import { Symtab } from '../trace/symtab.ts';
import { Aoutlines } from './aoutlines.ts';
import { Pclntab } from './pclntab.ts';
import { disassembler } from '../trace/disasm.ts';

export interface Frame {
  pc: number;
  /** symbol+offset */
  where: string;
  file?: string;
  line?: number;
  /** Found by scanning the stack, not from a table. */
  guess?: boolean;
}

export interface PostMortem {
  pid: number;
  text: string;
  note: string;
  regs: Record<string, number>;
  frames: Frame[];
  /** Code bytes from `codeAt` (a few instructions before pc and after). */
  codeAt: number;
  code: Uint8Array;
}

const MAXFRAMES = 32;
const GPRNAMES = ['ax', 'bx', 'cx', 'dx', 'si', 'di', 'bp', 'sp', 'pc', 'flags', 'cs', 'ss', 'ds', 'es', 'fs', 'gs'] as const;

/** Address → symbol+offset and frames for one a.out. */
export class Debugsyms {
  readonly syms: Symtab;
  readonly go: Pclntab | null;
  /** An 8l a.out's line table (when it has one). */
  readonly lines: Aoutlines | null;
  readonly textLo = UTZERO + HDRSZ;
  readonly textHi: number;

  /** Function address → its `.frame` symbol's value (8l: an m symbol after each T). */
  private readonly frameSize = new Map<number, number>();

  constructor(readonly aout: Aout) {
    this.syms = new Symtab(aout.syms);
    this.go = Pclntab.of(aout);
    this.lines = this.go ? null : Aoutlines.of(aout);
    this.textHi = this.textLo + aout.text.length;
    let fn: number | null = null;
    for (const s of aout.syms) {
      if ('TtLl'.includes(s.type)) fn = s.value;
      else if (s.type === 'm' && s.name === '.frame' && fn !== null) this.frameSize.set(fn, s.value);
    }
  }

  frame(pc: number, lookup = pc): Frame {
    const f: Frame = { pc, where: this.syms.name(pc) || `0x${pc.toString(16)}` };
    const gf = this.go?.find(lookup);
    const ln = gf ? this.go!.line(gf, lookup) : this.lines?.line(lookup);
    if (ln) Object.assign(f, ln);
    return f;
  }

  /** Frames from pc and sp, the innermost first. */
  backtrace(pc: number, sp: number, read: (a: number, n: number) => Uint8Array | null): Frame[] {
    const word = (a: number) => {
      const b = read(a, 4);
      return b ? new DataView(b.buffer, b.byteOffset).getUint32(0, true) : null;
    };
    const out = [this.frame(pc)];
    if (this.go) {
      let lookup = pc;
      for (let i = 0; i < MAXFRAMES; i++) {
        const f = this.go.find(lookup);
        if (!f || f.name === 'runtime.goexit' || f.name === 'runtime.mstart' || f.name === 'runtime.rt0_go') break;
        const d = this.go.spdelta(f, lookup);
        if (d < 0) break;
        const ret = word(sp + d);
        if (ret === null || ret < this.textLo || ret >= this.textHi) break;
        sp = sp + d + 4;
        lookup = ret - 1;  // inside the CALL
        out.push(this.frame(ret, lookup));
      }
      return out;
    }
    if (this.frameSize.size > 0) {
      // 8l-linked: each function's `.frame` symbol gives its frame size
      // (locals plus the return address), as acid's i386 trace reads it
      // (libmach i386trace): past the first instruction the return address
      // is at sp + .frame - 4.
      for (let i = 0; i < MAXFRAMES; i++) {
        const fn = this.syms.start(pc);
        if (fn === undefined) break;
        if (pc !== fn) {
          const f = this.frameSize.get(fn);
          if (f === undefined) break;
          sp += f - 4;
        }
        const ret = word(sp);
        if (ret === null || ret < this.textLo || ret >= this.textHi) break;
        sp += 4;
        pc = ret;
        out.push(this.frame(ret));
      }
      return out;
    }
    // No table: return addresses found on the stack.
    for (let a = sp, n = 0; n < 256 && out.length < MAXFRAMES; a += 4, n++) {
      const w = word(a);
      if (w === null) break;
      if (w > this.textLo && w < this.textHi && this.afterCall(w)) out.push({ ...this.frame(w), guess: true });
    }
    return out;
  }

  /** Whether the instruction before addr is a CALL (E8 rel32, or FF /2 of 2, 3, 6 or 7 bytes). */
  private afterCall(addr: number): boolean {
    const t = this.aout.text, o = addr - this.textLo;
    if (o >= 5 && t[o - 5] === 0xe8) return true;
    for (const n of [2, 3, 6, 7]) {
      if (o >= n && t[o - n] === 0xff && ((t[o - n + 1]! >> 3) & 7) === 2) return true;
    }
    return false;
  }
}

export function postmortem(c: Corpse, ds: Debugsyms): PostMortem {
  const regs: Record<string, number> = {};
  for (const r of GPRNAMES) regs[r] = c.regs[r];
  const read = (a: number, n: number) => corpseRead(c, a, n);
  // Up to 16 bytes either side of pc, within the text.
  const codeAt = Math.max(ds.textLo, c.regs.pc - 16);
  const code = read(codeAt, Math.max(0, Math.min(c.regs.pc + 16, ds.textHi) - codeAt)) ?? new Uint8Array(0);
  return {
    pid: c.pid,
    text: c.text,
    note: c.note,
    regs,
    frames: ds.backtrace(c.regs.pc, c.regs.sp, read),
    codeAt,
    code,
  };
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

function place(f: Frame): string {
  return f.file ? ` ${f.file}:${f.line}` : '';
}

/** The report, as text: lines like acid's lstk() and regs(). */
export async function formatPostMortem(pm: PostMortem): Promise<string> {
  const r = pm.regs;
  let s = `${pm.text} ${pm.pid}: ${pm.note}\n`;
  const row = (names: readonly string[]) => '\t' + names.map((n) => `${n.toUpperCase().padEnd(5)} ${hex8(r[n]!)}`).join('  ') + '\n';
  s += row(['ax', 'bx', 'cx', 'dx']) + row(['si', 'di', 'bp', 'sp']) + row(['pc', 'flags']) + row(['cs', 'ss', 'ds', 'es', 'fs', 'gs']);
  const [top, ...rest] = pm.frames;
  s += `${top!.where}${place(top!)}\n`;
  for (const f of rest) s += `\tcalled from ${f.guess ? '? ' : ''}${f.where}${place(f)}\n`;
  // Decode from codeAt, keeping to the instruction boundaries that reach pc.
  const d = await disassembler('plan9');
  const pc = r.pc!;
  let start = pm.codeAt;
  for (let a = pm.codeAt; a <= pc; a++) {
    let at = a;
    while (at < pc) {
      const i = d.one(pm.code.subarray(at - pm.codeAt), at);
      if (!i) break;
      at += i.size;
    }
    if (at === pc) {
      start = a;
      break;
    }
  }
  for (let at = start; at - pm.codeAt < pm.code.length; ) {
    const i = d.one(pm.code.subarray(at - pm.codeAt), at);
    if (!i) break;
    s += `${at === pc ? '=>' : '  '}\t0x${at.toString(16)}\t${i.text}\n`;
    at += i.size;
  }
  return s;
}
