// Text profiling (9front port/segment.c segclock; devproc.c ctl profile
// and /proc/N/profile): a text segment being profiled has one ulong per 8
// bytes of text (LRESPROF 3), [0] the total; each clock sample adds the
// milliseconds it stands for to [0] and to the counter of the pc. The
// counters belong to the segment, so every process running that text
// adds to them, as on Plan 9.

import type { Proc } from './proc.ts';
import type { Segment } from './segment.ts';

const LRESPROF = 3;
const counters = new WeakMap<Segment, Uint32Array>();

/** ctl profile: start (or restart from zero) profiling p's text; false when it has none. */
export function profon(p: Proc): boolean {
  const s = p.as?.byType('text');
  if (!s) return false;
  counters.set(s, new Uint32Array(Math.ceil((s.top - s.base) / (1 << LRESPROF))));
  // Samples come from preemption, so every run is sliced from now on.
  p.kernel.sched.sampling = true;
  return true;
}

export function profiled(s: Segment): boolean {
  return counters.has(s);
}

/** The counters of p's text as /proc/N/profile reads them; null when profiling is off. */
export function profbytes(p: Proc): Uint8Array | null {
  const s = p.as?.byType('text');
  const c = s && counters.get(s);
  return c ? new Uint8Array(c.buffer) : null;
}

/** A clock sample of p at pc, standing for ms milliseconds of its running (segclock). */
export function segclock(p: Proc, pc: number, ms: number): void {
  const s = p.as?.byType('text');
  const c = s && counters.get(s);
  if (!c) return;
  c[0] = c[0]! + ms;
  if (pc >= s.base && pc < s.top) {
    const i = (pc - s.base) >>> LRESPROF;
    c[i] = c[i]! + ms;
  }
}
