// A booted guest for the API: one run of a program under the kernel model
// with the CLI's options; hooks on system calls, code, memory, notes and
// the event stream; stops at conditions (until.ts) with registers and
// memory to inspect and change, and snapshots, through the debugger
// control layer (emu/debug/control.ts); and the outcome (exit strings,
// console output, every event).

import { run } from '../emu/run.ts';
import { unicornMachine } from '../emu/cpu/machine.ts';
import { BufferConsole } from '../emu/port/console.ts';
import { instrument } from '../emu/instrument.ts';
import type { Proc } from '../emu/port/proc.ts';
import type { Plan9, SysOutcome } from '../emu/port/kernel.ts';
import type { NoteEvent, SysEnterEvent, TraceEvent } from '../emu/trace/event.ts';
import { systab } from '../emu/port/systab.ts';
import { addCodeHook } from '../emu/cpu/codehook.ts';
import { killproc } from '../emu/port/note.ts';
import type { Program } from './program.ts';
import { Control } from '../emu/debug/control.ts';
import type { AllRegs, RegChange } from '../emu/debug/regs.ts';
import { arm, checkUntil, toStop, type Armed, type Stop, type Until } from './until.ts';
import { Snapshot } from './snapshot.ts';
import type { RunResult as EndResult } from '../emu/run.ts';
import { checkOptions, type BootOptions } from './options.ts';
import type { CodeContext, MemoryAccess, MemoryRange, RunResult, SyscallContext, SyscallHook, SyscallOverride } from './shapes.ts';

type Which = string | number | '*';

interface MemHook {
  from: number;
  to: number;
  kinds: { read: boolean; write: boolean };
  fn: (a: MemoryAccess) => void;
  /** Its control-layer hook's remover, once there is one. */
  off?: () => void;
}

/** A program booted with its options; hooks are added before run(). */
export class Guest {
  private readonly sysHooks: { which: Which; hook: SyscallHook }[] = [];
  private readonly eventFns: ((ev: TraceEvent) => void)[] = [];
  private readonly codeHooks: { addr: number; fn: (c: CodeContext) => void }[] = [];
  private readonly memHooks: MemHook[] = [];
  /** The first error a hook threw: the run is stopped and run() rejects with it. */
  private hookError: unknown = null;
  readonly events: TraceEvent[] = [];

  constructor(readonly program: Program, readonly options: BootOptions = {}) {
    checkOptions(options);
  }

  /** Call fn with each event as it happens (sys, sysenter, note, proc, fault). Returns the remover. */
  onEvent(fn: (ev: TraceEvent) => void): () => void {
    this.eventFns.push(fn);
    return () => void this.eventFns.splice(this.eventFns.indexOf(fn) >>> 0, 1);
  }

  /** Hook the system call named (or numbered) `which`, or every call ('*'). Returns the remover. */
  onSyscall(which: Which, hook: SyscallHook): () => void {
    if (which !== '*' && !systab.some((s) => s !== undefined && (s.name === which || systab.indexOf(s) === which))) {
      throw new Error(`onSyscall: no system call '${which}'`);
    }
    const h = { which, hook };
    this.sysHooks.push(h);
    return () => void this.sysHooks.splice(this.sysHooks.indexOf(h) >>> 0, 1);
  }

  /** Note events: post, drop, deliver, noted, killed. */
  onNote(fn: (ev: NoteEvent) => void): () => void {
    return this.onEvent((ev) => {
      if (ev.kind === 'note') fn(ev);
    });
  }

  /**
   * Call fn before each execution of the instruction at `at` (an address,
   * or a symbol of the program), in every process. Add before run().
   */
  onCode(at: number | string, fn: (c: CodeContext) => void): void {
    const addr = typeof at === 'number' ? at >>> 0 : this.program.addr(at);
    this.codeHooks.push({ addr, fn });
  }

  /**
   * Call fn with each read and/or write, by any process, that overlaps the
   * range; before it is made. Add before the run or at a stop. Returns the
   * remover.
   */
  onMemory(range: MemoryRange, fn: (a: MemoryAccess) => void): () => void {
    const from = this.addrOf(range.from);
    const to = range.to === undefined ? from + 1 : this.addrOf(range.to);
    const access = range.access ?? 'rw';
    if (!(to > from)) throw new Error('onMemory: to is not above from');
    if (access !== 'r' && access !== 'w' && access !== 'rw') throw new Error(`onMemory: access '${access}' is not r, w or rw`);
    if (this.running && !this.control) throw new Error('onMemory: add memory hooks before run() or at a runUntil stop');
    if (this.result) throw new Error('onMemory: the run is over');
    const h: MemHook = { from, to, kinds: { read: access !== 'w', write: access !== 'r' }, fn };
    this.memHooks.push(h);
    if (this.control) this.tap(this.control, h);
    return () => {
      h.off?.();
      this.memHooks.splice(this.memHooks.indexOf(h) >>> 0, 1);
    };
  }

  private tap(c: Control, h: MemHook): void {
    h.off = c.onAccess(h.from, h.to, h.kinds, (a) => this.guard(c.k, () => h.fn({
      pid: a.pid, pc: a.pc, access: a.write ? 'w' : 'r', addr: a.addr, size: a.size,
      value: a.bytes.reduceRight((v, b) => v * 256 + b, 0), bytes: a.bytes,
    })));
  }

  /** The machine's control layer, once runUntil started the run under it. */
  private control: Control | null = null;
  private running: Promise<RunResult> | null = null;
  private result: RunResult | null = null;
  private armed: Armed | null = null;
  /** The current stop (null while running or before the first). */
  private at: Stop | null = null;
  /** Whoever waits for the next stop or the end. */
  private waiter: { resolve: (s: Stop) => void; reject: (e: unknown) => void } | null = null;

  /** Every process's exit string so far, by pid. */
  private exits: Record<number, string> = {};
  /** The machine is kept at the end of the run (a snapshot was taken): restore() may bring it back. */
  private keep = false;
  /** While kept at the end: let the run end ('close') or run on from a restored state ('again'). */
  private atEnd: ((how: 'again' | 'close') => void) | null = null;

  /**
   * Run to the end: from the start, or on from a stop (every stop
   * condition cleared). Resolves once every process has exited (or the
   * timeout).
   */
  async run(): Promise<RunResult> {
    if (this.result) return this.result;
    if (this.running) {
      const s = await this.runUntil([]);
      return (s as Extract<Stop, { reason: 'exit' }>).result;
    }
    this.running = this.execute(this.memHooks.length > 0, []);
    return this.running;
  }

  /**
   * At a stop: the machine's whole state — every process's registers and
   * memory, and the kernel's (process table, fds, name spaces, notes,
   * pipes, /srv, timers, clock, #c/random, console output so far) — to
   * restore() later. From then on the machine is kept at the end of the
   * run, so that a snapshot can be restored after it; close() frees it.
   * Throws where the state reaches outside the machine (a writable host
   * directory at /).
   */
  snapshot(): Snapshot {
    const c = this.ctl('snapshot');
    const s = new Snapshot(this, c.snapshot(), this.at!, this.events.length, { ...this.exits });
    this.keep = true;
    return s;
  }

  /** At a stop, or at the end of a run with a snapshot: bring the machine back to the snapshot; it is stopped where the snapshot was taken. */
  restore(s: Snapshot): void {
    if (s.guest !== this) throw new Error('Guest.restore: the snapshot is of another guest');
    if (!this.atEnd) this.stopped('restore');
    this.control!.restore(s.machine);
    this.events.length = s.events;
    this.exits = { ...s.exits };
    this.at = s.stop;
    this.result = null;
    const again = this.atEnd;
    this.atEnd = null;
    again?.('again');
  }

  /** Free a machine kept for restore() (and kill every process at a stop); resolves once it is gone. */
  async close(): Promise<void> {
    this.keep = false;
    const end = this.atEnd;
    this.atEnd = null;
    if (end) end('close');
    else if (this.at && !this.result) {
      this.control!.kill();
      this.goOn([]);
    }
    await this.running?.catch(() => undefined);
  }

  /**
   * Run (from the start, or on from a stop) until one of the conditions
   * holds, and stop the whole machine there; or until the run ends
   * ({ reason: 'exit' }). A guest run with run() cannot stop.
   */
  async runUntil(until: Until | readonly Until[]): Promise<Stop> {
    const conds: readonly Until[] = Array.isArray(until) ? until : [until as Until];
    checkUntil(this.program, conds);
    if (this.result) return { reason: 'exit', result: this.result };
    const next = this.nextStop();
    if (!this.running) this.running = this.execute(true, conds);
    else {
      this.stopped('runUntil');
      this.goOn(conds);
    }
    return next;
  }

  /** Go on from a stop until the same conditions hold again (an instruction count counts afresh), or the end. */
  continue(): Promise<Stop> {
    this.stopped('continue');
    return this.runUntil(this.armed!.conds);
  }

  /** At a stop: kill every process and run to the end. */
  async kill(): Promise<RunResult> {
    if (this.result) return this.result;
    this.stopped('kill');
    this.control!.kill();
    return this.run();
  }

  /** The current stop; throws unless the machine is stopped. */
  get stop(): Stop {
    this.stopped('stop');
    return this.at!;
  }

  /** A process's registers at the stop: general, EIP (pc), EFLAGS (flags), segment, and fp: x87 and SSE. pid defaults to the stop's. */
  regs(pid?: number): AllRegs {
    return this.ctl('regs').regs(this.pidOf(pid));
  }

  /** Change registers at the stop (any subset, fp fields included); they take effect when the machine goes on. */
  setRegs(change: RegChange, pid?: number): void {
    this.ctl('setRegs').setRegs(this.pidOf(pid), change);
  }

  /** n bytes at an address or symbol in a process's memory (default: the stop's); throws for unmapped memory. */
  read(at: number | string, n: number, pid?: number): Uint8Array {
    return this.ctl('read').read(this.pidOf(pid), this.addrOf(at), n);
  }

  /** Store bytes at an address or symbol (text included: code translated from it is dropped). */
  write(at: number | string, data: Uint8Array, pid?: number): void {
    this.ctl('write').write(this.pidOf(pid), this.addrOf(at), data);
  }

  /** The processes at the stop: pid, name, state, queued notes. */
  procs(): { pid: number; text: string; state: string; notes: string[] }[] {
    return this.ctl('procs').procs();
  }

  private addrOf(at: number | string): number {
    return typeof at === 'number' ? at >>> 0 : this.program.addr(at);
  }

  private pidOf(pid: number | undefined): number {
    const at = this.at;
    return pid ?? (at && at.reason !== 'exit' ? at.pid : 0);
  }

  private ctl(what: string): Control {
    this.stopped(what);
    return this.control!;
  }

  /** Throws unless the machine is stopped at a runUntil stop. */
  private stopped(what: string): void {
    if (this.result) throw new Error(`Guest.${what}: the run is over`);
    if (!this.control || !this.at) throw new Error(`Guest.${what}: the machine is not stopped (runUntil stops it)`);
  }

  private nextStop(): Promise<Stop> {
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** Leave the stop with new conditions (a note stopped at is delivered). */
  private goOn(conds: readonly Until[]): void {
    const c = this.control!;
    this.armed = arm(c, this.program, conds, this.armed);
    this.at = null;
    c.cont({ deliver: true });
  }

  /** Under the control layer: each stop it makes is the API's, or the machine goes on. */
  private attach(k: Plan9, conds: readonly Until[]): void {
    const c = (this.control = new Control(k, { stopAtStart: false, stopOnNotes: false }));
    this.armed = arm(c, this.program, conds, null);
    for (const h of this.memHooks) this.tap(c, h);
    c.onStop((r) => {
      if (r.kind === 'exited') return;
      const s = this.hookError === null ? toStop(c, this.program, this.armed!, r) : null;
      if (!s) return void c.cont({ deliver: true });
      this.at = s;
      const w = this.waiter;
      this.waiter = null;
      w?.resolve(s);
    });
  }

  /** The run itself; under the control layer when `debug`. */
  private async execute(debug: boolean, conds: readonly Until[]): Promise<RunResult> {
    try {
      const r = await this.boot(debug, conds);
      this.result = r;
      this.settle({ reason: 'exit', result: r });
      return r;
    } catch (e) {
      this.waiter?.reject(e);
      throw e;
    } finally {
      this.waiter = null;
    }
  }

  /** The run ended: whoever waits gets the exit. */
  private settle(s: Extract<Stop, { reason: 'exit' }>): void {
    this.at = null;
    const w = this.waiter;
    this.waiter = null;
    w?.resolve(s);
  }

  private async boot(debug: boolean, conds: readonly Until[]): Promise<RunResult> {
    const o = this.options;
    const cons = new BufferConsole(o.stdin ?? '', true, o.echo ?? false);
    const det = o.deterministic || o.seed !== undefined ? { seed: o.seed ?? 0 } : undefined;
    const ins = await instrument({ det }, [this.program.image]);
    const enters = new Map<number, SysEnterEvent>();
    const sink = (ev: TraceEvent): void => {
      this.events.push(ev);
      if (ev.kind === 'sysenter') enters.set(ev.pid, ev);
      if (ev.kind === 'proc' && ev.what === 'exits') this.exits[ev.pid] = ev.status ?? '';
      for (const f of [...this.eventFns]) f(ev);
    };
    const result = (r: EndResult): RunResult => {
      const stdoutBytes = new Uint8Array(Buffer.concat(cons.out));
      return {
        exitstr: r.exitstr, code: r.code, exits: { ...this.exits }, stdoutBytes,
        stdout: new TextDecoder().decode(stdoutBytes), stderr: cons.stderr(),
        events: [...this.events], deadlock: r.deadlock, timedout: r.timedout,
      };
    };
    try {
      const r = await run(this.program.image, {
        machine: unicornMachine(),
        console: cons,
        flavor: o.kernel ?? '4e',
        argv: [this.program.name, ...(o.args ?? [])],
        name: this.program.name,
        env: { ...o.env },
        root: o.root !== undefined ? { dir: o.root, writable: o.rw ?? false } : null,
        ncpu: o.cpus ?? 1,
        timeoutMs: o.timeout !== undefined ? o.timeout * 1000 : undefined,
        trace: { cats: ['sys', 'notes', 'proc'], sink },
        onkernel: (k) => {
          ins.onkernel(k);
          this.installSyscallHooks(k, enters);
          this.installCodeHooks(k);
          if (debug) this.attach(k, conds);
        },
        onend: (_k, first, end) => {
          this.control?.exited(first.pid, first.exitstr);
          if (!this.keep || this.hookError !== null) return;
          // Kept for restore(): the end is a stop of its own.
          const res = (this.result = result(end));
          this.settle({ reason: 'exit', result: res });
          return new Promise<'again' | 'close'>((go) => (this.atEnd = go)).then((how) => (how === 'again' ? how : undefined));
        },
      });
      if (this.hookError !== null) throw this.hookError;
      return this.result ?? result(r);
    } finally {
      ins.close();
    }
  }

  /** Run a user hook; a throw stops the run (every process killed) and run() rejects with it. */
  private guard<T>(k: Plan9, f: () => T): T | undefined {
    try {
      return f();
    } catch (e) {
      this.hookError ??= e;
      for (const p of [...k.procs.values()]) killproc(p);
      k.sched.current?.cpu.stop();
      return undefined;
    }
  }

  private installCodeHooks(k: Plan9): void {
    if (this.codeHooks.length === 0) return;
    k.cpuhooks.push((p) => {
      for (const h of this.codeHooks) {
        addCodeHook(p.cpu, h.addr, h.addr, (pc) => {
          this.guard(k, () => h.fn({
            pid: p.pid, pc, regs: p.cpu.regs(),
            read: (a, n) => p.as.read(a, n), write: (a, d) => p.as.write(a, d), string: (a) => p.as.str(a, 1 << 16) ?? '',
          }));
        });
      }
    });
  }

  private hooksFor(name: string, num: number): SyscallHook[] {
    return this.sysHooks.filter((h) => h.which === '*' || h.which === name || h.which === num).map((h) => h.hook);
  }

  private installSyscallHooks(k: Plan9, enters: Map<number, SysEnterEvent>): void {
    const before = k.sysbefore;
    const ctx = (up: Proc): SyscallContext => {
      const ev = enters.get(up.pid);
      return {
        pid: up.pid, name: ev?.name ?? systab[up.scallnr]?.name ?? `sys${up.scallnr}`, num: up.scallnr,
        args: ev?.args ?? [], words: [...up.sysargs], regs: up.cpu.regs(),
        read: (a, n) => up.as.read(a, n),
        write: (a, d) => up.as.write(a, d),
        string: (a) => up.as.str(a, 1 << 16) ?? '',
      };
    };
    k.sysbefore = (up, name) => {
      const given = before?.(up, name) ?? null;
      if (given) return given;
      const hooks = this.hooksFor(name, up.scallnr).filter((h) => h.enter);
      if (hooks.length === 0) return null;
      const c = ctx(up);
      for (const h of hooks) {
        const o = this.guard(k, () => h.enter!(c));
        if (o) return outcome(o);
      }
      return null;
    };
    k.sysafter = (up, ret) => {
      const name = systab[up.scallnr]?.name ?? '';
      const hooks = this.hooksFor(name, up.scallnr).filter((h) => h.exit);
      if (hooks.length === 0) return null;
      const c = { ...ctx(up), ret: ret | 0, err: ret === -1 ? up.errstr : '' };
      for (const h of hooks) {
        const o = this.guard(k, () => h.exit!(c));
        if (o) return outcome(o);
      }
      return null;
    };
  }
}

function outcome(o: SyscallOverride): SysOutcome {
  return 'error' in o ? { err: o.error } : { ret: o.ret };
}

/** Boot `program` with the CLI's options; add hooks, then run(). */
export function boot(program: Program, options: BootOptions = {}): Guest {
  return new Guest(program, options);
}
