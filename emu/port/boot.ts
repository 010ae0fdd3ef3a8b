// The kernel proper: the process table, pids and note groups, fork, and the
// entry points devices call (9front port/proc.c newproc/postnote,
// port/sysproc.c's rfork body, pc/main.c's first process). boot() wires a
// Machine (CPUs, memory) and a configuration into a runnable kernel.

import type { Machine } from '../cpu/cpu.ts';
import type { Arch, DebugHooks, Kernel, KernelConfig } from './kernel.ts';
import { Proc } from './proc.ts';
import { Sched } from './sched.ts';
import { Trace } from '../trace/trace.ts';
import { hostClock, type Clock } from './clock.ts';
import { randomBytes } from 'node:crypto';
import { AddressSpace } from './segment.ts';
import { pushnote } from './note.ts';
import { NExit, RFCENVG, RFCFDG, RFCNAMEG, RFENVG, RFFDG, RFMEM, RFNAMEG, RFNOTEG, RFNOWAIT, RFREND } from './dat.ts';
import { Fgrp } from './fgrp.ts';
import { Egrp } from './devenv.ts';
import { newpgrp } from './pgrp.ts';
import { Rgrp } from './rgrp.ts';

export class Plan9 implements Kernel {
  readonly procs = new Map<number, Proc>();
  readonly sched: Sched;
  readonly trace = new Trace();
  private pidgen = 0;
  /** What now() and uptime() read: the host's, or a virtual clock (--deterministic). */
  clock: Clock = hostClock();
  /** Random bytes for #c/random (seeded under --deterministic). */
  random: (n: number) => Uint8Array = (n) => new Uint8Array(randomBytes(n));
  /** --fail-syscall: an error string fails the call without running it. */
  sysfail: ((up: Proc, name: string) => string | null) | null = null;
  /** Run on every new process's CPU after the trap is attached (instruction trace, injection). */
  readonly cpuhooks: ((p: Proc) => void)[] = [];
  debug: DebugHooks | null = null;

  constructor(
    readonly config: KernelConfig,
    readonly machine: Machine,
    readonly arch: Arch,
    /** Called once per process when it is created, to hook its CPU (386 trap). */
    private readonly attach: (p: Proc) => void,
  ) {
    this.sched = new Sched(() => this.now(), () => this.procs.values());
    this.trace.clock = () => this.uptime();
  }

  get flavor() {
    return this.config.flavor;
  }

  now(): number {
    return this.clock.now();
  }

  uptime(): number {
    return this.clock.uptime();
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

  private allocproc(text: string): Proc {
    const p = new Proc(this, ++this.pidgen, text);
    p.user = this.config.user;
    this.procs.set(p.pid, p);
    return p;
  }

  /** Never from inside a CPU hook: Unicorn's engine state is per thread. */
  private newcpu(p: Proc): void {
    p.cpu = this.machine.newCpu();
    p.as = new AddressSpace(p.cpu);
    this.attach(p);
    for (const f of this.cpuhooks) f(p);
  }

  postnote(p: Proc, msg: string, flag: number): boolean {
    const ok = pushnote(p, msg, flag);
    this.trace.note(p, ok ? 'post' : 'drop', msg, { from: this.sched.current?.pid, flag, queued: p.notes.length });
    if (ok) this.sched.interrupt(p);
    return ok;
  }

  pgrpnote(noteid: number, msg: string, flag: number, except: Proc | null): void {
    for (const p of [...this.procs.values()]) {
      if (p !== except && p.noteid === noteid && p.alive) this.postnote(p, msg, flag);
    }
  }

  killproc(p: Proc): void {
    if (!p.alive) return;
    p.procctl = 'exitme';
    this.postnote(p, 'sys: killed', NExit);
    this.sched.interrupt(p);
  }

  regroup(p: Proc, src: Proc, flag: number): void {
    if (flag & RFFDG) p.fgrp = src.fgrp.dup();
    else if (flag & RFCFDG) p.fgrp = new Fgrp();
    else if (p !== src) (p.fgrp = src.fgrp).ref++;
    if (flag & RFNAMEG) p.pgrp = src.pgrp.dup();
    else if (flag & RFCNAMEG) p.pgrp = newpgrp(this.config);
    else p.pgrp = src.pgrp;
    if (flag & RFENVG) p.egrp = src.egrp.dup();
    else if (flag & RFCENVG) p.egrp = new Egrp();
    else p.egrp = src.egrp;
    if (flag & RFREND) p.rgrp = new Rgrp();
    else if (p !== src) p.rgrp = src.rgrp;
  }

  /**
   * rfork's body. Runs inside the parent's INT hook, where no CPU may be
   * created, so the child gets its identity now and its CPU, memory and
   * registers right after the parent's CPU stops — before the parent runs
   * again, so it is still the state at the INT.
   */
  forkproc(up: Proc, flag: number): Proc {
    const p = this.allocproc(up.text);
    this.regroup(p, up, flag);
    p.dot = up.dot;
    p.textpath = up.textpath;
    p.user = up.user;
    p.parent = up;
    p.ppid = flag & RFNOWAIT && this.flavor === '4e' ? 0 : up.pid;
    p.noteid = flag & RFNOTEG ? p.pid : up.noteid;
    p.notify = up.notify;
    if (this.flavor === '4e') {
      // 4e copies the pending notes; 9front starts the child with none.
      p.notes = up.notes.map((n) => ({ ...n }));
      p.lastnote = up.lastnote;
      p.ureg = up.ureg;
    }
    if (flag & RFNOWAIT) p.nowait = true;
    else up.nchild++;
    up.afterSyscall = () => {
      this.newcpu(p);
      // Text and segattach's "shared" always shared; data, bss and
      // "memory" with RFMEM; the stack never (9front dupseg).
      for (const s of up.as.segs) {
        const share = s.type === 'text' || s.type === 'shared'
          || (flag & RFMEM && (s.type === 'data' || s.type === 'bss' || s.type === 'memory'));
        p.as.attach(share ? s : s.copy(this.machine.alloc));
      }
      this.arch.forkchild(p, up);
      this.sched.ready(p);
    };
    return p;
  }

  /** Free every CPU and its memory (the end of a run, blocked processes included). */
  shutdown(): void {
    for (const p of [...this.procs.values()]) {
      if (p.state !== 'Dead' && p.state !== 'Broken') {
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
