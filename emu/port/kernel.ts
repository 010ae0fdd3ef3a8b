// The kernel: the process table, the note entry points devices use, and the
// configuration a run was started with. The run loop is in sched.ts; the
// 386 trap path is in ../386/trap.ts.

import type { Flavor } from './dat.ts';
import type { Proc } from './proc.ts';
import type { Console } from './console.ts';
import type { Sched } from './sched.ts';

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
  /** Nanoseconds since the Unix epoch (virtual under --deterministic). */
  now(): number;
  /** Nanoseconds since boot. */
  uptime(): number;
  /** Queue a note for p (9front postnote); false when it was not posted. */
  postnote(p: Proc, msg: string, flag: number): boolean;
  /** Post to every process of note group noteid except `except` (devproc notepg). */
  pgrpnote(noteid: number, msg: string, flag: number, except: Proc | null): void;
  /** Kill p at its next return to user mode with 'Killed' (devproc ctl kill). */
  killproc(p: Proc): void;
}
