// The double fault that is not: Unicorn 2.0.1 never clears the last exception.
//
// QEMU's x86 exception path (check_exception, qemu/target/i386/excp_helper.c)
// remembers a contributory exception (#DE, #TS, #NP, #SS, #GP) in
// env->old_exception until the CPU has delivered it through the IDT
// (do_interrupt_all sets it back to -1). Unicorn hands the exception to
// the UC_HOOK_INTR hook instead (cpu_handle_exception,
// qemu/accel/tcg/cpu-exec.c) and leaves old_exception set, so the next
// contributory exception of the engine's life, in the same run or any later
// one, is raised as #DF (vector 8), and the one after that is a triple fault
// (unicorn-engine/unicorn#1883, open upstream). Plan 9 gives each its own
// trap: a program whose handler skips two HLTs gets two `sys: trap: general
// protection violation` notes. The hook clears old_exception as delivery
// would, through a view of it in env.
//
// Its place, offsetof(CPUX86State, old_exception), is that of the Debian
// 2.0.1 x86-64 build, found as the one word of env that a #GP turns from
// -1 into 13. It is trusted only while it reads as expected: -1 when the
// engine opens, and at each exception the vector if contributory, else -1.
// On any other value it is left alone from then on, in every engine.

import type { UcLib } from './unicorn_ffi.ts';
import { envAddress } from './regfile.ts';

/** offsetof(CPUX86State, old_exception) in the 2.0.1 x86-64 build. */
export const OLD_EXCEPTION = 5464;

let broken = false;

/** Exceptions that QEMU's check_exception records (and turns into #DF when two meet). */
export function contributory(vector: number): boolean {
  return vector === 0 || (vector >= 10 && vector <= 13);
}

/** A view of engine uc's old_exception, or null where it cannot be trusted. */
export function oldException(L: UcLib, uc: bigint): Int32Array | null {
  if (broken) return null;
  const env = envAddress(L, uc);
  if (env === null) return null;
  const cell = new Int32Array(L.koffi.view((env + BigInt(OLD_EXCEPTION)) as never, 4) as ArrayBuffer);
  if (cell[0] !== -1) {
    broken = true;
    return null;
  }
  return cell;
}

/**
 * In the interrupt hook, for the exception or interrupt `vector` just
 * taken: clear old_exception as the CPU's delivery would. False (and never
 * again true) when the word does not hold what it should.
 */
export function clearOldException(cell: Int32Array, vector: number): boolean {
  if (broken) return false;
  const v = cell[0];
  if (v !== -1 && !(contributory(vector) && v === vector)) {
    broken = true;
    return false;
  }
  cell[0] = -1;
  return true;
}
