// The process (9front port/portdat.h struct Proc): identity, groups, notes,
// error strings, and the CPU + address space it runs on. Portable: nothing
// here knows a register name; 386/ does that.

import { newcputime, type Cputime } from './cputime.ts';
import type { Watch } from './watchpt.ts';
import type { Cpu, CpuContext } from '../cpu/cpu.ts';
import type { Plan9 } from './kernel.ts';
import type { Note } from './dat.ts';
import type { Chan } from './dev.ts';
import type { Fgrp } from './fgrp.ts';
import type { Pgrp } from './pgrp.ts';
import type { Egrp } from './devenv.ts';
import type { AddressSpace } from './segment.ts';
import type { Mntrpc } from './devmnt.ts';
import type { Held } from './syschan.ts';
import type { Aout } from '../aout.ts';
import { Rendez, type Sleep } from './rendez.ts';
import { Rgrp } from './rgrp.ts';

/**
 * The second half of a system call: work that changes pc, registers or
 * other CPUs, so it cannot run inside the CPU's INT hook. The call leaves
 * one of these on the Proc; the 386 trap (386/trap.ts finish) does it after
 * the CPU stopped, before the process returns to user mode.
 */
export type After =
  /** noted(arg): restore or abandon the note handler's Ureg. */
  | { kind: 'noted'; arg: number }
  /** exec: replace the image, stack and registers. */
  | { kind: 'exec'; image: Uint8Array; aout: Aout; argv: readonly string[] }
  /** rfork RFPROC: give the child its CPU, memory and registers; the parent yields and takes no notes on this return. */
  | { kind: 'fork'; child: Proc; flag: number }
  /** sleep(0): give up the CPU. */
  | { kind: 'yield' };

export type ProcState =
  | 'New' | 'Ready' | 'Running' | 'Wakeme' | 'Stopped' | 'Moribund' | 'Dead' | 'Broken';

/**
 * What the next return to user mode must do besides notes (9front
 * Proc_exitme, Proc_stopme, Proc_traceme, Proc_tracesyscall; port/proc.c
 * procctl): exit, stop for a debugger, stop at the next note, or stop at
 * each system call's entry and exit.
 */
export type Procctl = 'exitme' | 'stopme' | 'traceme' | 'tracesyscall';

/** A wait record kept for the parent (9front Waitmsg). */
export interface Waitmsg {
  pid: number;
  time: [number, number, number];  // user, sys, real, in ms
  msg: string;
}

export class Proc {
  state: ProcState = 'New';
  /** Plan 9's ProcState names, for /proc/N/status. */
  psstate = '';
  text: string;
  /** The file the image came from, walked but not open, for /proc/N/text (9front's image chan; set by exec). */
  textchan: Chan | null = null;
  /** The a.out it runs (set by exec, shared by fork): symbols for debuggers and post-mortems. */
  image: Uint8Array | null = null;
  user = 'none';
  ppid = 0;
  parent: Proc | null = null;
  noteid: number;

  // error strings (both ERRMAX buffers of 9front)
  errstr = '';
  syserrstr = '';

  // notes
  notes: Note[] = [];
  lastnote: Note | null = null;
  notified = false;
  /** User address of the note handler, 0 when none. */
  notify = 0;
  /** User address of the current Ureg copy (up->ureg) while notified. */
  ureg = 0;
  notepending = false;
  /** Set through /proc/N/ctl (kill, stop, startstop, startsyscall); see procctl.ts. */
  procctl: Procctl | null = null;
  /** The process waiting in a ctl write for this one to stop (9front p->pdbg). */
  pdbg: Proc | null = null;
  /** Woken when this process stops or exits (a debugger's procstopwait sleeps here). */
  readonly stopr = new Rendez();
  /** The process this one's ctl write waits on, across the reruns of that write. */
  stopwait: Proc | null = null;
  /** ctl hang: stop after the next exec. */
  hang = false;
  /** ctl private: mem, note and ctl can no longer be opened. */
  privatemem = false;
  /** Stopped at a system call's entry by startsyscall: the call runs when started (see trap.ts). */
  sysentry = false;
  /** The stop to come is a traced call's exit (9front's is inside dosyscall, not notify). */
  sysexit = false;
  /** Started again after a stop on its way to user mode: the notes go out before procctl is looked at again. */
  ctlresumed = false;
  /** The last system call entry or exit text for /proc/N/syscall (9front up->syscalltrace). */
  syscalltrace = '';
  /** When the traced call's entry stop ended (ns since boot). */
  syscallstart = 0;
  /** The argument vector of the last exec, for /proc/N/args; argstext when written there (9front setargs). */
  args: readonly string[] = [];
  argstext: string | null = null;
  /** Scheduling priority as /proc/N/ctl pri set it (9front basepri; PriNormal 10). */
  basepri = 10;
  /** x87/SSE state saved when the handler was entered, restored by noted (kept for reuse). */
  fpsave: CpuContext | null = null;
  /** fpsave holds the interrupted code's state (a handler is running). */
  fpsaved = false;
  /** FPillegal: a handler runs with the FPU off; its first FP instruction posts a note (pc/trap.c notify). */
  fpillegal = false;

  // resources
  fgrp!: Fgrp;
  pgrp!: Pgrp;
  /** Rendezvous group (rfork RFREND makes a new one). */
  rgrp = new Rgrp();
  egrp!: Egrp;
  /** Current directory, as a cleaned absolute path. */
  dot = '/';
  as!: AddressSpace;
  cpu!: Cpu;

  // children and exit
  nchild = 0;
  waitq: Waitmsg[] = [];
  /** Woken when a child's wait record arrives. */
  readonly waitr = new Rendez();
  exitstr = '';
  nowait = false;

  // blocking (see rendez.ts)
  sleeping: Sleep | null = null;
  /** The alarm clock: the tick (HZ=100) at which "alarm" is posted, 0 when unset (9front up->alarm). */
  alarm = 0;
  /** Per-call scratch that survives the reruns of one blocked syscall. */
  sysdeadline: number | null = null;
  /** The 9P RPCs the current call has made, replayed when it reruns (devmnt.ts), and the next to replay. */
  rpclog: Mntrpc[] = [];
  rpcnext = 0;
  /** The Chan a blocked read or write keeps across its reruns (syschan.ts). */
  syschan: Chan | null = null;
  /** Anything else it keeps so (syschan.ts): a waiting listen's announcement. */
  sysheld: Held | null = null;
  /** Arguments copied at syscall entry (9front up->s.args). */
  sysargs: number[] = [0, 0, 0, 0, 0];  // MAXSYSARG words, a packed array (no holes)
  scallnr = -1;
  /** What the trap must finish after the call stored its result (see After); null for most calls. */
  after: After | null = null;

  /** Its /proc/N/watchpt watchpoints (watchpt.ts); null until one is written. */
  watch: Watch | null = null;

  /** When it was created (kernel ns), and the CPU time it and its exited children used (cputime.ts). */
  readonly start: number;
  readonly time: Cputime = newcputime();

  constructor(
    readonly kernel: Plan9,
    readonly pid: number,
    text: string,
  ) {
    this.text = text;
    this.noteid = pid;
    this.start = kernel.now();
  }

  get alive(): boolean {
    return this.state !== 'Dead' && this.state !== 'Moribund' && this.state !== 'Broken';
  }
}
