// Exploration on every core, for `npm run bench` (also alone: npx tsx
// bench/explore.ts [--json] [--rounds N]): `p9emu explore` through the CLI
// with --jobs 1 and with --jobs N (the CPUs), in turn in the same run,
// least of N rounds (2 by default); the figure is the speed-up, serial
// time over parallel time. Two explorations: the demo's 51 runs, about a
// second in all, so short that a worker process's start outweighs what it
// takes over, and the Go goroutines fixture's 113 (skipped without Go),
// about ten times as long, where the lanes pay: the target is on that one. On a machine that other work keeps busy the wall
// times say little, so the CPU time (user + system) of each run, its
// worker processes included, is measured too, and with it how many CPUs
// the serial run already keeps busy (V8's compiler and GC threads work
// beside the main one): on N cores the lanes can gain only what that
// leaves.

import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { REPO, fixture, skipWithoutGo } from '../test/go/gobuild.ts';
import { type Row } from './table.ts';
import { alone } from './alone.ts';
import { timedNode, type Timed } from './spawn.ts';

/** 51 runs of the demo, 102 system calls each. */
const DEMO = ['demo:after', '--pid', '2', '--note', 'interrupt', '--every', '2'];

/** 113 runs of the Go goroutines fixture (452 system calls, five processes), each cut short where the note kills it. */
const goRoutines = (): string[] => [fixture('goroutines'), '--note', 'interrupt', '--every', '4'];

function timeExplore(args: string[], jobs: number): Timed {
  const { ms, cpuMs, r } = timedNode([join(REPO, 'bin/p9emu'), 'explore', ...args, '--jobs', String(jobs)]);
  if (r.status !== 0 || !/distinct outcomes/.test(r.stdout)) throw new Error(`explore --jobs ${jobs}: status ${r.status}: ${r.stderr}`);
  return { ms, cpuMs };
}

export interface Speedup {
  serial_ms: number;
  parallel_ms: number;
  speedup: number;
  serial_cpu_ms: number;
  parallel_cpu_ms: number;
  /** Serial CPU time over serial wall time: the CPUs a --jobs 1 run keeps busy. */
  serial_cpus: number;
  /** The 1-minute load average when the runs ended. */
  load: number;
}

const r1 = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** `explore ARGS` with --jobs 1 and --jobs `jobs` in turn, `rounds` times each; least of each. */
function speedup(args: string[], jobs: number, rounds: number): Speedup {
  const serial: Timed[] = [];
  const parallel: Timed[] = [];
  for (let i = 0; i < rounds; i++) {
    serial.push(timeExplore(args, 1));
    parallel.push(timeExplore(args, jobs));
  }
  const least = (ts: Timed[], k: keyof Timed) => Math.min(...ts.map((t) => t[k]));
  const [s, p] = [least(serial, 'ms'), least(parallel, 'ms')];
  const [sc, pc] = [least(serial, 'cpuMs'), least(parallel, 'cpuMs')];
  return {
    serial_ms: r1(s, 0), parallel_ms: r1(p, 0), speedup: r1(s / p, 2),
    serial_cpu_ms: r1(sc, 0), parallel_cpu_ms: r1(pc, 0), serial_cpus: r1(sc / s, 2), load: r1(loadavg()[0]!),
  };
}

function rows(row: (r: Row) => void, what: string, jobs: number, x: Speedup, target: string): void {
  row([`explore ${what}, --jobs ${jobs} (ms), load ${x.load}`, `${x.parallel_ms}`, `--jobs 1: ${x.serial_ms}`, `${x.speedup}×`, target]);
  row([`  its CPU time (ms); CPUs the serial run keeps busy`, `${x.parallel_cpu_ms}`, `--jobs 1: ${x.serial_cpu_ms}`, `${x.serial_cpus}`, '']);
}

export interface ExploreBench {
  explore_jobs: number;
  explore_demo: Speedup;
  /** null without Go. */
  explore_go: Speedup | null;
}

export async function exploreBench(row: (r: Row) => void = () => {}, rounds = 2): Promise<ExploreBench> {
  const jobs = availableParallelism();
  const demo = speedup(DEMO, jobs, rounds);
  // The demo's runs take about a second in all: too short for a second lane
  // to pay for its start on 2 CPUs (the default --jobs keeps it in one).
  rows(row, 'demo:after, 51 runs', jobs, demo, '');
  const go = skipWithoutGo() ? null : speedup(goRoutines(), jobs, rounds);
  if (go) rows(row, 'of the Go goroutines fixture, 113 runs', jobs, go, jobs >= 2 ? '≥ 1.5×' : '');
  return { explore_jobs: jobs, explore_demo: demo, explore_go: go };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--rounds');
  alone('explore', (row) => exploreBench(row, i > 0 ? Number(process.argv[i + 1]) : 2));
}
