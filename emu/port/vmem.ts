// The machine's memory and process limits (--mem, --procs). Plan 9 runs
// out of physical pages and proc slots; p9emu's host would instead follow
// whatever an a.out header or a fork bomb asks for. The guest memory every
// live segment claims (top - base: the bss's reserve for brk counts once
// brk takes it) is checked where segments grow — exec, brk, segattach,
// rfork's copies — and past the limit the call fails with Plan 9's error
// for memory it cannot give (Enovmem).

import type { Plan9 } from './kernel.ts';
import type { Segment } from './segment.ts';
import { Enovmem, Enoproc, error } from './error.ts';

/** Default --mem: guest memory for the whole machine. */
export const MEMDEFAULT = 1 << 30;
/** Default --procs: live processes (each is a Unicorn engine of ~3.3 MiB). */
export const PROCSDEFAULT = 256;

/** Guest memory in use: every live segment once (RFMEM sharers share theirs). */
export function memused(k: Plan9): number {
  const seen = new Set<Segment>();
  let n = 0;
  for (const p of k.procs.values()) {
    for (const s of p.as?.segs ?? []) {
      if (seen.has(s)) continue;
      seen.add(s);
      n += s.top - s.base;
    }
  }
  return n;
}

/** Fail with Enovmem unless `more` bytes fit once `freed` bytes are given back. */
export function memcheck(k: Plan9, more: number, freed = 0): void {
  if (more > 0 && memused(k) - freed + more > k.config.mem) error(Enovmem);
}

/** Fail when another process would pass --procs (9front newproc waits in resrcwait "no procs" instead). */
export function proccheck(k: Plan9): void {
  let n = 0;
  for (const p of k.procs.values()) if (p.alive) n++;
  if (n >= k.config.nproc) error(Enoproc);
}
