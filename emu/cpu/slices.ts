// The time-slice protocol between the thread that runs engines and a
// watchdog thread that stops them (preempt.ts's worker thread,
// preempt_native.ts's native one). Shared memory holds eight int32 words
// and, at byte 32, two int64s: the engine and the slice's deadline
// (CLOCK_MONOTONIC ns, as process.hrtime).
//
//   arm(engine, us):  under LOCK store engine, deadline, ARMED=1, GEN++.
//   disarm():         under LOCK ARMED=0, GEN++; report whether FIRED==armed GEN.
//   watchdog:         when ARMED and past the deadline, under LOCK and only if
//                     GEN is still the armed one, uc_emu_stop(engine), FIRED=GEN.
// The lock makes "stop the engine of this slice" atomic with respect to
// disarm, so a late stop can never hit the next slice or a closed engine.
// The watchdog re-fires every ms while the slice stays armed, covering a
// stop that lands in the instant uc_emu_start is still starting up. After
// a while unarmed it sets IDLE and sleeps until a GEN change wakes it.

export const LOCK = 0, GEN = 1, ARMED = 2, FIRED = 3, IDLE = 4, READY = 5;
/** Where the engine and the deadline are, in bytes. */
export const ENGINE_AT = 32;

/** What UnicornCpu.run needs of a watchdog. */
export interface Preempter {
  /** It can stop engines. */
  readonly ready: boolean;
  /** Settles when it is ready. */
  readonly started: Promise<void>;
  /** Start a slice for `engine` that ends `us` microseconds from now. */
  arm(engine: bigint, us: number): void;
  /** End the slice; true if the watchdog stopped the engine for it. */
  disarm(): boolean;
}

export abstract class Slices implements Preempter {
  private armedGen = 0;

  /** `ctl`: the eight words; `big`: the engine and the deadline. */
  constructor(protected readonly ctl: Int32Array, private readonly big: BigInt64Array) {}

  abstract get ready(): boolean;
  abstract readonly started: Promise<void>;
  /** Wake the watchdog from its IDLE sleep. */
  protected abstract wake(): void;

  private lock(): void {
    while (Atomics.compareExchange(this.ctl, LOCK, 0, 1) !== 0);
  }
  private unlock(): void {
    Atomics.store(this.ctl, LOCK, 0);
  }

  arm(engine: bigint, us: number): void {
    const deadline = process.hrtime.bigint() + BigInt(Math.ceil(us * 1000));
    this.lock();
    this.big[0] = engine;
    this.big[1] = deadline;
    Atomics.store(this.ctl, ARMED, 1);
    this.armedGen = (Atomics.add(this.ctl, GEN, 1) + 1) | 0; // Int32 wraps
    this.unlock();
    if (Atomics.load(this.ctl, IDLE) === 1) this.wake();
  }

  disarm(): boolean {
    this.lock();
    Atomics.store(this.ctl, ARMED, 0);
    Atomics.add(this.ctl, GEN, 1);
    this.unlock();
    return Atomics.load(this.ctl, FIRED) === this.armedGen;
  }
}
