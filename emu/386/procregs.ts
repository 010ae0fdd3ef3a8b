// The registers /proc/N/regs, kregs and fpregs hold on the 386 (9front
// and 4e port/devproc.c Qregs, Qkregs, Qfpregs; pc/trap.c setregisters,
// setkernur; pc/dat.h FPsave). regs is the process's Ureg (ureg.ts), as at
// its last entry to the kernel; kregs the kernel's own (the sched label:
// p9emu has no kernel stack, so it is all zero); fpregs the FPU state in
// the layout the kernel saves it in: 4e's FSAVE image (108 bytes), 9front's
// FXSAVE image (512 bytes); notefpregs (9front) the same for the state
// notify saved, the interrupted code's, while a note handler runs.

import type { Proc } from '../port/proc.ts';
import type { Flavor } from '../port/dat.ts';
import type { RegFile } from '../port/kernel.ts';
import { UREGSIZE, decodeUreg, encodeUreg, uregFromRegs } from './ureg.ts';
import { decodeFp, encodeFp, type FpRegs } from '../debug/regs.ts';
import { lasttrap } from './trap.ts';

/** sizeof(FPsave): FSAVE on 4e, FXSAVE on 9front (its union's larger member). */
export function fpsavesize(f: Flavor): number {
  return f === '4e' ? 108 : 512;
}

export function regsize(file: RegFile, f: Flavor): number {
  return file === 'fpregs' || file === 'notefpregs' ? fpsavesize(f) : UREGSIZE;
}

/** The bytes of one register file of p. */
export function procregs(p: Proc, file: RegFile): Uint8Array {
  switch (file) {
    case 'regs':
      return encodeUreg(uregFromRegs(p.cpu.regs(), lasttrap(p), 0, 0));
    case 'kregs':
      return new Uint8Array(UREGSIZE);
    case 'fpregs':
      return fpsave(p, p.cpu.fpstate());
    case 'notefpregs':
      return fpsave(p, insaved(p, () => p.cpu.fpstate()));
  }
}

function fpsave(p: Proc, st: Uint8Array): Uint8Array {
  const fp = decodeFp(st);
  return p.kernel.flavor === '4e' ? fsave(fp) : fxsave(fp);
}

/**
 * fn with the engine holding the context notify saved (p.fpsave, the
 * interrupted code's FPU state, which noted restores), kept if fn changed
 * it; the engine's own state is put back after. The caller has checked
 * that p is in a note handler (p.notified, so fpsave is set).
 */
function insaved<T>(p: Proc, fn: () => T): T {
  const cpu = p.cpu;
  const saved = p.fpsave!;
  const cur = cpu.save();
  try {
    cpu.restore(saved);
    const r = fn();
    cpu.save(saved);
    return r;
  } finally {
    cpu.restore(cur);
    cur.free();
  }
}

/**
 * Write data at off into p's regs or fpregs. Of the Ureg, only what a user
 * may change reaches the CPU (setregisters): the general registers, pc,
 * sp and the flags a program can set (9front 0xCD5: CF PF AF ZF SF DF
 * OF; 4e the low byte); the segment registers, trap and ecode stay.
 */
export function setprocregs(p: Proc, file: RegFile, off: number, data: Uint8Array): void {
  const cur = procregs(p, file);
  cur.set(data.subarray(0, Math.max(0, cur.length - off)), off);
  if (file === 'fpregs' || file === 'notefpregs') {
    const set = () => p.cpu.setFpstate(encodeFp(p.cpu.fpstate(), p.kernel.flavor === '4e' ? unfsave(cur) : unfxsave(cur)));
    if (file === 'fpregs') set();
    else insaved(p, set);
    return;
  }
  if (file !== 'regs') return;
  const u = decodeUreg(cur);
  const old = p.cpu.reg('flags');
  const mask = p.kernel.flavor === '4e' ? 0xff : 0xcd5;
  p.cpu.setRegs({
    di: u.di, si: u.si, bp: u.bp, bx: u.bx, dx: u.dx, cx: u.cx, ax: u.ax,
    pc: u.pc, sp: u.sp, flags: ((u.flags & mask) | (old & ~mask)) >>> 0,
  });
}

/** The x87 tag word from FXSAVE's abridged one (a bit per physical register: 1 in use). */
function fulltag(abridged: number): number {
  let t = 0;
  for (let i = 0; i < 8; i++) if (!(abridged & (1 << i))) t |= 3 << (2 * i);
  return t;
}

function abridge(tag: number): number {
  let a = 0;
  for (let i = 0; i < 8; i++) if (((tag >> (2 * i)) & 3) !== 3) a |= 1 << i;
  return a;
}

/** FSAVE: control, status, tag words (each padded to 32 bits), pointers, then ST(0)-ST(7), 10 bytes each. */
function fsave(fp: FpRegs): Uint8Array {
  const b = new Uint8Array(108);
  const v = new DataView(b.buffer);
  v.setUint16(0, fp.fctrl, true);
  v.setUint16(4, fp.fstat, true);
  v.setUint16(8, fp.ftag, true);
  fp.st.forEach((r, i) => b.set(r, 28 + 10 * i));
  return b;
}

function unfsave(b: Uint8Array): Partial<FpRegs> {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return {
    fctrl: v.getUint16(0, true), fstat: v.getUint16(4, true), ftag: v.getUint16(8, true),
    st: Array.from({ length: 8 }, (_, i) => b.slice(28 + 10 * i, 38 + 10 * i)),
  };
}

/** FXSAVE: fcw, fsw, abridged tag, ..., mxcsr at 24, ST(i) at 32+16i, XMM i at 160+16i. */
function fxsave(fp: FpRegs): Uint8Array {
  const b = new Uint8Array(512);
  const v = new DataView(b.buffer);
  v.setUint16(0, fp.fctrl, true);
  v.setUint16(2, fp.fstat, true);
  b[4] = abridge(fp.ftag);
  v.setUint32(24, fp.mxcsr >>> 0, true);
  v.setUint32(28, 0xffbf, true);  // MXCSR_MASK: no DAZ
  fp.st.forEach((r, i) => b.set(r, 32 + 16 * i));
  fp.xmm.forEach((r, i) => b.set(r, 160 + 16 * i));
  return b;
}

function unfxsave(b: Uint8Array): Partial<FpRegs> {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return {
    fctrl: v.getUint16(0, true), fstat: v.getUint16(2, true), ftag: fulltag(b[4]!), mxcsr: v.getUint32(24, true),
    st: Array.from({ length: 8 }, (_, i) => b.slice(32 + 16 * i, 42 + 16 * i)),
    xmm: Array.from({ length: 8 }, (_, i) => b.slice(160 + 16 * i, 176 + 16 * i)),
  };
}
