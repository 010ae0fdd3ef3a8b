// P9EMU_EXPLORE_PROFILE=1: what each lane of `p9emu explore --jobs N` did,
// on stderr at the end: when it was ready and ran its first and last run
// (ms since this process started), its runs, their CPU time (the first
// five against the last five: a fresh process's JIT warms up on them), and
// how long it sat idle between its first run and its last, waiting for a
// point (docs/startup.md).

import type { LaneLog, Timing } from './pool.ts';

const f = (x: number): string => x.toFixed(0);
const each = (ts: readonly Timing[]): string => f(ts.reduce((s, t) => s + t.cpuMs, 0) / Math.max(1, ts.length));

export function laneProfile(lanes: readonly LaneLog[]): string {
  const t0 = performance.timeOrigin;
  return lanes.map((l) => {
    const rs = [...l.runs].sort((a, b) => a.at - b.at);
    const first = rs[0];
    const last = rs[rs.length - 1];
    const ready = l.ready ? `ready at ${f(l.ready.end - t0)} ms (started at ${f(l.ready.at - t0)}, ${f(l.ready.cpuMs)} ms of CPU), ` : '';
    if (!first || !last) return `explore: ${l.name}: ${ready}no runs\n`;
    const idle = rs.slice(1).reduce((s, r, i) => s + Math.max(0, r.at - rs[i]!.end), 0);
    const cpu = rs.reduce((s, r) => s + r.cpuMs, 0);
    return `explore: ${l.name}: ${ready}${rs.length} runs${l.stolen ? ` (${l.stolen} taken back from workers)` : ''} from ${f(first.at - t0)} to ${f(last.end - t0)} ms, ` +
      `CPU ${f(cpu)} ms (first 5 ${each(rs.slice(0, 5))} ms each, last 5 ${each(rs.slice(-5))}), idle ${f(idle)} ms\n`;
  }).join('');
}
