// The 386 Ureg (386/include/ureg.h): 19 words, 76 bytes. It is what a note
// handler sees, so its layout is the user ABI; only this file knows it.

import type { Regs } from '../cpu/cpu.ts';

export const UREGSIZE = 76;

/** Field → byte offset. `nsp` is PUSHAL's kernel ESP (meaningless to users). */
export const UREG = {
  di: 0, si: 4, bp: 8, nsp: 12, bx: 16, dx: 20, cx: 24, ax: 28,
  gs: 32, fs: 36, es: 40, ds: 44, trap: 48, ecode: 52,
  pc: 56, cs: 60, flags: 64, sp: 68, ss: 72,
} as const;

export type UregField = keyof typeof UREG;
export type Ureg = Record<UregField, number>;

export function uregFromRegs(r: Regs, trap: number, ecode: number, nsp: number): Ureg {
  return {
    di: r.di, si: r.si, bp: r.bp, nsp, bx: r.bx, dx: r.dx, cx: r.cx, ax: r.ax,
    gs: r.gs, fs: r.fs, es: r.es, ds: r.ds, trap, ecode,
    pc: r.pc, cs: r.cs, flags: r.flags, sp: r.sp, ss: r.ss,
  };
}

export function encodeUreg(u: Ureg): Uint8Array {
  const b = new Uint8Array(UREGSIZE);
  const v = new DataView(b.buffer);
  for (const [k, off] of Object.entries(UREG)) v.setUint32(off, u[k as UregField] >>> 0, true);
  return b;
}

export function decodeUreg(b: Uint8Array): Ureg {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u = {} as Ureg;
  for (const [k, off] of Object.entries(UREG)) u[k as UregField] = v.getUint32(off, true);
  return u;
}
