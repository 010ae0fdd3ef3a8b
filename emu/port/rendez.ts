// Blocking, the restart way. A syscall that cannot complete throws Sleep;
// the trap layer parks the process and, when it is woken (wakeup on the
// Rendez, the deadline passing, or a note), reruns the whole call with the
// arguments it copied at entry. Calls therefore check before they change
// state. up.sysdeadline survives the reruns of one call (sleep, tsemacquire).

import type { Proc } from './proc.ts';

export class Rendez {
  readonly waiters = new Set<Proc>();
}

export class Sleep {
  constructor(
    /** What wakes the call; null when only the deadline (or a note) does. */
    readonly r: Rendez | null,
    /** Absolute kernel time in ns at which to rerun the call anyway. */
    readonly deadline?: number,
    /** False for waits a note must not interrupt. */
    readonly interruptible = true,
  ) {}
}

/** Block the caller on r unless cond() holds already (9front sleep()). */
export function sleep(r: Rendez, cond: () => boolean, deadline?: number): void {
  if (!cond()) throw new Sleep(r, deadline);
}

/** Make every process waiting on r runnable, to rerun its call. */
export function wakeup(r: Rendez): void {
  for (const p of r.waiters) p.kernel.sched.ready(p);
  r.waiters.clear();
}
