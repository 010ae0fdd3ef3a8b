// An explore worker process (pool.ts): its first message says what to
// explore, and it builds the target's runner once; then it runs the points
// it is sent (the note after system call n), one after another, and sends
// back each run; asked to, it hands back the later half of the points it
// has not started. The parent disconnecting (at the end, or going away)
// ends it. In the CLI's bundle, started by bin/explore_worker.cjs.

import type { ExploreOptions, Runner } from './explore.ts';
import { runnerFor } from './runners.ts';
import { clock, timedPoint, type ToWorker, type FromWorker } from './pool.ts';

/**
 * A message to the parent. Once the parent has gone (it closes the channel
 * when the exploration ends, perhaps as a reply is on its way), a write
 * fails with EPIPE: the callback takes that, as 'disconnect' ends the
 * process anyway (without it, node prints the error and its stack).
 */
const send = (m: FromWorker): void => {
  if (process.connected) process.send!(m, undefined, {}, () => {});
};
let job: { runner: Runner; o: ExploreOptions } | undefined;
/** Points sent and not started, in order, and the bound of their runs. */
const queue: number[] = [];
let bound = 0;
let running = false;

/**
 * Start the next point, once the messages that came during the last run
 * have been read (a steal must see the queue before this takes from it):
 * an immediate set from the check phase runs after the next poll.
 */
function next(): void {
  setImmediate(() => setImmediate(() => {
    if (running) return;
    const n = queue.shift();
    if (n === undefined) return;
    running = true;
    timedPoint(job!.runner, job!.o, n, bound).then((m) => {
      send(m);
      running = false;
      next();
    }, (e: unknown) => send({ error: e instanceof Error ? e.message : String(e) }));
  }));
}

process.on('message', (m: ToWorker) => {
  if ('target' in m) {
    try {
      job = { runner: runnerFor(m.target), o: m.o };
    } catch (e) {
      // One line, and the exit status tells the parent (pool.ts).
      process.stderr.write(`p9emu: explore worker: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    }
    const c = clock();
    send({ ready: { at: performance.timeOrigin, end: c.now, cpuMs: c.cpuMs } });
  } else if ('steal' in m) {
    send({ stolen: queue.splice(queue.length - Math.ceil(queue.length / 2)) });
  } else {
    queue.push(...m.ns);
    bound = m.bound;
    next();
  }
});
process.once('disconnect', () => process.exit(0));
