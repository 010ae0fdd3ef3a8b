// The scheduler (9front port/proc.c: ready, sched; portclock.c timers).
// One JS thread runs every process: a process runs on its CPU until it
// blocks, exits, takes a note, or its time slice ends; between slices the
// loop services timers and host input. The machine-dependent "run this
// process for a while" is supplied by 386/trap.ts as `dispatch`.

import type { Proc } from './proc.ts';
import type { Sleep } from './rendez.ts';
import type { RunOptions } from '../cpu/cpu.ts';

/**
 * Time slice when others want the CPU: 1 ms. The machine's CPUs (--cpus)
 * take turns on one host thread, so a program that spreads its work over
 * them (Go's Ms, one per CPU) waits whenever the one it needs is not the
 * one running. Fine turns stand in for their running side by side.
 * Measured: Go's sync/atomic TestValueCompareAndSwapConcurrent (100
 * goroutines spinning on Gosched over 4 Ps) takes 47 s with 10 ms slices
 * (a HZ=100 tick), 6.5 s with 1 ms, and 6.8 s with 0.5 ms. Four CPU-bound
 * goroutines take 1.41 s either way.
 */
export const SLICE_US = 1000;
/** Under --deterministic: the runs (CPU stops for the kernel) one dispatch may make. */
const RUNS_PER_SLICE = 64;

interface Timer {
  at: number;   // kernel ns
  p: Proc;
  /** Run at `at` while p lives (an alarm); without it the timer wakes a blocked p. */
  fn?: () => void;
}

export class Sched {
  readonly runq: Proc[] = [];
  private timers: Timer[] = [];
  private kick: (() => void) | null = null;
  /** The process on the CPU (9front up), null between slices. */
  current: Proc | null = null;
  /** Instructions per slice (RunOptions.quantum) under --deterministic; 0: time slices. */
  quantum = 0;
  /** A virtual clock: when every process waits for a timer, jump to it instead of waiting. */
  skipTo: ((at: number) => void) | null = null;
  /**
   * A debugger's hold on the whole machine (emu/debug/control.ts): while it
   * returns a promise, nothing is dispatched; the loop waits for it and
   * asks again. `eligible` narrows who may run (a single step).
   */
  gate: (() => Promise<void> | null) | null = null;
  eligible: ((p: Proc) => boolean) | null = null;
  /** Run p until it stops running (machine-dependent). */
  dispatch: (p: Proc) => void = () => {
    throw new Error('sched: no dispatch');
  };

  constructor(
    private readonly now: () => number,
    private readonly live: () => Iterable<Proc>,
  ) {}

  /** Make p runnable (9front ready). Idempotent. */
  ready(p: Proc): void {
    if (!p.alive || p.state === 'Ready') return;
    p.state = 'Ready';
    this.runq.push(p);
    this.kick?.();
  }

  /** Park p in a blocked call until its Rendez is woken, its deadline passes, or a note comes. */
  park(p: Proc, s: Sleep): void {
    p.sleeping = s;
    p.state = 'Wakeme';
    s.r?.waiters.add(p);
    if (s.deadline !== undefined) this.wakeAt(p, s.deadline);
  }

  /** A note for a blocked process interrupts its wait (9front procinterrupt). */
  interrupt(p: Proc): void {
    if (p.state !== 'Wakeme' || !p.sleeping?.interruptible) return;
    p.sleeping.r?.waiters.delete(p);
    this.ready(p);
  }

  /** Head of the queue, not run: a debugger stopped the machine with p about to run. */
  hold(p: Proc): void {
    p.state = 'Ready';
    this.runq.unshift(p);
  }

  /** Wake the loop when it waits for a timer or input (a debugger's interrupt). */
  wake(): void {
    this.kick?.();
  }

  /** Back of the queue after a used-up slice. */
  requeue(p: Proc): void {
    this.ready(p);
  }

  /** Wake p at kernel time `at` (a blocked call's deadline). */
  wakeAt(p: Proc, at: number): void {
    this.addTimer({ at, p });
  }

  /** Call fn at kernel time `at` if p still lives then (the alarm clock). */
  callAt(p: Proc, at: number, fn: () => void): void {
    this.addTimer({ at, p, fn });
  }

  private addTimer(t: Timer): void {
    this.timers.push(t);
    this.timers.sort((a, b) => a.at - b.at);
    this.kick?.();
  }

  /** A timer that can still do something. */
  private pending(t: Timer): boolean {
    return t.fn ? t.p.alive : t.p.state === 'Wakeme';
  }

  /** Microseconds the next slice may run: unlimited (0) when nobody else could need the CPU. */
  slice(): number {
    if (this.runq.length > 0 || this.limit || this.hostevents || this.gate || this.sampling) return SLICE_US;
    const t = this.timers[0];
    if (t) return Math.max(100, Math.min(SLICE_US, Math.ceil((t.at - this.now()) / 1000)));
    for (const p of this.live()) if (p.state === 'Wakeme' && p.sleeping?.r) return SLICE_US;
    return 0;
  }

  /** When the process on the CPU was dispatched (performance.now() ms): its slice counts from there. */
  private dispatchedAt = 0;

  /** Runs made in the current dispatch. */
  private runs = 0;

  /**
   * How the next run is bounded: an instruction budget, or what is left of
   * the process's time slice; null when the slice is used up while others
   * want the CPU (the clock tick that preempts it). A dispatch makes
   * several runs when the CPU stops for the kernel (a note to deliver,
   * noted, a call that must change pc), and the slice spans them all:
   * restarting it at every run let a process that takes a note every few
   * microseconds keep the CPU for seconds (Go's os/signal TestStress, whose
   * sender posts notes to itself). Under --deterministic, where a slice is
   * an instruction count and the count of a stopped run is unknown, a
   * dispatch ends after RUNS_PER_SLICE runs instead: still reproducible.
   */
  runOptions(): RunOptions | null {
    const s = this.slice();
    if (this.quantum > 0) {
      if (s > 0 && this.runs >= RUNS_PER_SLICE) return null;
      this.runs++;
      return { quantum: this.quantum };
    }
    if (s === 0) return { timeoutUs: 0 };
    const left = SLICE_US - (performance.now() - this.dispatchedAt) * 1000;
    return left > 0 ? { timeoutUs: Math.max(1, Math.min(s, left)) } : null;
  }

  private fireTimers(): void {
    const now = this.now();
    while (this.timers.length > 0 && this.timers[0]!.at <= now) {
      const t = this.timers.shift()!;
      if (t.fn) {
        if (t.p.alive) t.fn();
      } else if (t.p.state === 'Wakeme') this.ready(t.p);
    }
  }

  /**
   * A wall-clock limit on the run (--timeout): at `at` (Date.now() ms)
   * `expire` runs once. While it is set every run is sliced, so a guest that
   * never enters the kernel is still stopped.
   */
  limit: { at: number; expire: () => void } | null = null;

  /** Host signals (^C) may post notes: every run is sliced so the host's handlers get their turn. */
  hostevents = false;

  /** A text is being profiled (profile.ts): every run is sliced, each slice's end a clock sample. */
  sampling = false;

  private checkLimit(): void {
    if (this.limit && Date.now() >= this.limit.at) {
      const { expire } = this.limit;
      this.limit = null;
      expire();
    }
  }

  /** The next process to dispatch: the queue's head, or the first `eligible` allows. */
  private next(): Proc | undefined {
    const ok = this.eligible;
    if (!ok) return this.runq.shift();
    const i = this.runq.findIndex(ok);
    return i < 0 ? undefined : this.runq.splice(i, 1)[0];
  }

  /**
   * Run until no process can run again: all exited, or every one left is
   * blocked with nothing (timer or host input) to wake it.
   * `hostWaiting` says whether host input may still arrive.
   */
  async run(hostWaiting: () => boolean): Promise<void> {
    let lastYield = Date.now();
    for (;;) {
      const held = this.gate?.();
      if (held) {
        await held;
        lastYield = Date.now();
        continue;
      }
      this.checkLimit();
      this.fireTimers();
      const p = this.next();
      if (p) {
        if (p.state !== 'Ready') continue;
        this.current = p;
        this.dispatchedAt = performance.now();
        this.runs = 0;
        const t0 = this.now();
        try {
          this.dispatch(p);
        } finally {
          this.current = null;
          p.time.cpu += this.now() - t0;  // its CPU time (cputime.ts)
        }
        // Let host I/O callbacks (stdin) in now and then.
        if (Date.now() - lastYield > 50) {
          await new Promise((r) => setImmediate(r));
          lastYield = Date.now();
        }
        continue;
      }
      const t = this.timers.find((x) => this.pending(x));
      if (!t && !hostWaiting()) return;
      if (t && this.skipTo) {
        this.skipTo(t.at);
        continue;
      }
      await new Promise<void>((resolve) => {
        let ms = t ? Math.max(0, (t.at - this.now()) / 1e6) : 1 << 30;
        if (this.limit) ms = Math.min(ms, Math.max(0, this.limit.at - Date.now()));
        const h = setTimeout(done, ms);
        function done(): void {
          clearTimeout(h);
          resolve();
        }
        this.kick = done;
      });
      this.kick = null;
      this.timers = this.timers.filter((x) => x.p.alive);
      lastYield = Date.now();
    }
  }
}
