// Exploration on every core: this process runs points itself, and jobs-1
// child processes run the others. Each child is a node process running
// the CLI's bundle (bin/explore_worker.cjs; in a source checkout
// worker.ts through worker_tsx.mjs) that builds the target's runner once
// (its own koffi and Unicorn engines) and runs the points it is sent in
// turn. The next point goes to whichever lane is free, and runAll puts the
// runs back in point order, so the outcome is the serial one. Processes,
// not worker threads: see docs/startup.md.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runPoint, type ExploreOptions, type PointRun, type RunPoints, type Runner } from './explore.ts';
import type { Target } from './runners.ts';

/** A worker's first message: what to explore. */
export interface WorkerInit {
  target: Target;
  o: ExploreOptions;
}
/** Then points to run, in turn; the worker exits when we disconnect. */
export type ToWorker = WorkerInit | { n: number; bound: number };
export type FromWorker = { run: PointRun } | { error: string };

function spawn(init: WorkerInit): ChildProcess {
  const here = import.meta.url;
  const entry = fileURLToPath(new URL(here.endsWith('.ts') ? './worker_tsx.mjs' : '../bin/explore_worker.cjs', here));
  // 'advanced' serialization carries the program's bytes as a Uint8Array.
  // The worker's stdout goes to our stderr: stdout is the report's alone.
  const c = fork(entry, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 2, 2, 'ipc'] });
  c.send(init satisfies ToWorker);
  return c;
}

/** Where points run: this process, or a child. */
interface Lane {
  /** Points sent and not yet back. */
  busy: number;
  /** How many it may hold: a child holds a second so it never waits for us to send one while we run a point ourselves. */
  depth: number;
  start(n: number, bound: number): void;
}

export interface Pool {
  runPoints: RunPoints;
  /** End the workers and wait for them to exit. */
  close(): Promise<void>;
}

/**
 * `jobs` lanes: `local`, this process's runner (if given), and worker
 * processes for the rest, started now so that their start overlaps what
 * this process does meanwhile (the note-free run).
 */
export function pool(target: Target, o: ExploreOptions, jobs: number, local?: Runner): Pool {
  const workers = Array.from({ length: Math.max(0, local ? jobs - 1 : jobs) }, () => spawn({ target, o }));
  let failed: ((e: Error) => void) | null = null;
  let closing = false;
  const exited = workers.map((w) => new Promise<void>((resolve) => {
    w.once('exit', (code, signal) => {
      if (!closing || code !== 0) failed?.(new Error(`explore worker ${signal !== null ? `killed by ${signal}` : `exited with status ${code}`}`));
      resolve();
    });
  }));
  for (const w of workers) w.on('error', (e) => failed?.(e));
  let onrun: (lane: Lane, m: FromWorker) => void = () => {};
  const lanes: Lane[] = workers.map((w) => {
    const lane: Lane = { busy: 0, depth: 2, start: (n, bound) => w.send({ n, bound } satisfies ToWorker) };
    w.on('message', (m: FromWorker) => onrun(lane, m));
    return lane;
  });
  if (local) {
    const self: Lane = {
      busy: 0,
      depth: 1,
      // After the sends to the workers queued with it: a run holds this thread.
      start: (n, bound) => setImmediate(() => runPoint(local, o, n, bound).then(
        (run) => onrun(self, { run }),
        (e: unknown) => onrun(self, { error: e instanceof Error ? e.message : String(e) }),
      )),
    };
    lanes.push(self);
  }
  const runPoints: RunPoints = (points, bound, done) =>
    new Promise<void>((resolve, reject) => {
      let next = 0;
      let busy = 0;
      failed = reject;
      const feed = (lane: Lane): void => {
        while (lane.busy < lane.depth && next < points.length) {
          lane.busy++;
          busy++;
          lane.start(points[next++]!, bound);
        }
        if (busy === 0 && next === points.length) resolve();
      };
      onrun = (lane, m) => {
        lane.busy--;
        busy--;
        if ('error' in m) return reject(new Error(m.error));
        done(m.run);
        feed(lane);
      };
      for (const lane of lanes) feed(lane);
    });
  return {
    runPoints,
    async close() {
      failed = null;
      closing = true;
      onrun = () => {};
      for (const w of workers) if (w.connected) w.disconnect();
      await Promise.all(exited);
    },
  };
}
