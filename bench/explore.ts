// Exploration on every core, for `npm run bench` (also alone: npx tsx
// bench/explore.ts [--json]): `p9emu explore demo:after` through the CLI
// with --jobs 1 and with --jobs N (the CPUs), in turn in the same run;
// the figure is the speed-up, serial time over parallel time. On a machine
// that other work keeps busy the wall times say little, so the CPU time
// (user + system) of each run, its worker processes included, is measured
// too, and with it how many CPUs the serial run already keeps busy (V8's
// compiler and GC threads work beside the main one): on N cores the lanes
// can gain only what that leaves.

import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../test/go/gobuild.ts';
import { type Row } from './table.ts';
import { alone } from './alone.ts';
import { timedNode, type Timed } from './spawn.ts';

/** 52 runs of the demo, 102 system calls each. */
const ARGS = ['explore', 'demo:after', '--pid', '2', '--note', 'interrupt', '--every', '2'];

function timeExplore(jobs: number): Timed {
  const { ms, cpuMs, r } = timedNode([join(REPO, 'bin/p9emu'), ...ARGS, '--jobs', String(jobs)]);
  if (r.status !== 0 || !/distinct outcomes/.test(r.stdout)) throw new Error(`explore --jobs ${jobs}: status ${r.status}: ${r.stderr}`);
  return { ms, cpuMs };
}

export interface ExploreBench {
  explore_jobs: number;
  explore_serial_ms: number;
  explore_parallel_ms: number;
  explore_speedup: number;
  explore_serial_cpu_ms: number;
  explore_parallel_cpu_ms: number;
  /** Serial CPU time over serial wall time: the CPUs a --jobs 1 run keeps busy. */
  explore_serial_cpus: number;
  /** The 1-minute load average when the runs ended. */
  explore_load: number;
}

export async function exploreBench(row: (r: Row) => void = () => {}): Promise<ExploreBench> {
  const jobs = availableParallelism();
  const serial: Timed[] = [];
  const parallel: Timed[] = [];
  for (let i = 0; i < 2; i++) {
    serial.push(timeExplore(1));
    parallel.push(timeExplore(jobs));
  }
  const least = (ts: Timed[], k: keyof Timed) => Math.min(...ts.map((t) => t[k]));
  const r1 = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
  const [s, p] = [least(serial, 'ms'), least(parallel, 'ms')];
  const [sc, pc] = [least(serial, 'cpuMs'), least(parallel, 'cpuMs')];
  const load = r1(loadavg()[0]!);
  const speedup = r1(s / p, 2);
  const serialCpus = r1(sc / s, 2);
  const target = jobs >= 2 ? '≥ 1.5×' : '';
  row([`explore demo:after, 52 runs, --jobs ${jobs} (ms), load ${load}`, `${r1(p, 0)}`, `--jobs 1: ${r1(s, 0)}`, `${speedup}×`, target]);
  row([`  its CPU time (ms); CPUs the serial run keeps busy`, `${r1(pc, 0)}`, `--jobs 1: ${r1(sc, 0)}`, `${serialCpus}`, '']);
  return {
    explore_jobs: jobs, explore_serial_ms: r1(s, 0), explore_parallel_ms: r1(p, 0), explore_speedup: speedup,
    explore_serial_cpu_ms: r1(sc, 0), explore_parallel_cpu_ms: r1(pc, 0), explore_serial_cpus: serialCpus, explore_load: load,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) alone('explore', exploreBench);
