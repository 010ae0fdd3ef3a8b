// --deterministic: the same program, arguments and seed give the same run,
// event for event. Slices end by instruction count (RunOptions.quantum,
// the block counter of cpu/blockcount.ts) instead of time; the clock
// behind nsec, #c/bintime, #c/time, sleep and tsemacquire is virtual;
// #c/random is seeded. Nothing else in the kernel reads the host's time.

import type { Plan9 } from '../port/kernel.ts';
import { VirtualClock } from './vclock.ts';
import { seededRandom } from './seeded.ts';
import { virtualTsc } from './rdtsc.ts';

/** Instructions per slice: 10 ms of a 20-MIPS machine, a HZ=100 tick. */
export const QUANTUM = 200_000;
/** Virtual time each dispatch costs (a context switch and the slice it starts). */
export const SWITCH_NS = 10_000;

export interface DetOptions {
  seed?: number;
  quantum?: number;
  /** Addresses of the program's RDTSC instructions (rdtsc.ts), answered from the virtual clock. */
  rdtsc?: readonly number[];
}

/** Make k deterministic; call before the first process exists (run's onkernel). */
export function deterministic(k: Plan9, o: DetOptions = {}): VirtualClock {
  const clock = new VirtualClock();
  k.clock = clock;
  k.random = seededRandom(o.seed ?? 0);
  k.sched.quantum = o.quantum ?? QUANTUM;
  k.sched.skipTo = (at) => clock.advanceTo(at);
  if (o.rdtsc?.length) k.cpuhooks.push(virtualTsc(k, o.rdtsc));
  const dispatch = k.sched.dispatch;
  k.sched.dispatch = (p) => {
    clock.advance(SWITCH_NS);
    dispatch(p);
  };
  return clock;
}
