// Timing a child process: its wall time and its CPU time (user + system,
// all of its threads), for the start-up benches (go.ts, explore.ts,
// startup.ts).

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU time (ms, user + system) of this process's children that have been waited for: Linux's /proc/self/stat cutime + cstime; NaN elsewhere. */
export function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[13]) + Number(f[14])) * 1000) / 100; // fields 16-17, in USER_HZ (100 on Linux)
  } catch {
    return NaN;
  }
}

export interface Timed {
  ms: number;
  cpuMs: number;
}

/** Run node with `args` to its end: its wall and CPU time, and what it gave. */
export function timedNode(args: string[], env: NodeJS.ProcessEnv = process.env): Timed & { r: SpawnSyncReturns<string> } {
  const c0 = childrenCpuMs();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, cpuMs: childrenCpuMs() - c0, r };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
