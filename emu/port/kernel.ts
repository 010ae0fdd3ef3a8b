// The kernel: its configuration, the process table and pids, each process's
// CPU, and the run (9front port/proc.c newproc, pc/main.c main). boot()
// makes one from a Machine (CPUs, memory), a configuration (the run's,
// and the machine's devices: ../conf.ts) and the machine-dependent half
// (Arch: 386/main.ts's arch386). Notes are in
// note.ts, fork in sysproc.ts, the scheduler in sched.ts.

import type { Flavor } from './dat.ts';
import type { Machine, RunOptions, Stop } from '../cpu/cpu.ts';
import type { Console } from './console.ts';
import type { Dev } from './dev.ts';
import type { Pgrp } from './pgrp.ts';
import { Proc } from './proc.ts';
import { Sched } from './sched.ts';
import { Trace } from '../trace/trace.ts';
import { hostClock, type Clock } from './clock.ts';
import { createRequire } from 'node:module';
import { AddressSpace } from './segment.ts';
import type { InternalError } from './internal.ts';

export interface HostRoot {
  /** Host directory bound at / (under #/ names) — read-only unless writable. */
  dir: string;
  writable: boolean;
}

export interface KernelConfig {
  flavor: Flavor;
  console: Console;
  root: HostRoot | null;
  /** A Plan 9 tree whose lib/namespace builds the first process's name space (emu/tree). */
  tree?: HostRoot | null;
  env: Record<string, string>;
  ncpu: number;
  sysname: string;
  user: string;
  /** Guest memory for the whole machine, bytes (--mem; vmem.ts). */
  mem: number;
  /** Live processes at most (--procs). */
  nproc: number;
}

/** A system call's result decided outside the call: a value for AX, or an error string (AX -1). */
export type SysOutcome = { ret: number } | { err: string };

/** The machine-dependent half of the kernel (9front pc/): 386/main.ts's arch386. */
export interface Arch {
  /** Hook a new process's CPU: its system call trap. */
  attach(p: Proc): void;
  /** Run p for one slice (the scheduler's dispatch), finishing its system calls' second halves. */
  dispatch(p: Proc): void;
  /** The size of /proc/N/regs, kregs or fpregs in this kernel flavour (386: Ureg, FPsave). */
  regsize(file: RegFile, f: Flavor): number;
  /** Their bytes for p, in the kernel's layout. */
  procregs(p: Proc, file: RegFile): Uint8Array;
  /** A debugger's write at off into regs or fpregs (what a user may change only). */
  setprocregs(p: Proc, file: RegFile, off: number, data: Uint8Array): void;
  /** What exec returns (execregs): the address of the new image's Tos, which _main keeps. */
  tosaddr(f: Flavor): number;
}

/** The register files of /proc/N. */
export type RegFile = 'regs' | 'kregs' | 'fpregs' | 'notefpregs';

/**
 * Where a debugger may hold a process: the trap path asks at each point
 * whether p must stop there (the CPU is idle at every one of them, so
 * registers and memory can be read and changed). A held process is put
 * back at the head of the run queue, not run.
 */
export interface DebugHooks {
  /** After a run of p's CPU: hold it now (a breakpoint or watchpoint hit), before anything else happens. */
  afterRun(p: Proc, stop: Stop): boolean;
  /** At INT $64, before the call runs (p.scallnr set): hold p at the INT, the call not made; it runs when p goes on. */
  beforeSyscall(p: Proc): boolean;
  /** The call stored its result: hold p before it returns to user mode. */
  afterSyscall(p: Proc): boolean;
  /** Notes are about to go out to p (kexit): hold it with the note still queued. */
  beforeNotes(p: Proc): boolean;
  /** p is about to return to user mode, notes delivered: hold it (a finished step, a stop request). */
  beforeRun(p: Proc): boolean;
  /** How p's next run is bounded (a step: one instruction). */
  runOptions(p: Proc, o: RunOptions): RunOptions;
}

/** The machine's configuration (9front's pc file; emu/conf.ts): its devices and first name space. */
export interface Conf {
  /** The devices a # name reaches (9front devtab[]). */
  readonly devtab: readonly Dev[];
  /** The name space a run's first process starts with (and rfork RFCNAMEG makes). */
  namespace(k: Plan9): Pgrp;
}

export class Plan9 {
  readonly procs = new Map<number, Proc>();
  readonly sched: Sched;
  readonly trace = new Trace();
  /** Host exceptions contained so far (internal.ts). */
  readonly internal: InternalError[] = [];
  private pidgen = 0;
  /** What now() and uptime() read: the host's, or a virtual clock (--deterministic). */
  clock: Clock = hostClock();
  /**
   * Random bytes for #c/random (seeded under --deterministic). node:crypto
   * is loaded at the first read: loading it takes some ms of every start
   * (docs/startup.md), and most programs never read #c/random.
   */
  random: (n: number) => Uint8Array = (n) => new Uint8Array((createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).randomBytes(n));
  /** At INT $64, before the call named `name` runs: an outcome replaces the call (--fail-syscall, API hooks). */
  sysbefore: ((up: Proc, name: string) => SysOutcome | null) | null = null;
  /** The call returned `ret` (errstr set when -1), before AX gets it: an outcome replaces the result (API hooks). */
  sysafter: ((up: Proc, ret: number) => SysOutcome | null) | null = null;
  /** Run on every new process's CPU after the trap is attached (instruction trace, injection). */
  readonly cpuhooks: ((p: Proc) => void)[] = [];
  /** A debugger's say at the trap path's safe points (emu/debug/control.ts); null when none. */
  debug: DebugHooks | null = null;
  /** Called for each process that exited, before its CPU and memory are freed (post-mortem, core files). */
  readonly reapers: ((p: Proc) => void)[] = [];
  /**
   * Counters that name things, per kernel so that runs in one host process
   * (explore, tests) number alike: mount ids (9front chan.c mountid), pipe
   * qid paths (devpipe.c pipealloc.path), in-memory /tmp file qid paths,
   * the dev of each mount driver attach (devmnt.c mntchan, mntalloc.id).
   */
  readonly ids = { mount: 0, pipe: 0, tmp: 0, mnt: 0 };

  constructor(
    readonly config: KernelConfig,
    readonly machine: Machine,
    readonly arch: Arch,
    readonly conf: Conf,
  ) {
    this.sched = new Sched(() => this.now(), () => this.procs.values());
    this.sched.dispatch = arch.dispatch;
    this.trace.clock = () => this.uptime();
  }

  get flavor(): Flavor {
    return this.config.flavor;
  }

  /** Nanoseconds since the Unix epoch (virtual under --deterministic). */
  now(): number {
    return this.clock.now();
  }

  /** now() to the nanosecond (Clock.nsec). */
  nsec(): bigint {
    return this.clock.nsec();
  }

  /** Nanoseconds since boot. */
  uptime(): number {
    return this.clock.uptime();
  }

  /** The device for a # letter, or undefined (9front devno(c, 1) == -1). */
  devno(dc: string): Dev | undefined {
    return this.conf.devtab.find((d) => d.dc === dc);
  }

  /** The name space a run's first process starts with. */
  newpgrp(): Pgrp {
    return this.conf.namespace(this);
  }

  /** One line to the host's stderr, 'p9emu: warning: msg' (a kernel print). */
  warn(msg: string): void {
    this.config.console.write(2, new TextEncoder().encode(`p9emu: warning: ${msg}\n`));
  }

  newnoteid(): number {
    return ++this.pidgen;
  }

  /** A new process with its own CPU and an empty address space. */
  newproc(text: string): Proc {
    const p = this.allocproc(text);
    this.newcpu(p);
    return p;
  }

  /** A process table entry with a new pid and no CPU yet (forkproc gives it one later). */
  allocproc(text: string): Proc {
    const p = new Proc(this, ++this.pidgen, text);
    p.user = this.config.user;
    this.procs.set(p.pid, p);
    return p;
  }

  /** Never from inside a CPU hook: Unicorn's engine state is per thread. */
  newcpu(p: Proc): void {
    p.cpu = this.machine.newCpu(this.sched.quantum > 0);
    p.as = new AddressSpace(p.cpu);
    this.arch.attach(p);
    for (const f of this.cpuhooks) f(p);
  }

  /** Free every CPU and its memory (the end of a run, blocked processes included). */
  shutdown(): void {
    for (const p of [...this.procs.values()]) {
      if (p.state !== 'Dead') {
        p.as.detachAll();
        p.cpu.close();
        p.state = 'Dead';
      }
      this.procs.delete(p.pid);
    }
  }

  /** Run every process until none can run again. */
  async run(): Promise<void> {
    const cons = this.config.console;
    await this.sched.run(() => cons.rin.waiters.size > 0 && !cons.eof);
  }
}

/** A kernel for the machine, ready for its first process (386/main.ts spawn). */
export function boot(config: KernelConfig, machine: Machine, arch: Arch, conf: Conf): Plan9 {
  return new Plan9(config, machine, arch, conf);
}
