// Best-of-n for the benchmarks: on a shared machine noise only ever makes
// a figure worse, so the best of several tries is the figure. Times take
// the lowest (the default), rates the highest (pick = Math.max).

type Try = () => Promise<number> | number;

export async function best(n: number, f: Try, pick: (a: number, b: number) => number = Math.min): Promise<number> {
  let b = pick === Math.min ? Infinity : -Infinity;
  for (let i = 0; i < n; i++) b = pick(b, await f());
  return b;
}

/**
 * The best of n for two sides measured in turn (a, b, a, b, …), so that a
 * slow spell of the machine falls on both. The machine runs the same
 * JIT code at different speeds from run to run (docs/unicorn.md), so
 * each side needs enough runs to meet a fast one.
 */
export async function bestPair(
  n: number, a: Try, b: Try,
  pickA: (x: number, y: number) => number = Math.min, pickB: (x: number, y: number) => number = Math.min,
): Promise<[number, number]> {
  let x = pickA === Math.min ? Infinity : -Infinity;
  let y = pickB === Math.min ? Infinity : -Infinity;
  for (let i = 0; i < n; i++) {
    x = pickA(x, await a());
    y = pickB(y, await b());
  }
  return [x, y];
}
