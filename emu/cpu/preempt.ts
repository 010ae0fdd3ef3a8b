// Time-slice preemption for UnicornCpu.run({timeoutUs}).
//
// Unicorn's own uc_emu_start timeout spawns and joins a timer thread on
// every call (~120-150 µs per run, measured; see docs/unicorn.md), which is
// far too much when runs are short. Instead one long-lived watchdog thread
// watches a deadline in shared memory and calls uc_emu_stop on the running
// engine when it passes -- the same call Unicorn's timer thread makes, so
// it is safe from another thread. The protocol is slices.ts's.
//
// On x86-64 Linux the thread is native code of our own
// (preempt_native.ts), ready at once. Elsewhere, or with
// P9EMU_PREEMPT=worker, it is a worker thread (below): plain CommonJS
// source evaluated in the thread, so it needs no TypeScript loader; it
// loads koffi and libunicorn itself.
//
// Started at the first timed run, not with the engine: a run that never
// needs a slice (one process, no ^C to hear, no --timeout) starts no thread.
// Until the worker thread has loaded koffi and libunicorn, a run is armed all the
// same and also given Unicorn's own timeout. That timer fires once, and
// its stop can be lost: a stop made before the CPU loop starts is cleared
// with its exit request (4 runs in 20 of a spinning guest never came back,
// P9EMU_PREEMPT=unicorn, docs/unicorn.md). The thread, once ready, stops
// any armed run whose deadline has passed, so such a run still ends.

import type { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { UcLib } from './unicorn_ffi.ts';
import { NativeWatchdog } from './preempt_native.ts';
import { ENGINE_AT, GEN, READY, Slices, type Preempter } from './slices.ts';

const workerSource = `
const { workerData } = require('node:worker_threads');
const koffi = require(workerData.koffiPath);
const lib = koffi.load(workerData.libPath);
const stop = lib.func('int uc_emu_stop(void *uc)');
const ctl = new Int32Array(workerData.sab, 0, 8);
Atomics.store(ctl, 5, 1); // READY
require('node:worker_threads').parentPort.postMessage('ready');
const big = new BigInt64Array(workerData.sab, 32, 2);
const LOCK = 0, GEN = 1, ARMED = 2, FIRED = 3, IDLE = 4;
const IDLE_AFTER = 50_000_000n; // ns of polling before sleeping until armed
let idleSince = 0n;
for (;;) {
  const g = Atomics.load(ctl, GEN);
  const now = process.hrtime.bigint();
  if (Atomics.load(ctl, ARMED) === 0) {
    if (idleSince === 0n) idleSince = now;
    if (now - idleSince > IDLE_AFTER) {
      Atomics.store(ctl, IDLE, 1);
      Atomics.wait(ctl, GEN, g);
      Atomics.store(ctl, IDLE, 0);
    } else {
      Atomics.wait(ctl, GEN, g, 1);
    }
    continue;
  }
  idleSince = 0n;
  const deadline = Atomics.load(big, 1);
  if (now < deadline) {
    Atomics.wait(ctl, GEN, g, Math.min(Number(deadline - now) / 1e6, 1));
    continue;
  }
  while (Atomics.compareExchange(ctl, LOCK, 0, 1) !== 0);
  if (Atomics.load(ctl, ARMED) === 1 && Atomics.load(ctl, GEN) === g) {
    stop(Atomics.load(big, 0));
    Atomics.store(ctl, FIRED, g);
  }
  Atomics.store(ctl, LOCK, 0);
  Atomics.wait(ctl, GEN, g, 1);
}
`;

/** The watchdog as a worker thread. */
export class Watchdog extends Slices {
  private readonly worker: Worker;

  constructor(libPath: string) {
    const sab = new SharedArrayBuffer(64);
    super(new Int32Array(sab, 0, 8), new BigInt64Array(sab, ENGINE_AT, 2));
    const require = createRequire(import.meta.url);
    const koffiPath = require.resolve('koffi');
    // node:worker_threads only now: a run that never starts the watchdog does not load it (3-9 ms).
    const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    this.worker = new Worker(workerSource, { eval: true, workerData: { sab, koffiPath, libPath } });
    // A watchdog that fails to start never becomes ready: runs keep Unicorn's timeout.
    this.worker.on('error', () => this.worker.unref());
    // Keep the host process alive until the worker has loaded koffi and
    // libunicorn: a process that exits while a worker is still loading a
    // native addon dies in node with "FATAL ERROR … napi_throw" (seen with
    // short Go runs). After that it must not hold the process open.
    this.started = new Promise((resolve) => this.worker.once('message', () => {
      this.worker.unref();
      resolve();
    }));
  }

  /** Settles when the thread is ready (tests). */
  readonly started: Promise<void>;

  /** The thread has loaded koffi and libunicorn: it can stop engines. */
  get ready(): boolean {
    return Atomics.load(this.ctl, READY) === 1;
  }

  protected wake(): void {
    Atomics.notify(this.ctl, GEN);
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

let shared: Preempter | undefined;

/**
 * The process-wide watchdog, started now if it is not (one is enough: only
 * one engine runs at a time). Arm it even before it is `ready` (above).
 */
export function startWatchdog(L: UcLib): Preempter {
  if (!shared) shared = (process.env.P9EMU_PREEMPT !== 'worker' && NativeWatchdog.start(L)) || new Watchdog(L.path);
  return shared;
}

/** Whether the watchdog thread is started, and ready (tests). */
export function watchdogState(): 'off' | 'starting' | 'ready' {
  return !shared ? 'off' : shared.ready ? 'ready' : 'starting';
}
