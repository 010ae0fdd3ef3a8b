// Machine control for debuggers: stop and continue the whole machine,
// single-step one process, breakpoints at addresses, watchpoints on
// address ranges, registers and memory of a process by pid, and a stop
// whenever a note is about to be delivered. The gdb stub (gdbstub.ts) and
// the library API are both clients; docs/debug.md describes the model.
//
// The machine is one JS thread running each process's CPU in turn
// (port/sched.ts). Stopping it means holding the process that was about to
// run at the head of the run queue (the trap path asks at its safe points
// through Kernel.debug, port/kernel.ts) and not dispatching anyone until
// cont() or step(). Every CPU is idle while the machine is stopped, so
// registers and memory are read and written directly.
//
// While a Control is attached the CPUs run in Unicorn's exact
// instruction-count mode (Sched.quantum, as a count): stops from a code hook
// are then exact (the instruction at the hook has not run) and no stop
// comes from another thread in the middle of a block (cpu/exitreq.ts).

import { killproc } from '../port/note.ts';
import type { Plan9 } from '../port/kernel.ts';
import type { DebugHooks } from '../port/kernel.ts';
import type { Proc } from '../port/proc.ts';
import type { Note } from '../port/dat.ts';
import type { RunOptions, Stop } from '../cpu/cpu.ts';
import { NUser } from '../port/dat.ts';
import { addCodeHook, addMemHook, addPcHook, type CodeRanges } from '../cpu/codehook.ts';
import { PROT_EXEC } from '../cpu/cpu.ts';

import { readRegs, writeRegs, type AllRegs, type RegChange } from './regs.ts';
import { corpse, corpseRead, type Corpse } from './corpse.ts';
import { restore, snapshot, type KernelSnapshot } from './snapshot.ts';

/** A stopped machine's state (snapshot()), for restore(). */
export interface MachineSnapshot {
  readonly kernel: KernelSnapshot;
  readonly stopped: StopReason;
  readonly held: { p: Proc; n: Note } | null;
  readonly passing: readonly [Proc, number][];
}

/** Instructions per slice while a debugger is attached (unless --deterministic chose a quantum). */
export const DEBUG_QUANTUM = 200_000;

export type WatchKind = 'write' | 'read' | 'access';

export interface Watchpoint {
  readonly id: number;
  readonly addr: number;
  readonly len: number;
  readonly kind: WatchKind;
}

/** Why the machine stopped; `pid` is the process it stopped on. */
export type StopReason =
  | { kind: 'start'; pid: number }
  | { kind: 'interrupt'; pid: number }
  | { kind: 'breakpoint'; pid: number; addr: number }
  /** After the accessing instruction; `addr` is the accessed address within the watched range. */
  | { kind: 'watchpoint'; pid: number; addr: number; access: 'read' | 'write'; wp: Watchpoint }
  | { kind: 'step'; pid: number }
  /** The note is still queued: cont({ deliver: true }) delivers it, cont() discards it. */
  | { kind: 'note'; pid: number; note: string }
  /** A system call caught (catchSyscall): at enter pc is at its INT $64 and the call has not run; at exit AX holds its result. */
  | { kind: 'syscall'; pid: number; num: number; when: 'enter' | 'exit' }
  /** stopAfter(n): n instructions ran (counting every process); the next has not. */
  | { kind: 'count'; pid: number; n: number }
  /** stopAt() from a hook (a system call, a trace event). */
  | { kind: 'request'; pid: number; why: string }
  /** The run is over: nothing can run again. pid is the first process. */
  | { kind: 'exited'; pid: number; exitstr: string };

export interface ControlOptions {
  /** Stop before the first instruction of the first process (default true). */
  stopAtStart?: boolean;
  /** Stop when a note is about to be delivered (default true). */
  stopOnNotes?: boolean;
}

/** Which notes stop the machine before delivery, and which system calls at enter or exit. */
export type NoteFilter = (p: Proc, note: string) => boolean;
export type SyscallFilter = (p: Proc, when: 'enter' | 'exit') => boolean;

/** A memory access an access hook (onAccess) sees, before it is made. */
export interface Access {
  pid: number;
  /** The accessing instruction. */
  pc: number;
  write: boolean;
  addr: number;
  size: number;
  /** The bytes read (as they are) or being written. */
  bytes: Uint8Array;
}

interface Tap {
  from: number;
  to: number;
  kinds: { read: boolean; write: boolean };
  fn: (a: Access) => void;
}

export interface ProcInfo {
  pid: number;
  text: string;
  /** The kernel's state name (Ready, Running, Wakeme, Broken, ...). */
  state: string;
  notes: string[];
}

type Pending = { kind: 'start' | 'interrupt' } | { kind: 'request'; why: string; pid: number };

export class Control {
  /** The current stop, or null while the machine runs. */
  stopped: StopReason | null = null;
  private readonly listeners = new Set<(r: StopReason) => void>();
  private release: (() => void) | null = null;
  private gate: Promise<void> | null = null;
  /** A stop asked for while running: taken at the next safe point. */
  private pending: Pending | null;
  private stepping: Proc | null = null;
  private stepDone = false;
  /** Processes restarted on a breakpoint's address: its hook lets them pass once. */
  private readonly skip = new Map<Proc, number>();
  private readonly hits = new Map<Proc, StopReason>();
  private readonly seen = new WeakMap<Proc, Note>();
  private held: { p: Proc; n: Note } | null = null;
  private readonly bps = new Map<number, number>();  // address -> references
  private readonly wps = new Map<number, Watchpoint>();
  private wpid = 0;
  private readonly taps = new Map<number, Tap>();
  /** Per process: its engine hooks' removers by key (bp:ADDR, wp:ADDR:LEN:KIND, next). */
  private readonly hooks = new Map<Proc, Map<string, () => void>>();
  private readonly corpses = new Map<number, Corpse>();
  /** The notes that stop the machine before delivery (null: none). */
  notes: NoteFilter | null;
  /** The system calls that stop the machine, at enter or exit (gdb's catch syscall; null: none). */
  syscalls: SyscallFilter | null = null;
  /** Processes held at a system call's INT $64: the address, so that the call runs when they go on from there. */
  private readonly passing = new Map<Proc, number>();
  /** stopAfter(): instructions left before the stop, and how many were asked for. */
  private budget: { left: number; n: number } | null = null;
  private last: Proc | null = null;

  constructor(readonly k: Plan9, o: ControlOptions = {}) {
    this.pending = o.stopAtStart === false ? null : { kind: 'start' };
    this.notes = o.stopOnNotes !== false ? () => true : null;
    if (k.sched.quantum === 0) k.sched.quantum = DEBUG_QUANTUM;
    k.debug = this.hooksForKernel();
    k.sched.gate = () => this.atGate();
    k.sched.eligible = (p) => this.stepping === null || p === this.stepping || this.stepping.state !== 'Ready';
    k.cpuhooks.push((p) => this.hookcpu(p));
    k.reapers.push((p) => {
      if (p.state === 'Broken') this.corpses.set(p.pid, corpse(p));
    });
    for (const p of k.procs.values()) if (p.alive) this.hookcpu(p);
  }

  // --- stopping and going on ------------------------------------------------

  /** Called with every stop (after the machine has stopped). */
  onStop(fn: (r: StopReason) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The next stop (the current one if stopped now). */
  wait(): Promise<StopReason> {
    if (this.stopped) return Promise.resolve(this.stopped);
    return new Promise((resolve) => {
      const off = this.onStop((r) => {
        off();
        resolve(r);
      });
    });
  }

  /** Stop the machine as soon as it can (gdb's ^C). */
  interrupt(): void {
    if (this.stopped) return;
    this.pending ??= { kind: 'interrupt' };
    this.k.sched.current?.cpu.stop();
    this.k.sched.wake();
  }

  /** Stop at the next safe point with p on the CPU; for hooks (a system call, a trace event). */
  stopAt(p: Proc, why: string): void {
    if (this.stopped) return;
    this.pending = { kind: 'request', why, pid: p.pid };
    if (this.k.sched.current === p) p.cpu.stop();
    this.k.sched.wake();
  }

  /** Let every process run. deliver: a note stop's note goes out (else it is discarded, as gdb's `c` drops a signal). */
  cont(o: { deliver?: boolean } = {}): void {
    if (!this.stopped) return;
    this.resume(o.deliver ?? false);
  }

  /** Run one instruction of process pid (others wait), then stop. A blocking system call lets others run until it returns. */
  step(pid: number, o: { deliver?: boolean } = {}): void {
    if (!this.stopped) return;
    const p = this.live(pid);
    this.stepping = p;
    this.stepDone = false;
    this.resume(o.deliver ?? false);
  }

  /** Stop once n more instructions have run (every process counted; n = 0 clears). Every instruction is slower while set. */
  stopAfter(n: number): void {
    this.budget = n > 0 ? { left: n, n } : null;
    if (this.budget) for (const p of this.hooked()) this.hookcount(p);
  }

  /** The run ended (nothing can run again): the last stop. */
  exited(pid: number, exitstr: string): void {
    this.enter({ kind: 'exited', pid, exitstr });
    this.gate = null;  // nothing left to hold
  }

  private resume(deliver: boolean): void {
    const h = this.held;
    this.held = null;
    if (h && !deliver) {
      const i = h.p.notes.indexOf(h.n);
      if (i >= 0) h.p.notes.splice(i, 1);
    }
    // A process restarted at a breakpoint runs that instruction first.
    for (const p of this.k.sched.runq) {
      const pc = p.cpu.reg('pc');
      if (this.bps.has(pc)) this.skip.set(p, pc);
    }
    this.prune();
    this.stopped = null;
    const r = this.release;
    this.release = null;
    this.gate = null;
    r?.();
  }

  private enter(r: StopReason): void {
    this.stopped = r;
    this.pending = null;
    this.stepping = null;
    this.gate = new Promise((resolve) => (this.release = resolve));
    for (const fn of [...this.listeners]) queueMicrotask(() => fn(r));
  }

  /** The scheduler asks before each dispatch. */
  private atGate(): Promise<void> | null {
    if (!this.stopped && this.pending) {
      const p = this.k.sched.runq[0] ?? this.last ?? [...this.k.procs.values()].find((x) => x.alive);
      this.enter(this.reason(this.pending, p?.pid ?? 0));
    }
    return this.stopped ? this.gate : null;
  }

  private reason(w: Pending, pid: number): StopReason {
    return w.kind === 'request' ? { kind: 'request', why: w.why, pid: w.pid } : { kind: w.kind, pid };
  }

  /** Stop on p's hit, if it has one; a system call caught at enter goes back to its INT. */
  private take(p: Proc): boolean {
    const hit = this.hits.get(p);
    if (!hit) return false;
    this.hits.delete(p);
    if (hit.kind === 'syscall' && hit.when === 'enter') {
      const at = (p.cpu.reg('pc') - 2) >>> 0;
      p.cpu.setReg('pc', at);
      this.passing.set(p, at);
    }
    this.enter(this.stepping === p ? { kind: 'step', pid: p.pid } : hit);
    return true;
  }

  private hooksForKernel(): DebugHooks {
    return {
      afterRun: (p: Proc, _stop: Stop): boolean => {
        this.last = p;
        this.skip.delete(p);
        this.passing.delete(p);
        if (this.stepping === p) this.stepDone = true;
        return this.take(p);
      },
      beforeSyscall: (p: Proc): boolean => {
        // The INT is 2 bytes (CD 40); pc is after it.
        const at = (p.cpu.reg('pc') - 2) >>> 0;
        if (this.passing.get(p) === at) {
          this.passing.delete(p);
          return false;
        }
        if (this.hits.has(p) || !this.syscalls?.(p, 'enter')) return false;
        this.hits.set(p, { kind: 'syscall', pid: p.pid, num: p.scallnr, when: 'enter' });
        return true;
      },
      afterSyscall: (p: Proc): boolean => {
        if (this.hits.has(p) || !this.syscalls?.(p, 'exit')) return false;
        this.hits.set(p, { kind: 'syscall', pid: p.pid, num: p.scallnr, when: 'exit' });
        return true;
      },
      beforeNotes: (p: Proc): boolean => {
        const n = p.notes[0];
        if (!n || p.procctl !== null || !this.notes?.(p, n.msg)) return false;
        if (p.notified && n.flag === NUser) return false;  // waits for noted
        if (this.seen.get(p) === n) return false;
        this.seen.set(p, n);
        this.held = { p, n };
        this.enter({ kind: 'note', pid: p.pid, note: n.msg });
        return true;
      },
      beforeRun: (p: Proc): boolean => {
        // A system call that returned after blocking is caught at exit here.
        if (this.take(p)) return true;
        if (this.stepping === p && this.stepDone) {
          this.enter({ kind: 'step', pid: p.pid });
          return true;
        }
        if (this.pending) {
          this.enter(this.reason(this.pending, p.pid));
          return true;
        }
        return false;
      },
      // Exact counts: a watchpoint's stop is exact only with every instruction hooked.
      runOptions: (p: Proc, o: RunOptions): RunOptions =>
        (this.stepping === p || this.skip.has(p) ? { count: 1 } : o.quantum ? { count: o.quantum } : o),
    };
  }

  // --- breakpoints and watchpoints ------------------------------------------

  // Hooks stay in the engine once added: a removed breakpoint or watchpoint
  // only stops matching, and adding it again finds its hook. gdb takes its
  // breakpoints out at every stop and puts them back at every resume, and
  // each new hook costs a retranslation.

  /** Stop any process before it runs the instruction at addr. Counted: add twice, remove twice. */
  addBreakpoint(addr: number): void {
    addr >>>= 0;
    this.bps.set(addr, (this.bps.get(addr) ?? 0) + 1);
    for (const p of this.hooked()) this.hookbp(p, addr);
  }

  removeBreakpoint(addr: number): boolean {
    addr >>>= 0;
    const n = this.bps.get(addr);
    if (n === undefined) return false;
    if (n > 1) this.bps.set(addr, n - 1);
    else this.bps.delete(addr);
    return true;
  }

  breakpoints(): number[] {
    return [...this.bps.keys()];
  }

  /** Stop a process after an instruction that reads or writes [addr, addr+len). */
  addWatchpoint(addr: number, len: number, kind: WatchKind): Watchpoint {
    const w: Watchpoint = { id: ++this.wpid, addr: addr >>> 0, len: Math.max(1, len), kind };
    this.wps.set(w.id, w);
    for (const p of this.hooked()) this.hookwp(p, w);
    return w;
  }

  removeWatchpoint(w: Watchpoint | number): boolean {
    return this.wps.delete(typeof w === 'number' ? w : w.id);
  }

  /**
   * Call fn with each read and/or write by any process that overlaps
   * [from, to), before it is made; the machine does not stop. Returns the
   * remover (its engine hooks go at the next resume).
   */
  onAccess(from: number, to: number, kinds: { read: boolean; write: boolean }, fn: (a: Access) => void): () => void {
    const id = ++this.wpid;
    const t: Tap = { from: from >>> 0, to, kinds, fn };
    this.taps.set(id, t);
    for (const p of this.hooked()) this.hooktap(p, id, t);
    return () => void this.taps.delete(id);
  }

  /** The watchpoint covering [addr, addr+len) of that kind, if any. */
  findWatchpoint(addr: number, len: number, kind: WatchKind): Watchpoint | undefined {
    return [...this.wps.values()].find((w) => w.addr === addr >>> 0 && w.len === len && w.kind === kind);
  }

  private hooked(): Proc[] {
    return [...this.hooks.keys()].filter((p) => p.alive);
  }

  private hookcpu(p: Proc): void {
    this.hooks.set(p, new Map());
    for (const a of this.bps.keys()) this.hookbp(p, a);
    for (const w of this.wps.values()) this.hookwp(p, w);
    for (const [id, t] of this.taps) this.hooktap(p, id, t);
    if (this.budget) this.hookcount(p);
  }

  /** Add p's hook under key unless it has one. */
  private once(p: Proc, key: string, add: () => () => void): void {
    const m = this.hooks.get(p);
    if (m && !m.has(key)) m.set(key, add());
  }

  /**
   * At a resume: drop the hooks of watchpoints no longer set. Every memory
   * access is slower while memory hooks exist, and every instruction while
   * the `next` hook does.
   */
  private prune(): void {
    const live = new Set([...this.wps.values()].map((w) => `wp:${w.addr}:${w.len}:${w.kind}`));
    if (live.size > 0) live.add('next');
    if (this.budget) live.add('count');
    for (const id of this.taps.keys()) live.add(`tap:${id}`);
    for (const m of this.hooks.values()) {
      for (const [key, remove] of m) {
        if ((key.startsWith('wp:') || key.startsWith('tap:') || key === 'next' || key === 'count') && !live.has(key)) {
          remove();
          m.delete(key);
        }
      }
    }
  }

  private hookbp(p: Proc, addr: number): void {
    this.once(p, `bp:${addr}`, () => addPcHook(p.cpu, addr, (pc) => {
      if (!this.bps.has(pc) || this.skip.get(p) === pc || this.hits.has(p)) return;
      this.hits.set(p, { kind: 'breakpoint', pid: p.pid, addr: pc });
      p.cpu.stop();
    }));
  }

  private hookwp(p: Proc, w: Watchpoint): void {
    const kinds = { read: w.kind !== 'write', write: w.kind !== 'read' };
    // An access starting up to 7 bytes below the range may cover it.
    this.once(p, `wp:${w.addr}:${w.len}:${w.kind}`, () => addMemHook(p.cpu, w.addr - 7, w.addr + w.len - 1, kinds, (write, a, size) => {
      if (this.hits.has(p)) return;
      const on = this.findWatchpoint(w.addr, w.len, w.kind);
      if (!on || a + size <= on.addr || a >= on.addr + on.len) return;
      this.hits.set(p, { kind: 'watchpoint', pid: p.pid, addr: Math.max(a, on.addr), access: write ? 'write' : 'read', wp: on });
    }, code(p)));
    // The stop comes before the next instruction, so that the access has been made.
    this.once(p, 'next', () => addCodeHook(p.cpu, 1, 0, () => {
      if (this.hits.get(p)?.kind === 'watchpoint') p.cpu.stop();
    }, code(p)));
  }

  private hooktap(p: Proc, id: number, t: Tap): void {
    // An access starting up to 7 bytes below the range may reach into it.
    this.once(p, `tap:${id}`, () => addMemHook(p.cpu, Math.max(0, t.from - 7), t.to - 1, t.kinds, (write, addr, size, value) => {
      if (!this.taps.has(id) || addr + size <= t.from || addr >= t.to) return;
      const bytes = write ? lebytes(value, size) : p.as.okaddr(addr, size, false) ? p.as.read(addr, size) : new Uint8Array(size);
      t.fn({ pid: p.pid, pc: p.cpu.reg('pc'), write, addr, size, bytes });
    }, code(p)));
  }

  /** Count p's instructions against the budget; stop before the one past it. */
  private hookcount(p: Proc): void {
    this.once(p, 'count', () => addCodeHook(p.cpu, 1, 0, () => {
      const b = this.budget;
      if (!b || this.hits.has(p)) return;
      if (b.left > 0) {
        b.left--;
        return;
      }
      this.budget = null;
      this.hits.set(p, { kind: 'count', pid: p.pid, n: b.n });
      p.cpu.stop();
    }, code(p)));
  }

  // --- processes, registers, memory -----------------------------------------

  /** Live processes and Broken ones, by pid. */
  procs(): ProcInfo[] {
    return [...this.k.procs.values()]
      .filter((p) => p.alive || p.state === 'Broken')
      .map((p) => ({ pid: p.pid, text: p.text, state: p.state, notes: p.notes.map((n) => n.msg) }));
  }

  proc(pid: number): Proc | undefined {
    return this.k.procs.get(pid);
  }

  /** What a Broken process left (registers, memory, note), if it died while this Control was attached. */
  corpse(pid: number): Corpse | undefined {
    return this.corpses.get(pid);
  }

  regs(pid: number): AllRegs {
    const c = this.corpses.get(pid);
    if (c && !this.k.procs.get(pid)?.alive) return c.regs;
    return readRegs(this.live(pid).cpu);
  }

  setRegs(pid: number, r: RegChange): void {
    this.idle();
    writeRegs(this.live(pid).cpu, r);
  }

  /** len bytes at addr in pid's address space; throws when any is unmapped. */
  read(pid: number, addr: number, len: number): Uint8Array {
    const p = this.k.procs.get(pid);
    if (p && !p.alive) {
      const c = this.corpses.get(pid);
      const b = c && corpseRead(c, addr, len);
      if (!b) throw new Error(`bad address 0x${(addr >>> 0).toString(16)}`);
      return b;
    }
    const q = this.live(pid);
    if (!q.as.okaddr(addr, len, false)) throw new Error(`bad address 0x${(addr >>> 0).toString(16)}`);
    return q.as.read(addr, len);
  }

  /** Store bytes in pid's address space, text included (translated code there is dropped, for every process mapping it). */
  write(pid: number, addr: number, data: Uint8Array): void {
    this.idle();
    const p = this.live(pid);
    if (!p.as.okaddr(addr, data.length, false)) throw new Error(`bad address 0x${(addr >>> 0).toString(16)}`);
    p.as.write(addr, data);
    for (let a = addr; a < addr + data.length; ) {
      const s = p.as.seg(a)!;
      const end = Math.min(s.top, addr + data.length);
      if (s.type === 'text' || s.prot & PROT_EXEC) for (const as of s.users) as.cpu.invalidate(a, end - a);
      a = end;
    }
  }

  private live(pid: number): Proc {
    const p = this.k.procs.get(pid);
    if (!p || !p.alive) throw new Error(`no process ${pid}`);
    return p;
  }

  /** Registers may change only while no CPU runs (a stop, or a hook between runs). */
  private idle(): void {
    if (!this.stopped && this.k.sched.current !== null) throw new Error('the machine is running');
  }

  /** Kill every process (gdb's `kill`); the run then ends. */
  kill(): void {
    for (const p of [...this.k.procs.values()]) killproc(p);
  }

  /** At a stop: the machine's state (emu/debug/snapshot.ts) and where it stopped. */
  snapshot(): MachineSnapshot {
    if (!this.stopped || this.stopped.kind === 'exited') throw new Error('snapshot: the machine is not stopped');
    return { kernel: snapshot(this.k), stopped: this.stopped, held: this.held, passing: [...this.passing] };
  }

  /**
   * Bring the machine back to a snapshot, stopped where it was taken: at
   * a stop, or after the end (the run then goes on when its loop runs
   * again: run()'s onend answers 'again').
   */
  restore(s: MachineSnapshot): void {
    if (!this.stopped) throw new Error('restore: the machine is running');
    restore(this.k, s.kernel);
    this.stopped = s.stopped;
    this.held = s.held;
    this.passing.clear();
    for (const [p, at] of s.passing) this.passing.set(p, at);
    this.hits.clear();
    this.skip.clear();
    this.pending = null;
    this.stepping = null;
    this.gate ??= new Promise((resolve) => (this.release = resolve));
  }

  /** Detach: every breakpoint and watchpoint goes, the machine runs on freely. */
  detach(): void {
    for (const m of this.hooks.values()) for (const rm of m.values()) rm();
    this.hooks.clear();
    this.bps.clear();
    this.wps.clear();
    this.taps.clear();
    this.k.debug = null;
    this.k.sched.eligible = null;
    this.pending = null;
    this.stepping = null;
    if (this.stopped) this.resume(true);
    this.k.sched.gate = null;
  }
}

/** The segments p's code can have been translated from (text, and the writable ones once executed). */
function code(p: Proc): CodeRanges {
  return p.as.code();
}

/** The low `size` bytes of v, little-endian. */
function lebytes(v: bigint, size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size && i < 8; i++) b[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return b;
}
