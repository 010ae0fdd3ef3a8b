// CR0.TS for Unicorn 2.0.1: make x87, MMX and SSE instructions raise #NM.
//
// Plan 9 runs a note handler with the FPU off and the process marked
// FPillegal (pc/trap.c notify; both 4e and 9front): the handler's first
// x87/MMX/SSE instruction, or WAIT, raises #NM ("device not available"),
// and mathemu posts "sys: floating point in note handler". Unicorn stores
// a CR0 write without recomputing the translator's cached flags (reg_write
// in qemu/target/i386/unicorn.c), so setting CR0.TS changes nothing. The
// translator reads env->hflags instead (HF_TS_MASK, and HF_MP_MASK for
// WAIT; qemu/target/i386/translate.c), and hflags are part of every
// translation block's key, so code translated with TS clear is not reused
// while it is set, and no cache flush is needed either way.
//
// hflags is reached through a saved context, whose data is CPUX86State
// (uc_context_save copies env up to `retaddr`): the engine's state is
// saved, the two bits flipped, and the state restored. The offset is that
// of the 2.0.1 x86-64 build and is checked against the bits p9emu's flat
// ring-3 setup always has; anywhere else the trap is not modelled.

import type { UcLib } from './unicorn_ffi.ts';

/** struct uc_context: size_t context_size; int mode; int arch; char data[]. */
const DATA = 16;
/** offsetof(CPUX86State, hflags) in 2.0.1 (after regs[16], eip, eflags, cc_dst/src/src2, cc_op, df). */
const HFLAGS = 176;
const EFLAGS = 136;

const HF_CPL3 = 3, HF_CS32 = 1 << 4, HF_SS32 = 1 << 5, HF_PE = 1 << 7, HF_OSFXSR = 1 << 22;
const HF_MP = 1 << 9, HF_TS = 1 << 11;
const EXPECT = HF_CPL3 | HF_CS32 | HF_SS32 | HF_PE | HF_OSFXSR;

/** The hflags word of saved context `ctx`, when it looks like p9emu's ring-3 state; else null. */
function hflagsView(L: UcLib, ctx: bigint): DataView | null {
  const hdr = new DataView(L.koffi.view(ctx as never, DATA) as ArrayBuffer);
  if (Number(hdr.getBigUint64(0, true)) < HFLAGS + 4) return null;
  const dv = new DataView(L.koffi.view((ctx + BigInt(DATA)) as never, HFLAGS + 4) as ArrayBuffer);
  const hf = dv.getUint32(HFLAGS, true);
  if ((hf & EXPECT) !== EXPECT || (dv.getUint32(EFLAGS, true) & 0x2) === 0) return null;
  return dv;
}

/**
 * Set or clear TS (and MP) in saved context `ctx`. Returns whether TS was
 * set before, or null (and changes nothing) when the layout is not the
 * known one.
 */
export function setTS(L: UcLib, ctx: bigint, on: boolean): boolean | null {
  const dv = hflagsView(L, ctx);
  if (!dv) return null;
  const hf = dv.getUint32(HFLAGS, true);
  dv.setUint32(HFLAGS, on ? hf | HF_TS | HF_MP : hf & ~(HF_TS | HF_MP), true);
  return (hf & HF_TS) !== 0;
}
