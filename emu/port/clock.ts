// The kernel's clock: what nsec, /dev/bintime, /dev/time, sleep and
// tsemacquire deadlines read. The host clock by default; emu/det/ supplies
// a virtual one for deterministic runs.

export interface Clock {
  /** Nanoseconds since the Unix epoch. */
  now(): number;
  /**
   * now() to the nanosecond: a double holds the epoch's nanoseconds only to
   * 256 ns, and Go's timing (nanotime from /dev/bintime; the FIPS entropy
   * source's jitter samples, which keep the low 8 bits) needs them all.
   */
  nsec(): bigint;
  /** Nanoseconds since boot. */
  uptime(): number;
}

/** Host time: the epoch at boot plus the monotonic time since. */
export function hostClock(): Clock {
  const bootns = process.hrtime.bigint();
  const epochns = BigInt(Date.now()) * 1_000_000n;
  const nsec = () => epochns + (process.hrtime.bigint() - bootns);
  return {
    now: () => Number(nsec()),
    nsec,
    uptime: () => Number(process.hrtime.bigint() - bootns),
  };
}
