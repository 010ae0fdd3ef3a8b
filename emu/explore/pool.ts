// Exploration on worker threads. Each worker builds the target's runner
// once (its own koffi and Unicorn engines) and runs one point at a time;
// the next point goes to whichever worker is free, and runAll puts the
// runs back in point order, so the outcome is the serial one.

import { Worker } from 'node:worker_threads';
import type { ExploreOptions, PointRun, RunPoints } from './explore.ts';
import type { Target } from './runners.ts';

export interface WorkerInit {
  target: Target;
  o: ExploreOptions;
}
/** A point to run, or null: no more. */
export type ToWorker = { n: number; bound: number } | null;
export type FromWorker = { run: PointRun } | { error: string };

/**
 * The worker's code: the CLI's bundle through bin/explore_worker.mjs, or
 * in a source checkout worker.ts, through worker_tsx.mjs.
 */
function spawn(init: WorkerInit): Worker {
  const here = import.meta.url;
  return new Worker(new URL(here.endsWith('.ts') ? './worker_tsx.mjs' : '../bin/explore_worker.mjs', here), { workerData: init });
}

export interface Pool {
  runPoints: RunPoints;
  /** End the workers and wait for them to exit. */
  close(): Promise<void>;
}

/** `jobs` workers, started now so that their start overlaps the note-free run. */
export function pool(target: Target, o: ExploreOptions, jobs: number): Pool {
  const workers = Array.from({ length: jobs }, () => spawn({ target, o }));
  const exited = workers.map((w) => new Promise<number>((resolve) => w.once('exit', resolve)));
  let failed: ((e: Error) => void) | null = null;
  for (const w of workers) {
    w.on('error', (e) => failed?.(e));
    w.on('exit', (code) => code !== 0 && failed?.(new Error(`explore worker exited with status ${code}`)));
  }
  const runPoints: RunPoints = (points, bound, done) =>
    new Promise<void>((resolve, reject) => {
      let next = 0;
      let busy = 0;
      failed = reject;
      const feed = (w: Worker): void => {
        if (next < points.length) {
          busy++;
          w.postMessage({ n: points[next++]!, bound } satisfies ToWorker);
        } else if (busy === 0) {
          resolve();
        }
      };
      for (const w of workers) {
        w.on('message', (m: FromWorker) => {
          busy--;
          if ('error' in m) return reject(new Error(m.error));
          done(m.run);
          feed(w);
        });
      }
      for (const w of workers) feed(w);
    });
  return {
    runPoints,
    async close() {
      failed = null;
      for (const w of workers) w.postMessage(null satisfies ToWorker);
      await Promise.all(exited);
    },
  };
}
