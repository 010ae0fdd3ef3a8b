// An explore worker thread: builds the target's runner once, then runs each
// point it is sent (the note after system call n) and sends back the run;
// null ends it. In the CLI's bundle, started by bin/explore_worker.mjs.

import { parentPort, workerData } from 'node:worker_threads';
import { runPoint } from './explore.ts';
import { runnerFor } from './runners.ts';
import { setPreemptMode } from '../cpu/unicorn.ts';
import type { ToWorker, FromWorker, WorkerInit } from './pool.ts';

// Explore's runs are deterministic: their slices are instruction counts,
// never times, so the thread needs no preemption watchdog of its own.
setPreemptMode('unicorn');

const { target, o } = workerData as WorkerInit;
const runner = runnerFor(target);
const port = parentPort!;
const send = (m: FromWorker): void => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m === null) {
    port.close();
    return;
  }
  runPoint(runner, o, m.n, m.bound).then(
    (run) => send({ run }),
    (e: unknown) => send({ error: e instanceof Error ? e.message : String(e) }),
  );
});
