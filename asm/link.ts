// Linking one assembled file into a Plan 9 a.out: place TEXT symbols from
// the text base in source order (no padding, as 8l), data symbols with
// DATA in the data segment, the rest in bss; then fill in relocations.
// Every symbol must be defined in the file: there is no library to link
// against, so a reference to anything else is an `undefined:` error.

import { buildAout, pground, type AoutSym } from '../emu/aout.ts';
import { display, type DataSym } from './parse.ts';
import type { Reloc } from './prog.ts';

export interface LinkedText {
  name: string;
  bytes: number[];
  relocs: Reloc[];
  /** The frame the prologue allocates (the $N of TEXT): 8l's `.frame` symbol is N+4. */
  frame?: number;
  file: string;
  line: number;
}

export interface AsmSymbol {
  name: string;
  type: 'T' | 't' | 'D' | 'd' | 'B' | 'b';
  value: number;
  size: number;
  hex?: string;
}

export interface LinkInput {
  texts: LinkedText[];
  datas: DataSym[];
  textBase: number;
  entry?: string;
  /** Resolve undefined symbols to 0 instead of failing (for comparing code with `go tool asm`). */
  allowUndefined?: boolean;
}

export interface LinkDiag {
  file: string;
  line: number;
  msg: string;
}

export interface LinkOutput {
  symbols: AsmSymbol[];
  aout: Uint8Array | null;
  entry: number | null;
  diags: LinkDiag[];
}

const alignOf = (size: number) => (size >= 4 ? 4 : size >= 2 ? 2 : 1);
const align = (v: number, a: number) => Math.ceil(v / a) * a;
const hexOf = (b: ArrayLike<number>) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const local = (name: string) => name.endsWith('<>');

export function link(inp: LinkInput): LinkOutput {
  const diags: LinkDiag[] = [];
  const addr = new Map<string, number>();
  const symbols: AsmSymbol[] = [];

  // Text.
  let pc = inp.textBase;
  for (const t of inp.texts) {
    addr.set(t.name, pc);
    symbols.push({ name: display(t.name), type: local(t.name) ? 't' : 'T', value: pc, size: t.bytes.length });
    pc += t.bytes.length;
  }
  const textSize = pc - inp.textBase;
  const text = new Uint8Array(textSize);
  inp.texts.forEach((t) => text.set(t.bytes, addr.get(t.name)! - inp.textBase));

  // Data, then bss.
  const base = pground(inp.textBase + textSize); // data starts on the page after the text (facts §9)
  let off = 0;
  const withData = inp.datas.filter((d) => d.inits.length > 0);
  const bssSyms = inp.datas.filter((d) => d.inits.length === 0);
  for (const d of inp.datas) {
    if (d.size === null) diags.push({ file: d.file, line: d.line, msg: `DATA for ${display(d.name)} without GLOBL` });
  }
  for (const d of withData) {
    off = align(off, alignOf(d.size ?? 0));
    addr.set(d.name, base + off);
    off += d.size ?? 0;
  }
  const dataSize = off;
  for (const d of bssSyms) {
    off = align(off, alignOf(d.size ?? 0));
    addr.set(d.name, base + off);
    off += d.size ?? 0;
  }
  const bssSize = off - dataSize;
  const data = new Uint8Array(dataSize);
  const dv = new DataView(data.buffer);

  const undefinedSeen = new Set<string>();
  const resolve = (sym: string | null, file: string, line: number): number | null => {
    if (sym === null) return 0;
    const v = addr.get(sym);
    if (v !== undefined) return v;
    if (inp.allowUndefined) return 0;
    if (!undefinedSeen.has(sym)) {
      undefinedSeen.add(sym);
      diags.push({ file, line, msg: `undefined: ${display(sym)}` });
    }
    return null;
  };

  for (const d of withData) {
    const start = addr.get(d.name)! - base;
    const filled = new Uint8Array(d.size ?? 0);
    for (const init of d.inits) {
      if (init.off < 0 || init.off + init.size > (d.size ?? 0)) {
        diags.push({ file: init.file, line: init.line, msg: `DATA ${display(d.name)}+${init.off}/${init.size} outside symbol of size ${d.size}` });
        continue;
      }
      if (filled.subarray(init.off, init.off + init.size).some((x) => x)) {
        diags.push({ file: init.file, line: init.line, msg: `overlapping DATA entry for ${display(d.name)}` });
        continue;
      }
      filled.fill(1, init.off, init.off + init.size);
      const at = start + init.off;
      const v = init.value;
      if (v.kind === 'bytes') data.set(v.bytes, at);
      else if (v.kind === 'int') for (let i = 0; i < init.size; i++) data[at + i] = Number(BigInt.asUintN(8, v.value >> BigInt(8 * i)));
      else {
        const s = resolve(v.sym, init.file, init.line);
        if (s !== null) dv.setUint32(at, (s + v.add) >>> 0, true);
      }
    }
  }

  // Relocations in text.
  const tv = new DataView(text.buffer);
  for (const t of inp.texts) {
    const fnAddr = addr.get(t.name)!;
    for (const r of t.relocs) {
      const s = resolve(r.sym, t.file, t.line);
      if (s === null) continue;
      const at = fnAddr + r.off;
      let v: number;
      switch (r.type) {
        case 'addr':
          v = s + r.add;
          break;
        case 'call':
        case 'pcrel':
          v = s + r.add - (at + r.siz);
          break;
        case 'tls':
          v = r.add; // Plan 9's TLS offset is 0 (Go cmd/link computeTLSOffset)
          break;
      }
      tv.setUint32(at - inp.textBase, v >>> 0, true);
    }
  }

  // Fill in sizes and contents for the symbol list.
  for (const s of symbols) {
    const start = s.value - inp.textBase;
    s.hex = hexOf(text.subarray(start, start + s.size));
  }
  for (const d of withData) {
    const start = addr.get(d.name)! - base;
    symbols.push({ name: display(d.name), type: local(d.name) ? 'd' : 'D', value: base + start, size: d.size ?? 0, hex: hexOf(data.subarray(start, start + (d.size ?? 0))) });
  }
  for (const d of bssSyms) {
    symbols.push({ name: display(d.name), type: local(d.name) ? 'b' : 'B', value: addr.get(d.name)!, size: d.size ?? 0 });
  }

  const entry = entryPoint(inp, addr, diags);
  if (diags.length || entry === null) return { symbols, aout: null, entry, diags };
  // After each function, as 8l's putsymb does, its `.frame`: the frame plus
  // the return address (debuggers walk the stack with it, as acid does).
  const frames = new Map(inp.texts.map((t) => [addr.get(t.name)!, t.frame]));
  const syms: AoutSym[] = symbols.flatMap((s) => {
    const f = s.type === 'T' || s.type === 't' ? frames.get(s.value) : undefined;
    const sym: AoutSym = { name: s.name, type: s.type, value: s.value };
    return f === undefined ? [sym] : [sym, { name: '.frame', type: 'm', value: f + 4 }];
  });
  // 8l's conventional end-of-segment symbols (libc's sbrk starts from `end`).
  syms.push({ name: 'etext', type: 'T', value: inp.textBase + textSize }, { name: 'edata', type: 'D', value: base + dataSize }, { name: 'end', type: 'B', value: base + dataSize + bssSize });
  const aout = buildAout({ text, data, bss: bssSize, entry, syms });
  return { symbols, aout, entry, diags };
}

function entryPoint(inp: LinkInput, addr: Map<string, number>, diags: LinkDiag[]): number | null {
  if (inp.entry !== undefined) {
    const name = inp.entry.replace(/\u00b7/g, '.');
    const v = inp.texts.find((t) => t.name === name || display(t.name) === name);
    if (!v) {
      diags.push({ file: inp.texts[0]?.file ?? '', line: 0, msg: `entry symbol ${name} not defined` });
      return null;
    }
    return addr.get(v.name)!;
  }
  const main = inp.texts.find((t) => t.name === '_main');
  if (main) return addr.get(main.name)!;
  if (inp.texts.length === 0) {
    diags.push({ file: '', line: 0, msg: 'no TEXT symbols: nothing to run' });
    return null;
  }
  return addr.get(inp.texts[0]!.name)!;
}
