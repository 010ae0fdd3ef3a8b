// A vlong as two 32-bit words, how system calls, devices and 9P lay one
// out: callers set the bytes from them one by one, since a DataView over a
// small array would make V8 give it an ArrayBuffer of its own (a malloc),
// which at Go's rate of clock reads was a sixth of a process's CPU.

/** v's low and high words, two's complement: a bigint, or a whole number of magnitude below 2^53 (truncated). */
export function words64(v: number | bigint): [lo: number, hi: number] {
  if (typeof v === 'bigint') return [Number(BigInt.asUintN(32, v)), Number(BigInt.asUintN(32, v >> 32n))];
  const t = Math.trunc(v);
  return [((t % 2 ** 32) + 2 ** 32) % 2 ** 32, Math.floor(t / 2 ** 32) >>> 0];
}
