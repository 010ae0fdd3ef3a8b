// Time-slice preemption for UnicornCpu.run({timeoutUs}).
//
// Unicorn's own uc_emu_start timeout spawns and joins a timer thread on
// every call (~120-150 µs per run, measured; see docs/unicorn.md), which is
// far too much when runs are short. Instead one long-lived worker thread
// watches a deadline in a SharedArrayBuffer and calls uc_emu_stop on the
// running engine when it passes -- the same call Unicorn's timer thread
// makes, so it is safe from another thread.
//
// Protocol (all through Atomics):
//   arm(engine, us):  under LOCK store engine, deadline, ARMED=1, GEN++.
//   disarm():         under LOCK ARMED=0, GEN++; report whether FIRED==armed GEN.
//   worker:           when ARMED and past the deadline, under LOCK and only if
//                     GEN is still the armed one, uc_emu_stop(engine), FIRED=GEN.
// The lock makes "stop the engine of this slice" atomic with respect to
// disarm, so a late stop can never hit the next slice or a closed engine.
// The worker re-fires every ms while the slice stays armed, covering a stop
// that lands in the instant uc_emu_start is still starting up.
//
// The worker is plain CommonJS source evaluated in the thread, so it needs
// no TypeScript loader; it loads koffi and libunicorn itself.
//
// Started at the first timed run, not with the engine: a run that never
// needs a slice (one process, no ^C to hear, no --timeout) loads no thread.
// Until the thread has loaded koffi and libunicorn, a run is armed all the
// same and also given Unicorn's own timeout. That timer fires once, and
// its stop can be lost: a stop made before the CPU loop starts is cleared
// with its exit request (4 runs in 20 of a spinning guest never came back,
// P9EMU_PREEMPT=unicorn, docs/unicorn.md). The thread, once ready, stops
// any armed run whose deadline has passed, so such a run still ends.

import type { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

const LOCK = 0, GEN = 1, ARMED = 2, FIRED = 3, IDLE = 4, READY = 5;

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

export class Watchdog {
  private readonly ctl: Int32Array;
  private readonly big: BigInt64Array;
  private readonly worker: Worker;
  private armedGen = 0;

  constructor(libPath: string) {
    const sab = new SharedArrayBuffer(64);
    this.ctl = new Int32Array(sab, 0, 8);
    this.big = new BigInt64Array(sab, 32, 2);
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

  private lock(): void {
    while (Atomics.compareExchange(this.ctl, LOCK, 0, 1) !== 0);
  }
  private unlock(): void {
    Atomics.store(this.ctl, LOCK, 0);
  }

  /** The thread has loaded koffi and libunicorn: it can stop engines. */
  get ready(): boolean {
    return Atomics.load(this.ctl, READY) === 1;
  }

  /** Start a slice for `engine` that ends `us` microseconds from now. */
  arm(engine: bigint, us: number): void {
    const deadline = process.hrtime.bigint() + BigInt(Math.ceil(us * 1000));
    this.lock();
    this.big[0] = engine;
    this.big[1] = deadline;
    Atomics.store(this.ctl, ARMED, 1);
    this.armedGen = (Atomics.add(this.ctl, GEN, 1) + 1) | 0; // Int32 wraps
    this.unlock();
    if (Atomics.load(this.ctl, IDLE) === 1) Atomics.notify(this.ctl, GEN);
  }

  /** End the slice; true if the watchdog stopped the engine for it. */
  disarm(): boolean {
    this.lock();
    Atomics.store(this.ctl, ARMED, 0);
    Atomics.add(this.ctl, GEN, 1);
    this.unlock();
    return Atomics.load(this.ctl, FIRED) === this.armedGen;
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

let shared: Watchdog | undefined;

/**
 * The process-wide watchdog, started now if it is not (one is enough: only
 * one engine runs at a time). Arm it even before it is `ready` (above).
 */
export function startWatchdog(libPath: string): Watchdog {
  if (!shared) shared = new Watchdog(libPath);
  return shared;
}

/** Whether the watchdog thread is started, and ready (tests). */
export function watchdogState(): 'off' | 'starting' | 'ready' {
  return !shared ? 'off' : shared.ready ? 'ready' : 'starting';
}
