// Rendezvous groups (9front port/sysproc.c sysrendezvous, port/pgrp.c
// newrgrp): processes exchange a value under a tag. The first to arrive
// waits; the second takes its value and leaves its own. rfork(RFREND)
// gives a process a new, empty group; otherwise children share it.

import type { Proc } from './proc.ts';
import { Rendez } from './rendez.ts';

interface Waiter {
  tag: number;
  /** What the waiter offers; once met, what its partner left for it. */
  val: number;
  met: boolean;
  readonly r: Rendez;
}

export class Rgrp {
  private readonly waiters = new Map<Proc, Waiter>();

  /** p's pending rendezvous, if any. */
  waiter(p: Proc): Waiter | undefined {
    return this.waiters.get(p);
  }

  /** A live process (not up) waiting under tag, oldest first, taken out of the group. */
  take(up: Proc, tag: number): Waiter | undefined {
    for (const [p, w] of this.waiters) {
      if (!p.alive) {
        this.waiters.delete(p);
        continue;
      }
      if (p !== up && !w.met && w.tag === tag) return w;
    }
    return undefined;
  }

  wait(p: Proc, tag: number, val: number): Waiter {
    const w = { tag, val, met: false, r: new Rendez() };
    this.waiters.set(p, w);
    return w;
  }

  leave(p: Proc): void {
    this.waiters.delete(p);
  }
}
