// Which text symbols of an a.out reach INT $64: those containing it, and
// those that CALL (or JMP to) one that does. Found by disassembling each
// symbol's bytes with capstone.

import { parseAout, HDRSZ, UTZERO } from '../aout.ts';
import { disassembler } from '../trace/disasm.ts';

export interface TextSym {
  name: string;
  addr: number;
  end: number;
  /** 'T' global, 't' file-local (Go's name<>). */
  type: string;
}

export function textSymbols(image: Uint8Array): TextSym[] {
  const a = parseAout(image);
  const text = a.syms.filter((s) => 'TtLl'.includes(s.type)).sort((x, y) => x.value - y.value);
  const end = UTZERO + HDRSZ + a.text.length;
  return text.map((s, i) => ({ name: s.name, addr: s.value >>> 0, end: text[i + 1]?.value ?? end, type: s.type }));
}

/**
 * The symbols that reach INT $64, in address order; with `direct`, only
 * those that execute it themselves (a Go binary's stubs, not their callers).
 */
export async function syscallers(image: Uint8Array, direct = false): Promise<TextSym[]> {
  const a = parseAout(image);
  const dis = await disassembler('intel');
  const syms = textSymbols(image);
  const ints = new Set<number>();
  const calls = new Map<number, number[]>();
  for (const s of syms) {
    const targets: number[] = [];
    for (let pc = s.addr; pc < s.end; ) {
      const off = pc - UTZERO - HDRSZ;
      const d = dis.one(a.text.subarray(off, off + 15), pc);
      if (!d) break;
      if (d.text === 'int 0x40') ints.add(s.addr);
      const m = /^(?:call|jmp) 0x([0-9a-f]+)$/.exec(d.text);
      if (m) targets.push(parseInt(m[1]!, 16));
      pc += d.size;
    }
    calls.set(s.addr, targets);
  }
  if (direct) return syms.filter((s) => ints.has(s.addr));
  const reaches = (addr: number, seen = new Set<number>()): boolean => {
    if (ints.has(addr)) return true;
    if (seen.has(addr)) return false;
    seen.add(addr);
    return (calls.get(addr) ?? []).some((t) => syms.some((s) => s.addr === t && s.addr !== addr && reaches(t, seen)));
  };
  return syms.filter((s) => reaches(s.addr));
}
