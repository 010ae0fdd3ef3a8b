// The kernel: the process table, the note entry points devices use, and the
// configuration a run was started with. The run loop is in sched.ts; the
// 386 trap path is in ../386/trap.ts.

import type { Flavor } from './dat.ts';
import type { Machine, RunOptions, Stop } from '../cpu/cpu.ts';
import type { Proc } from './proc.ts';
import type { Aout } from '../aout.ts';
import type { Console } from './console.ts';
import type { Sched } from './sched.ts';
import type { Trace } from '../trace/trace.ts';

export interface HostRoot {
  /** Host directory bound at / (under #/ names) — read-only unless writable. */
  dir: string;
  writable: boolean;
}

export interface KernelConfig {
  flavor: Flavor;
  console: Console;
  root: HostRoot | null;
  env: Record<string, string>;
  ncpu: number;
  sysname: string;
  user: string;
}

/** The surface of the kernel that ports/devices use; implemented in boot.ts. */
export interface Kernel {
  readonly config: KernelConfig;
  readonly flavor: Flavor;
  readonly procs: Map<number, Proc>;
  readonly sched: Sched;
  readonly trace: Trace;
  readonly machine: Machine;
  /** A debugger's say at the trap path's safe points (emu/debug/control.ts); null when none. */
  debug: DebugHooks | null;
  /** The machine-dependent halves of portable calls. */
  readonly arch: Arch;
  /** Nanoseconds since the Unix epoch (virtual under --deterministic). */
  now(): number;
  /** Nanoseconds since boot. */
  uptime(): number;
  /** Random bytes (#c/random); seeded under --deterministic. */
  random(n: number): Uint8Array;
  /** --fail-syscall: an error string fails the call named `name` without running it. */
  readonly sysfail: ((up: Proc, name: string) => string | null) | null;
  /** Queue a note for p (9front postnote); false when it was not posted. */
  postnote(p: Proc, msg: string, flag: number): boolean;
  /** Post to every process of note group noteid except `except` (devproc notepg). */
  pgrpnote(noteid: number, msg: string, flag: number, except: Proc | null): void;
  /** Kill p at its next return to user mode with 'Killed' (devproc ctl kill). */
  killproc(p: Proc): void;
  /** rfork with RFPROC: the child, ready to run (9front sysrfork's body). */
  forkproc(up: Proc, flag: number): Proc;
  /** Apply rfork's group flags (fds, namespace, env) to p, from src. */
  regroup(p: Proc, src: Proc, flag: number): void;
  newnoteid(): number;
}

export interface Arch {
  /** noted() after the syscall stored its result. */
  noted(up: Proc, arg: number): void;
  /** Give the child the parent's registers with AX=0 (forkchild). */
  forkchild(child: Proc, parent: Proc): void;
  /** exec's machine half, outside any CPU hook: new segments, stack, Tos, registers. */
  exec(up: Proc, image: Uint8Array, aout: Aout, argv: readonly string[]): void;
}

/**
 * Where a debugger may hold a process: the trap path asks at each point
 * whether p must stop there (the CPU is idle at every one of them, so
 * registers and memory can be read and changed). A held process is put
 * back at the head of the run queue, not run.
 */
export interface DebugHooks {
  /** After a run of p's CPU: hold it now (a breakpoint or watchpoint hit), before anything else happens. */
  afterRun(p: Proc, stop: Stop): boolean;
  /** Notes are about to go out to p (kexit): hold it with the note still queued. */
  beforeNotes(p: Proc): boolean;
  /** p is about to return to user mode, notes delivered: hold it (a finished step, a stop request). */
  beforeRun(p: Proc): boolean;
  /** How p's next run is bounded (a step: one instruction). */
  runOptions(p: Proc, o: RunOptions): RunOptions;
  /** p died of a note and is kept Broken; its CPU and memory are about to be freed. */
  broken?(p: Proc): void;
}
