// A virtual clock for deterministic runs: time moves only when the kernel
// moves it (a fixed cost per scheduling decision, and jumps to the next
// timer when every process waits), never with the host.

import type { Clock } from '../port/clock.ts';

/** 2012-02-27 00:00:00 UTC, in ns: the virtual epoch at boot. */
export const VEPOCH_NS = 1_330_300_800 * 1e9;

export class VirtualClock implements Clock {
  /** ns since boot */
  private ns = 0;

  now(): number {
    return VEPOCH_NS + this.ns;
  }

  /** now() as the kernel has always read it here: virtual time has no jitter to lose, and runs stay as they were recorded. */
  nsec(): bigint {
    return BigInt(Math.floor(this.now()));
  }

  uptime(): number {
    return this.ns;
  }

  advance(ns: number): void {
    this.ns += ns;
  }

  /** Move to the epoch time `at` if it is later. */
  advanceTo(at: number): void {
    this.ns = Math.max(this.ns, at - VEPOCH_NS);
  }
}
