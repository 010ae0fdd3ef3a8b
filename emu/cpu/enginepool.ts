// Engines kept for the next process. Opening a Unicorn engine costs
// 0.7-1 ms (uc_open, then its TLB, table of blocks and the first huge page
// of its code buffer, all fresh pages) and closing one gives it all back;
// every exec and rfork opens one, so runs of many short processes (explore's
// runs, rc scripts, a guest's go build) paid it for each. A closed CPU
// that has shed everything of its process (UnicornCpu.recycle: mappings,
// the code translated from them, hooks, registers) can wait here instead:
// P9EMU_ENGINES=N keeps up to N. Off by default: once, in a 1,400 s run of
// Go 1.23's runtime tests with engines reused, a guest compile died at its
// start of a debug exception (EFLAGS.TF set), which has not recurred and is
// not understood; reuse stays opt-in until it is.

/** What the pool needs of an engine. */
export interface Reusable {
  /** Its blocks call the block counter (--deterministic runs; blockcount.ts). */
  readonly counted: boolean;
  /** Drop everything of the last process; false when the engine cannot be reused. */
  recycle(): boolean;
  /** Hand it to a new process. */
  reopen(): void;
  /** Close it for good. */
  destroy(): void;
}

const DEFAULT_ENGINES = 0;

function fromEnv(): number {
  const v = process.env.P9EMU_ENGINES;
  const n = v === undefined || v === '' ? DEFAULT_ENGINES : Number(v);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_ENGINES;
}

let limit = fromEnv();
const idle: Reusable[] = [];

/**
 * An idle engine for a process whose blocks will (counted) or will not
 * be counted. A counted engine is never given to an uncounted process: its
 * block hook would slow every block of a free run.
 */
export function takeEngine<T extends Reusable>(counted: boolean): T | undefined {
  let i = idle.findIndex((e) => e.counted === counted);
  if (i < 0 && counted) i = idle.length - 1;
  if (i < 0) return undefined;
  const [e] = idle.splice(i, 1);
  e!.reopen();
  return e as T;
}

/** Keep a closed engine for reuse; false (the caller destroys it) when the pool is full or it cannot be reused. */
export function keepEngine(e: Reusable): boolean {
  if (idle.length >= limit || !e.recycle()) return false;
  idle.push(e);
  return true;
}

/** Close every idle engine (and keep at most n from now on, when given: tests, benchmarks). */
export function drainEngines(n?: number): void {
  if (n !== undefined) limit = n;
  for (const e of idle.splice(0)) e.destroy();
}

/** Engines waiting for reuse. */
export function idleEngines(): number {
  return idle.length;
}
