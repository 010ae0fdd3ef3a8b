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

/** Store u at byte offset `at` of v (field by field: this runs for every note). */
export function putUreg(v: DataView, at: number, u: Ureg): void {
  v.setUint32(at + 0, u.di >>> 0, true);
  v.setUint32(at + 4, u.si >>> 0, true);
  v.setUint32(at + 8, u.bp >>> 0, true);
  v.setUint32(at + 12, u.nsp >>> 0, true);
  v.setUint32(at + 16, u.bx >>> 0, true);
  v.setUint32(at + 20, u.dx >>> 0, true);
  v.setUint32(at + 24, u.cx >>> 0, true);
  v.setUint32(at + 28, u.ax >>> 0, true);
  v.setUint32(at + 32, u.gs >>> 0, true);
  v.setUint32(at + 36, u.fs >>> 0, true);
  v.setUint32(at + 40, u.es >>> 0, true);
  v.setUint32(at + 44, u.ds >>> 0, true);
  v.setUint32(at + 48, u.trap >>> 0, true);
  v.setUint32(at + 52, u.ecode >>> 0, true);
  v.setUint32(at + 56, u.pc >>> 0, true);
  v.setUint32(at + 60, u.cs >>> 0, true);
  v.setUint32(at + 64, u.flags >>> 0, true);
  v.setUint32(at + 68, u.sp >>> 0, true);
  v.setUint32(at + 72, u.ss >>> 0, true);
}

export function encodeUreg(u: Ureg): Uint8Array {
  const b = new Uint8Array(UREGSIZE);
  putUreg(new DataView(b.buffer), 0, u);
  return b;
}

export function decodeUreg(b: Uint8Array): Ureg {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const g = (off: number) => v.getUint32(off, true);
  return {
    di: g(0), si: g(4), bp: g(8), nsp: g(12), bx: g(16), dx: g(20), cx: g(24), ax: g(28),
    gs: g(32), fs: g(36), es: g(40), ds: g(44), trap: g(48), ecode: g(52),
    pc: g(56), cs: g(60), flags: g(64), sp: g(68), ss: g(72),
  };
}
