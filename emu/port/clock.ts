// The kernel's clock: what nsec, /dev/bintime, /dev/time, sleep and
// tsemacquire deadlines read. The host clock by default; emu/det/ supplies
// a virtual one for deterministic runs.

export interface Clock {
  /** Nanoseconds since the Unix epoch. */
  now(): number;
  /** Nanoseconds since boot. */
  uptime(): number;
}

/** Host time: the epoch at boot plus the monotonic time since. */
export function hostClock(): Clock {
  const bootns = process.hrtime.bigint();
  const epochns = BigInt(Date.now()) * 1_000_000n;
  return {
    now: () => Number(epochns + (process.hrtime.bigint() - bootns)),
    uptime: () => Number(process.hrtime.bigint() - bootns),
  };
}
