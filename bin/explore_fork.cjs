// Explore's worker processes (emu/explore/pool.ts) are forked here, by the
// pool, or first of all by the launcher: `p9emu explore ... --jobs N`
// (N > 1) forks its N-1 workers before it compiles its own bundle, so that
// their start (node, the bundle, koffi, libunicorn) overlaps all of its
// own: the bundle, the command line, the program's load and the note-free
// run. The pool takes those first (adopt).
'use strict';
const { fork } = require('node:child_process');
const { join } = require('node:path');

/**
 * A worker process running `entry` (bin/explore_worker.cjs; in a source
 * checkout emu/explore/worker_tsx.mjs). 'advanced' serialization carries
 * the program's bytes as a Uint8Array; the worker's stdout goes to our
 * stderr, as stdout is the report's alone.
 */
exports.forkWorker = function forkWorker(entry) {
  return fork(entry, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 2, 2, 'ipc'] });
};

/**
 * The launcher's workers, not yet taken by a pool: on globalThis, as the
 * bundle has a copy of this file of its own.
 */
const early = (globalThis.p9emuExploreEarly ??= []);

/**
 * The launcher's part: fork the workers an explore command line asks for
 * with --jobs N. Anything the command line turns out to be (a usage
 * error, --merge) leaves them unused, and they end when this process
 * does, as their IPC channel closes.
 */
exports.forkEarly = function forkEarly(argv) {
  if (argv[0] !== 'explore' || argv.some((a) => a === '-h' || a === '--help' || a === '--merge')) return;
  const i = argv.indexOf('--jobs');
  const jobs = i < 0 ? NaN : Number(argv[i + 1]);
  if (!Number.isInteger(jobs) || jobs < 2) return;
  for (let j = 1; j < jobs; j++) early.push(exports.forkWorker(join(__dirname, 'explore_worker.cjs')));
};

/** One of the launcher's workers, or undefined. */
exports.adopt = function adopt() {
  return early.shift();
};
