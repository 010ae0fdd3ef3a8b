// What is left of a process that died of a note and is kept Broken: its
// registers, x87/SSE state, memory and the note, copied before the kernel
// frees its CPU (port/pexit.ts reap). Plan 9 keeps the whole process for a
// debugger; here the copy is what a debugger, the post-mortem view and a
// core file read.

import type { Proc } from '../port/proc.ts';
import type { AllRegs } from './regs.ts';
import { readRegs } from './regs.ts';

export interface CorpseSeg {
  type: string;
  base: number;
  bytes: Uint8Array;
}

export interface Corpse {
  pid: number;
  text: string;
  /** The note it died of (its exit string). */
  note: string;
  regs: AllRegs;
  segs: CorpseSeg[];
}

export function corpse(p: Proc): Corpse {
  return {
    pid: p.pid,
    text: p.text,
    note: p.exitstr,
    regs: readRegs(p.cpu),
    segs: p.as.segs.map((s) => ({ type: s.type, base: s.base, bytes: s.mem.bytes.slice(0, s.top - s.base) })),
  };
}

/** len bytes at addr from the corpse's memory, or null when not all mapped. */
export function corpseRead(c: Corpse, addr: number, len: number): Uint8Array | null {
  const out = new Uint8Array(len);
  for (let done = 0; done < len; ) {
    const a = addr + done;
    const s = c.segs.find((x) => a >= x.base && a < x.base + x.bytes.length);
    if (!s) return null;
    const n = Math.min(len - done, s.base + s.bytes.length - a);
    out.set(s.bytes.subarray(a - s.base, a - s.base + n), done);
    done += n;
  }
  return out;
}
