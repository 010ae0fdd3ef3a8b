// Exploration on every core, for `npm run bench` (also alone: npx tsx
// bench/explore.ts [--json]): `p9emu explore demo:after` through the CLI
// with --jobs 1 and with --jobs N (the CPUs), in turn in the same run;
// the figure is the speed-up, serial time over parallel time.

import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../test/go/gobuild.ts';
import { bestPair } from './best.ts';
import { type Row } from './table.ts';
import { alone } from './alone.ts';

/** 52 runs of the demo, 102 system calls each. */
const ARGS = ['explore', 'demo:after', '--pid', '2', '--note', 'interrupt', '--every', '2'];

function timeExplore(jobs: number): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(REPO, 'bin/p9emu'), ...ARGS, '--jobs', String(jobs)], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 || !/distinct outcomes/.test(r.stdout)) throw new Error(`explore --jobs ${jobs}: status ${r.status}: ${r.stderr}`);
  return ms;
}

export interface ExploreBench {
  explore_jobs: number;
  explore_serial_ms: number;
  explore_parallel_ms: number;
  explore_speedup: number;
}

export async function exploreBench(row: (r: Row) => void = () => {}): Promise<ExploreBench> {
  const jobs = availableParallelism();
  const [serial, parallel] = await bestPair(2, () => timeExplore(1), () => timeExplore(jobs));
  const r1 = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
  const speedup = r1(serial / parallel, 2);
  row([`explore demo:after, 52 runs, --jobs ${jobs} (ms)`, `${r1(parallel, 0)}`, `--jobs 1: ${r1(serial, 0)}`, `${speedup}×`, jobs >= 2 ? '≥ 1.5×' : '']);
  return { explore_jobs: jobs, explore_serial_ms: r1(serial, 0), explore_parallel_ms: r1(parallel, 0), explore_speedup: speedup };
}

if (import.meta.url === `file://${process.argv[1]}`) alone('explore', exploreBench);
