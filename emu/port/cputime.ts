// A process's CPU time (9front port/proc.c accounttime, pexit; devproc.c
// Qstatus; devcons.c Qcputime): user, system and real time, and what its
// children that exited used. Plan 9 charges each clock tick to the process
// on the CPU, to its system time if it is inside a call; p9emu measures
// instead, on the kernel's clock: a process's CPU time is the clock time
// of its dispatches (sched.ts), and its system time the part spent running
// its system calls (386/trap.ts) and finishing them (an exec's new image).
// Reading the clock costs ~0.1 µs, a good part of a short call, so system
// calls are timed by sampling, as Plan 9's ticks sample: one in SAMPLE,
// picked at random, is timed and counts SAMPLE times.
// Under --deterministic the clock is virtual and moves only between
// dispatches (det/deterministic.ts SWITCH_NS each): every dispatch is then
// user time, the same in every run, and system time stays 0.

import type { Proc } from './proc.ts';

/** ns of kernel clock: on the CPU, of which in the kernel; the children's user and system time. */
export interface Cputime {
  cpu: number;
  sys: number;
  cuser: number;
  csys: number;
}

export const newcputime = (): Cputime => ({ cpu: 0, sys: 0, cuser: 0, csys: 0 });

const ms = (ns: number): number => Math.max(0, Math.floor(ns / 1e6));

const userns = (t: Cputime): number => Math.max(0, t.cpu - t.sys);

/**
 * user, sys, real, and the children's user, sys and real in ms, as
 * /proc/N/status and /dev/cputime give them. The children's real time is
 * kept by neither kernel (pexit adds only user and system time): always 0.
 */
export function cputimes(p: Proc): number[] {
  const t = p.time;
  return [ms(userns(t)), ms(t.sys), ms(p.kernel.now() - p.start), ms(t.cuser), ms(t.csys), 0];
}

/**
 * At exit: the wait record's user and system time (the process's and its
 * children's, in ms); they are added to the parent's children's times.
 */
export function exittimes(up: Proc, parent: Proc | null): [number, number] {
  const t = up.time;
  const user = userns(t) + t.cuser, sys = t.sys + t.csys;
  if (parent) {
    parent.time.cuser += user;
    parent.time.csys += sys;
  }
  return [ms(user), ms(sys)];
}

export const SAMPLE = 16;

let seed = 0x2545f491;

/** Whether to time this system call (xorshift32; not the kernel's random, which --deterministic seeds). */
export function sampled(): boolean {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed & (SAMPLE - 1)) === 0;
}
