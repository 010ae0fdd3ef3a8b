// Exploration: rerun a deterministic program delivering one note at each
// point (after every system call, or every Nth) and group the runs by
// outcome — every process's exit string and a hash of the output — with
// the command that reproduces each.

import { createHash } from 'node:crypto';
import type { Instrumentation } from '../instrument.ts';
import type { NoteSpec } from '../det/inject.ts';

/** One run: what happened, and what it printed. */
export interface Ran {
  /** pid → exit string ('' for success; '(running)' if it never ended; 'Killed' when the run was cut short). */
  exits: Record<number, string>;
  stdout: string;
}

/** Runs the target once with these extras (determinism, note injection, a trace). */
export type Runner = (o: Instrumentation) => Promise<Ran>;

export interface ExploreOptions {
  note: string;
  pid: number | 'self';
  /** Deliver at every Nth system call (1: every one). */
  every: number;
  seed: number;
}

export interface Outcome {
  exits: Record<number, string>;
  stdoutHash: string;
  /** The syscall counts (syscall:N points) that led here. */
  points: number[];
}

export interface Exploration {
  /** System calls of the run without the note. */
  syscalls: number;
  baseline: Outcome;
  outcomes: Outcome[];
}

/** One point's run: the note after system call `n`, and what followed. */
export interface PointRun {
  n: number;
  exits: Record<number, string>;
  stdoutHash: string;
}

/**
 * Runs the points' runs somewhere (in turn in this process, or shared out
 * with worker processes), calling `done` with each as it ends, in any order.
 */
export type RunPoints = (points: readonly number[], bound: number, done: (r: PointRun) => void) => Promise<void>;

/** The note-free run and what the point runs need from it. */
export interface Baseline {
  syscalls: number;
  baseline: Outcome;
  /** pointsOf(syscalls, every) */
  points: number[];
  /** The system calls after which a point run is cut short. */
  bound: number;
}

function hash(s: string): string {
  return createHash('sha256').update(s, 'latin1').digest('hex').slice(0, 12);
}

/** After system call 1, 1+every, 1+2·every, … up to `syscalls`. */
export function pointsOf(syscalls: number, every: number): number[] {
  const points: number[] = [];
  for (let i = 1; i <= syscalls; i += every) points.push(i);
  return points;
}

/** Count the calls of the note-free run. */
export async function baseline(runner: Runner, o: ExploreOptions): Promise<Baseline> {
  let n = 0;
  const count = (line: string): void => {
    if (line.startsWith('{"kind":"sys",')) n++;
  };
  const base = await runner({ det: { seed: o.seed }, trace: { cats: ['sys'], format: 'jsonl', out: count } });
  const points = pointsOf(n, o.every);
  // A note can leave a program looping forever: bound each run.
  return { syscalls: n, baseline: { exits: base.exits, stdoutHash: hash(base.stdout), points: [] }, points, bound: 4 * n + 1000 };
}

/** The run with the note posted right after system call `n`. */
export async function runPoint(runner: Runner, o: ExploreOptions, n: number, bound: number): Promise<PointRun> {
  const spec: NoteSpec = { pid: o.pid, text: o.note, when: { kind: 'syscall', n } };
  const r = await runner({ det: { seed: o.seed }, notes: [spec], maxSyscalls: bound });
  return { n, exits: r.exits, stdoutHash: hash(r.stdout) };
}

/** Each run in turn, in this process. */
export function serially(runner: Runner, o: ExploreOptions): RunPoints {
  return async (points, bound, done) => {
    for (const n of points) done(await runPoint(runner, o, n, bound));
  };
}

/**
 * Run `points` (all of the baseline's, or a shard's) and return their runs
 * in point order, however `runPoints` ordered them; `progress` hears (runs
 * done, runs in all), from 0.
 */
export async function runAll(b: Baseline, points: readonly number[], runPoints: RunPoints, progress?: (done: number, total: number) => void): Promise<PointRun[]> {
  const runs: PointRun[] = [];
  progress?.(0, points.length);
  await runPoints(points, b.bound, (r) => {
    runs.push(r);
    progress?.(runs.length, points.length);
  });
  return runs.sort((x, y) => x.n - y.n);
}

/**
 * Group runs (in point order) by outcome: the same exit strings side by
 * side, in the order the exit strings first appeared, told apart by their
 * output.
 */
export function group(runs: readonly PointRun[]): Outcome[] {
  const groups = new Map<string, Outcome>();
  for (const r of runs) {
    const k = JSON.stringify([r.exits, r.stdoutHash]);
    const g = groups.get(k) ?? { exits: r.exits, stdoutHash: r.stdoutHash, points: [] };
    g.points.push(r.n);
    groups.set(k, g);
  }
  const byExits = new Map<string, Outcome[]>();
  for (const g of groups.values()) {
    const k = JSON.stringify(g.exits);
    byExits.set(k, [...(byExits.get(k) ?? []), g]);
  }
  return [...byExits.values()].flat();
}

/** The whole exploration: the note-free run, then one run per point. */
export async function explore(runner: Runner, o: ExploreOptions, progress?: (done: number, total: number) => void, runPoints = serially(runner, o)): Promise<Exploration> {
  const b = await baseline(runner, o);
  const runs = await runAll(b, b.points, runPoints, progress);
  return { syscalls: b.syscalls, baseline: b.baseline, outcomes: group(runs) };
}

/** 1-5, 8, 10-12 */
export function ranges(ns: readonly number[], step = 1): string {
  const out: string[] = [];
  for (let i = 0; i < ns.length; ) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j]! + step) j++;
    out.push(i === j ? `${ns[i]}` : `${ns[i]}-${ns[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}
