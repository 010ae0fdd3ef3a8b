// What a stub's name promises: which Plan 9 call, and under Go ABI0 where
// its result goes (the Go declarations of runtime/os_plan9.go, Go 1.19).

import { sysnum, systab } from '../port/systab.ts';

export type Convention = 'c' | 'go';

/** The Plan 9 call a stub's name means, or null: runtime.plan9_semacquire → semacquire, closefd → close. */
export function callForName(sym: string): number | null {
  const base = sym.slice(sym.lastIndexOf('.') + 1).replace(/<>$/, '');
  const tries = [base, base.replace(/^plan9_/, ''), base.replace(/^_/, ''), base === 'closefd' ? 'close' : ''];
  for (const t of tries) if (t && sysnum[t] !== undefined) return sysnum[t]!;
  return null;
}

/** Argument words the kernel takes for call n (a vlong is two). */
export function argWords(n: number): number {
  let w = 0;
  for (const c of systab[n]?.sig ?? '') w += c === 'v' ? 2 : 1;
  return w;
}

/** The call returns a vlong through a hidden first pointer (seek, nsec). */
export function vlongResult(n: number): boolean {
  return systab[n]?.sig.startsWith('V') ?? false;
}

// Go 1.19 declarations: offset of the result in the argument frame and its size.
const GO_RESULT: Record<string, [number, number]> = {
  open: [12, 4], pread: [20, 4], pwrite: [20, 4], seek: [16, 8], closefd: [4, 4], exits: [0, 0],
  brk_: [4, 4], sleep: [4, 4], rfork: [4, 4], plan9_semacquire: [8, 4], plan9_tsemacquire: [8, 4],
  plan9_semrelease: [8, 4], notify: [4, 4], noted: [4, 4], nsec: [4, 8],
};

/** [offset, size] of ret+N(FP) for a Go ABI0 stub calling n. */
export function goResult(sym: string, n: number): [number, number] {
  const base = sym.slice(sym.lastIndexOf('.') + 1);
  const known = GO_RESULT[base];
  if (known) return known;
  if (systab[n]?.name === 'exits') return [0, 0];
  const words = argWords(n) - (vlongResult(n) ? 1 : 0);
  return [4 * words, vlongResult(n) ? 8 : 4];
}

/** Registers a callee must give back unchanged: cdecl's for the C era; none but SP under Go ABI0. */
export function calleeSaved(c: Convention): readonly string[] {
  return c === 'c' ? ['bx', 'si', 'di', 'bp'] : [];
}
