// Seeded random bytes for #c/random under --deterministic (splitmix32).

// The generator's state is a property of the function it returns, not a
// closure variable, so that a snapshot of the machine saves it.
export function seededRandom(seed: number): ((n: number) => Uint8Array) & { state: { s: number } } {
  const state = { s: seed >>> 0 };
  const next = (): number => {
    state.s = (state.s + 0x9e3779b9) >>> 0;
    let z = state.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return Object.assign((n: number) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const w = next();
      for (let j = 0; j < 4 && i + j < n; j++) b[i + j] = (w >>> (8 * j)) & 0xff;
    }
    return b;
  }, { state });
}
