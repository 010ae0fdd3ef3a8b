// Exploration on every core: this process runs points itself, and jobs-1
// child processes run the others. Each child is a node process running
// the CLI's bundle (bin/explore_worker.cjs; in a source checkout
// worker.ts through worker_tsx.mjs) that builds the target's runner once
// (its own koffi and Unicorn engines) and runs the points it is sent in
// turn. The workers take points from the front of the list, a few ahead
// so that none waits for this process, which answers only between its own
// runs; this process takes them from the back, and when none is left, it
// takes back half of what a worker holds and has not started (steals), so
// that neither lane idles at the end while the other still has a queue.
// runAll puts the runs back in point order, so the outcome is the serial
// one. Processes, not worker threads: see docs/startup.md.

import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { adopt, forkWorker } from '../../bin/explore_fork.cjs';
import { runPoint, type ExploreOptions, type PointRun, type RunPoints, type Runner } from './explore.ts';
import type { Target } from './runners.ts';

/** A worker's first message: what to explore. */
export interface WorkerInit {
  target: Target;
  o: ExploreOptions;
}
/**
 * Then points to run, in turn, after those it holds, or a request to hand
 * back the later half of those it has not started; the worker exits when
 * we disconnect.
 */
export type ToWorker = WorkerInit | { ns: number[]; bound: number } | { steal: true };
/** Its runner is built; a run, with when it ran (ms since the epoch) and its CPU time; the points handed back. */
export type FromWorker = { ready: Timing } | { run: PointRun; t: Timing } | { stolen: number[] } | { error: string };

/** When (ms since the epoch) and the CPU time (ms) something took, from `at` to `end`. */
export interface Timing {
  at: number;
  end: number;
  cpuMs: number;
}

/** Now, in ms since the epoch (comparable across processes), and this process's CPU time (ms). */
export function clock(): { now: number; cpuMs: number } {
  const u = process.cpuUsage();
  return { now: performance.timeOrigin + performance.now(), cpuMs: (u.user + u.system) / 1000 };
}

/** Run point n as runPoint does, and time it: the run, and when it ran and its CPU time (for the lanes' accounts). */
export async function timedPoint(runner: Runner, o: ExploreOptions, n: number, bound: number): Promise<{ run: PointRun; t: Timing }> {
  const c0 = clock();
  const run = await runPoint(runner, o, n, bound);
  const c1 = clock();
  return { run, t: { at: c0.now, end: c1.now, cpuMs: c1.cpuMs - c0.cpuMs } };
}

/** A lane's account, for P9EMU_EXPLORE_PROFILE: when it was ready, and each of its runs. */
export interface LaneLog {
  name: string;
  /** A worker: from its process's start to its runner built. */
  ready?: Timing;
  runs: Timing[];
  stolen: number;
}

/** How many points a worker holds: the one it runs and the next ones, so that it never waits for us while we run one ourselves. */
export const DEPTH = 3;

interface Worker {
  c: ChildProcess;
  /** Points sent and neither run nor handed back. */
  held: number;
  /** A steal asked and not answered. */
  stealing: boolean;
  log: LaneLog;
}

function spawn(init: WorkerInit): ChildProcess {
  const here = import.meta.url;
  const c = adopt() ?? forkWorker(fileURLToPath(new URL(here.endsWith('.ts') ? './worker_tsx.mjs' : '../bin/explore_worker.cjs', here)));
  c.send(init satisfies ToWorker);
  return c;
}

export interface Pool {
  runPoints: RunPoints;
  /** What each lane did: this process's first, then the workers'. */
  lanes: LaneLog[];
  /** End the workers and wait for them to exit. */
  close(): Promise<void>;
}

/**
 * `jobs` lanes: `local`, this process's runner (if given), and worker
 * processes for the rest, started now (or taken from the launcher, which
 * forks them first) so that their start overlaps what this process does
 * meanwhile (the note-free run). Each worker holds up to `depth` points.
 */
export function pool(target: Target, o: ExploreOptions, jobs: number, local?: Runner, depth = DEPTH): Pool {
  const workers: Worker[] = Array.from({ length: Math.max(0, local ? jobs - 1 : jobs) }, (_, i) => ({
    c: spawn({ target, o }), held: 0, stealing: false, log: { name: `worker ${i + 1}`, runs: [], stolen: 0 },
  }));
  const self: LaneLog = { name: 'this process', runs: [], stolen: 0 };
  let failed: ((e: Error) => void) | null = null;
  let closing = false;
  const exited = workers.map(({ c }) => new Promise<void>((resolve) => {
    c.once('exit', (code, signal) => {
      if (!closing || code !== 0) failed?.(new Error(`explore worker ${signal !== null ? `killed by ${signal}` : `exited with status ${code}`}`));
      resolve();
    });
  }));
  let onmessage: (w: Worker, m: Exclude<FromWorker, { ready: Timing }>) => void = () => {};
  for (const w of workers) {
    w.c.on('error', (e) => failed?.(e));
    w.c.on('message', (m: FromWorker) => {
      if ('ready' in m) w.log.ready = m.ready;
      else onmessage(w, m);
    });
  }
  const runPoints: RunPoints = (points, bound, done) =>
    new Promise<void>((resolve, reject) => {
      failed = reject;
      // Workers take from lo up, this process from hi down.
      let lo = 0;
      let hi = points.length;
      let left = points.length;
      /** Points a worker handed back, for this process. */
      const back: number[] = [];
      let running = false;
      const finish = (r: PointRun): void => {
        done(r);
        if (--left === 0) resolve();
      };
      const refill = (w: Worker): void => {
        const k = Math.min(depth - w.held, hi - lo);
        if (k <= 0) return;
        w.held += k;
        w.c.send({ ns: points.slice(lo, (lo += k)), bound } satisfies ToWorker);
      };
      /** Ask the worker that holds the most to hand back what it has not started. */
      const steal = (): void => {
        const w = workers.filter((x) => !x.stealing && x.held > 1).sort((x, y) => y.held - x.held)[0];
        if (!w) return;
        w.stealing = true;
        w.c.send({ steal: true } satisfies ToWorker);
      };
      const runLocal = (): void => {
        if (!local || running) return;
        const n = back.shift() ?? (lo < hi ? points[--hi] : undefined);
        if (n === undefined) return steal();
        running = true;
        // After the sends to the workers queued with it, and their messages: a run holds this thread.
        setImmediate(() => {
          timedPoint(local, o, n, bound).then(({ run, t }) => {
            self.runs.push(t);
            running = false;
            finish(run);
            runLocal();
          }, (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))));
        });
      };
      onmessage = (w, m) => {
        if ('error' in m) return reject(new Error(m.error));
        if ('stolen' in m) {
          w.stealing = false;
          w.held -= m.stolen.length;
          self.stolen += m.stolen.length;
          back.push(...m.stolen);
        } else {
          w.held--;
          w.log.runs.push(m.t);
          finish(m.run);
          refill(w);
        }
        runLocal();
      };
      if (points.length === 0) return resolve();
      for (const w of workers) refill(w);
      runLocal();
    });
  return {
    runPoints,
    lanes: [...(local ? [self] : []), ...workers.map((w) => w.log)],
    async close() {
      failed = null;
      closing = true;
      onmessage = () => {};
      for (const { c } of workers) if (c.connected) c.disconnect();
      await Promise.all(exited);
    },
  };
}
