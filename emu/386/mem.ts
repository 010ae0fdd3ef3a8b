// 386 memory layout, selectors, vectors and the FPU's initial words
// (9front sys/src/9/pc/mem.h, io.h, l.s): the one place the kernel, the
// Unicorn binding and the fake CPU take them from.

import type { Flavor } from '../port/dat.ts';

export const BY2WD = 4;
/** Where text starts; defined with the a.out format the assembler shares. */
export { UTZERO } from '../aout.ts';
export const USTKTOP = 0xdffff000;
export const USTKSIZE = 16 * 1024 * 1024;
/** Segments must end below this (sysexec). */
export const USTKBASE = USTKTOP - USTKSIZE;

export const UESEL = 0x23;  // user code selector (GDT index 4, RPL 3)
export const UDSEL = 0x1b;  // user data/stack selector (GDT index 3, RPL 3)

/** The system call vector: INT $64 (9front pc/io.h VectorSYSCALL). */
export const VectorSYSCALL = 64;
/** General protection (9front pc/io.h VectorGPF); INT n other than 3 and $64 raise it. */
export const VectorGPF = 13;

/** sizeof(Tos): 9front 56; 4e 72 since it grew kscr[4] in 2013. */
export function tossize(f: Flavor): number {
  return f === '9front' ? 56 : 72;
}

export function tosaddr(f: Flavor): number {
  return USTKTOP - tossize(f);
}

/** Offsets within Tos (sys/include/tos.h). */
export const TOS_CYCLEFREQ = 24;
export const TOS_KCYCLES = 32;
export const TOS_PCYCLES = 40;
export const TOS_PID = 48;
export const TOS_CLOCK = 52;

/** Initial x87 control word and MXCSR after exec (pc/l.s fpinit): 53-bit precision, round nearest, IE/ZE/OE unmasked. */
export const FPCW_INIT = 0x0232;
export const MXCSR_INIT = 0x1f80;

/** EFLAGS bits user code may change through noted (pc/trap.c). */
export const FLAGS_USER = 0xcd5;
