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

function key(r: Ran): string {
  return JSON.stringify([r.exits, hash(r.stdout)]);
}

function hash(s: string): string {
  return createHash('sha256').update(s, 'latin1').digest('hex').slice(0, 12);
}

/**
 * Count the calls of the note-free run, then run once per point;
 * `progress` hears (runs done, runs in all), from 0.
 */
export async function explore(runner: Runner, o: ExploreOptions, progress?: (done: number, total: number) => void): Promise<Exploration> {
  let n = 0;
  const det = { seed: o.seed };
  const count = (line: string): void => {
    if (line.startsWith('{"kind":"sys",')) n++;
  };
  const base = await runner({ det, trace: { cats: ['sys'], format: 'jsonl', out: count } });
  const syscalls = n;
  const groups = new Map<string, Outcome>();
  const points: number[] = [];
  for (let i = 1; i <= syscalls; i += o.every) points.push(i);
  progress?.(0, points.length);
  for (const [j, i] of points.entries()) {
    const spec: NoteSpec = { pid: o.pid, text: o.note, when: { kind: 'syscall', n: i } };
    // A note can leave a program looping forever: bound each run.
    const r = await runner({ det, notes: [spec], maxSyscalls: 4 * syscalls + 1000 });
    const k = key(r);
    const g = groups.get(k) ?? { exits: r.exits, stdoutHash: hash(r.stdout), points: [] };
    g.points.push(i);
    groups.set(k, g);
    progress?.(j + 1, points.length);
  }
  // Outcomes with the same exit strings side by side (in the order the
  // exit strings first appeared), told apart by their output.
  const byExits = new Map<string, Outcome[]>();
  for (const g of groups.values()) {
    const k = JSON.stringify(g.exits);
    byExits.set(k, [...(byExits.get(k) ?? []), g]);
  }
  return {
    syscalls,
    baseline: { exits: base.exits, stdoutHash: hash(base.stdout), points: [] },
    outcomes: [...byExits.values()].flat(),
  };
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
