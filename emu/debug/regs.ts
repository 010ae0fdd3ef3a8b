// A process's registers as a debugger sees them: the general and segment
// registers (cpu.ts Regs) and the x87/SSE state, with the x87 stack in
// ST(i) order. The CPU keeps the x87 registers in physical order
// (fpstate()'s layout, emu/cpu/unicorn.ts): ST(i) is physical register
// (TOP + i) mod 8, TOP being bits 11-13 of the status word.

import type { Cpu, Regs } from '../cpu/cpu.ts';

export interface FpRegs {
  fctrl: number;
  fstat: number;
  /** The full 16-bit tag word (two bits per physical register, 11 = empty). */
  ftag: number;
  mxcsr: number;
  /** ST(0)..ST(7), 10 bytes each (64-bit significand, then sign and exponent). */
  st: Uint8Array[];
  /** XMM0..XMM7, 16 bytes each. */
  xmm: Uint8Array[];
}

export interface AllRegs extends Regs {
  fp: FpRegs;
}

/** Registers to change: any general or segment register, any x87/SSE field. */
export type RegChange = Partial<Regs> & { fp?: Partial<FpRegs> };

/** Where fpstate() keeps each field. */
const FPCW = 0, FPSW = 2, FPTAG = 4, MXCSR = 8, FP0 = 12, XMM0 = 92;

const top = (fstat: number) => (fstat >> 11) & 7;

export function decodeFp(s: Uint8Array): FpRegs {
  const dv = new DataView(s.buffer, s.byteOffset, s.byteLength);
  const fstat = dv.getUint16(FPSW, true);
  const t = top(fstat);
  return {
    fctrl: dv.getUint16(FPCW, true),
    fstat,
    ftag: dv.getUint16(FPTAG, true),
    mxcsr: dv.getUint32(MXCSR, true),
    st: Array.from({ length: 8 }, (_, i) => s.slice(FP0 + 10 * ((t + i) & 7), FP0 + 10 * ((t + i) & 7) + 10)),
    xmm: Array.from({ length: 8 }, (_, i) => s.slice(XMM0 + 16 * i, XMM0 + 16 * i + 16)),
  };
}

/** fpstate() bytes with the fields of `f` changed (ST(i) placed by the new status word's TOP). */
export function encodeFp(base: Uint8Array, f: Partial<FpRegs>): Uint8Array {
  const s = base.slice();
  const dv = new DataView(s.buffer);
  if (f.fctrl !== undefined) dv.setUint16(FPCW, f.fctrl, true);
  if (f.fstat !== undefined) dv.setUint16(FPSW, f.fstat, true);
  if (f.ftag !== undefined) dv.setUint16(FPTAG, f.ftag, true);
  if (f.mxcsr !== undefined) dv.setUint32(MXCSR, f.mxcsr >>> 0, true);
  const t = top(dv.getUint16(FPSW, true));
  f.st?.forEach((v, i) => s.set(v.subarray(0, 10), FP0 + 10 * ((t + i) & 7)));
  f.xmm?.forEach((v, i) => s.set(v.subarray(0, 16), XMM0 + 16 * i));
  return s;
}

export function readRegs(cpu: Cpu): AllRegs {
  return { ...cpu.regs(), fp: decodeFp(cpu.fpstate()) };
}

export function writeRegs(cpu: Cpu, r: RegChange): void {
  const { fp, ...gen } = r;
  if (Object.keys(gen).length > 0) cpu.setRegs(gen);
  if (fp) cpu.setFpstate(encodeFp(cpu.fpstate(), fp));
}
