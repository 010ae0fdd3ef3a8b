// An explore worker process (pool.ts): its first message says what to
// explore, and it builds the target's runner once; then it runs the points
// it is sent (the note after system call n), one after another, and sends
// back each run. The parent disconnecting (at the end, or going away) ends
// it. In the CLI's bundle, started by bin/explore_worker.cjs.

import { runPoint, type ExploreOptions, type Runner } from './explore.ts';
import { runnerFor } from './runners.ts';
import type { ToWorker, FromWorker } from './pool.ts';

const send = (m: FromWorker): void => void process.send!(m);
let job: { runner: Runner; o: ExploreOptions } | undefined;
let queue = Promise.resolve();

process.on('message', (m: ToWorker) => {
  if ('target' in m) {
    try {
      job = { runner: runnerFor(m.target), o: m.o };
    } catch (e) {
      // One line, and the exit status tells the parent (pool.ts).
      process.stderr.write(`p9emu: explore worker: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    }
    return;
  }
  const { runner, o } = job!;
  queue = queue.then(() => runPoint(runner, o, m.n, m.bound).then(
    (run) => send({ run }),
    (e: unknown) => send({ error: e instanceof Error ? e.message : String(e) }),
  ));
});
process.once('disconnect', () => process.exit(0));
