// The 386 trap path (9front pc/trap.c: syscall, trap, kexit). The only
// place that knows the call number is in AX, the arguments at ESP+4, and
// which CPU exceptions become which notes.
//
// Most calls run entirely inside the CPU's INT hook. Anything that must
// change pc or leave the process — blocking, exit, a note to deliver, or
// the second half a call left on the Proc (After: noted, exec, fork,
// yield) — stops the CPU, and dispatch() finishes the work between runs,
// where Unicorn allows pc to change: syscall() and then complete() read as
// 9front's syscall().

import type { After, Proc } from '../port/proc.ts';
import type { Segment } from '../port/segment.ts';
import type { Stop } from '../cpu/cpu.ts';
import type { FaultEvent } from '../trace/event.ts';
import type { SysOutcome } from '../port/kernel.ts';
import { systab, type Syscall } from '../port/systab.ts';
import { isKernelError, Ebadarg, Eintr } from '../port/error.ts';
import { Sleep } from '../port/rendez.ts';
import { dropsyschan } from '../port/syschan.ts';
import { MAXSYSARG, NDebug } from '../port/dat.ts';
import { notify, noted } from './notify.ts';
import { execimage } from './exec.ts';
import { forkmem } from '../port/sysproc.ts';
import { pexit, pprint, reap } from '../port/pexit.ts';
import { BY2WD, TOS_PID, VectorSYSCALL, tosaddr } from './mem.ts';
import { sysenter, sysexit } from './systrace.ts';
import { postnote } from '../port/note.ts';
import { internalerror } from '../port/internal.ts';
import { procctl, type Ctlresult } from '../port/procctl.ts';
import { syscallfmt, sysretfmt } from '../port/syscallfmt.ts';
import { segclock } from '../port/profile.ts';
import { SLICE_US } from '../port/sched.ts';
import { SAMPLE, sampled } from '../port/cputime.ts';
import { VectorDE, watchexec, watchkernel, watchnote, watchrun } from '../port/watchpt.ts';
import { excnote } from './excnote.ts';

/** Register the INT $64 hook of a new process's CPU. */
export function attachtrap(p: Proc): void {
  p.cpu.onSyscall(() => syscall(p));
}

const pair = new Uint32Array(2);

/** INT $64, inside the CPU hook. */
function syscall(up: Proc): void {
  const cpu = up.cpu;
  let scallnr: number, sp: number;
  if (cpu.readPair) {
    cpu.readPair('ax', 'sp', pair);
    scallnr = pair[0]!;
    sp = pair[1]!;
  } else {
    scallnr = cpu.reg('ax');
    sp = cpu.reg('sp');
  }
  up.scallnr = scallnr;
  up.sysdeadline = null;
  const a = up.sysargs;

  // The kernel copies 5 words from ESP+4 before the call runs.
  const st = up.as.stack;
  const s = st !== undefined && sp >= st.base && sp < st.top ? st : up.as.seg(sp);
  const stackok = s !== undefined && sp + ARGSPAN <= s.top
    ? (readargs(s, sp - s.base, a), true)
    : up.as.okaddr(sp, ARGSPAN, false) && (readslow(up, sp, a), true);
  if (stackok && up.watch !== null) watchkernel(up, sp + BY2WD, MAXSYSARG * BY2WD, false);
  // A debugger holding the call: it runs (traced, hooked) when the process goes on from the INT.
  const k = up.kernel;
  if (k.debug !== null && k.debug.beforeSyscall(up)) {
    cpu.stop();
    return;
  }
  // startsyscall: stop before the call; it runs when the process is started (run1).
  if (stackok && up.procctl === 'tracesyscall') {
    up.syscalltrace = syscallfmt(up, scallnr, cpu.reg('pc'), a);
    up.procctl = 'stopme';
    up.sysentry = true;
    cpu.stop();
    return;
  }
  dosyscall(up, stackok);
}

/** The call itself, its arguments copied (9front dosyscall); in the INT hook, or in run1 after an entry stop. */
function dosyscall(up: Proc, stackok: boolean): void {
  const cpu = up.cpu;
  const k = up.kernel;
  const scallnr = up.scallnr;
  const sc = systab[scallnr];
  if (k.trace.sys) sysenter(up);
  if (!stackok || sc?.fn === undefined) {
    // 9front validates the stack before the number; 4e the other way round.
    const badcall = k.flavor === '9front' ? stackok : sc?.fn === undefined;
    // 4e also says so on the console (pc/trap.c syscall; gone from 9front).
    if (badcall && k.flavor === '4e') pprint(up, `bad sys call number ${scallnr} pc ${cpu.reg('pc').toString(16)}\n`);
    postnote(up, badcall ? 'sys: bad sys call' : 'sys: bad address in syscall', NDebug);
    finish(up, fail(up, Ebadarg));
    return;
  }
  // --fail-syscall or an API hook: the outcome is given; the call does not run.
  const forced = k.sysbefore === null ? null : k.sysbefore(up, sc.name);
  const r = forced === null ? invoke(up, sc) : outcome(up, forced);
  if (r === undefined) {
    cpu.stop();
    return;
  }
  finish(up, r, forced !== null);
}

const ARGSPAN = (MAXSYSARG + 1) * BY2WD;

function readargs(s: Segment, off: number, a: number[]): void {
  if ((off & 3) === 0) {
    const u = s.u32, w = (off >>> 2) + 1;
    for (let i = 0; i < MAXSYSARG; i++) a[i] = u[w + i]!;
  } else {
    for (let i = 0; i < MAXSYSARG; i++) a[i] = s.view.getUint32(off + BY2WD * (i + 1), true);
  }
}

function readslow(up: Proc, sp: number, a: number[]): void {
  for (let i = 0; i < MAXSYSARG; i++) a[i] = up.as.u32(sp + BY2WD * (i + 1));
}

/** Run the call; undefined when it blocked (the process is parked). */
function invoke(up: Proc, sc: Syscall): number | undefined {
  const r = invoke1(up, sc);
  if (r !== undefined) dropsyschan(up);
  return r;
}

function invoke1(up: Proc, sc: Syscall): number | undefined {
  up.rpcnext = 0;
  const t0 = sampled() ? up.kernel.clock.uptime() : -1;
  try {
    const r = sc.fn!(up, up.sysargs);
    up.rpclog.length = 0;
    return r;
  } catch (e) {
    if (!(e instanceof Sleep)) up.rpclog.length = 0;
    if (isKernelError(e)) return fail(up, e.errstr);
    if (e instanceof Sleep) {
      // A note already pending interrupts the sleep before it starts (9front sleep()).
      if (e.interruptible && up.notepending) {
        up.notepending = false;
        up.rpclog.length = 0;
        return fail(up, Eintr);
      }
      up.kernel.sched.park(up, e);
      return undefined;
    }
    internalerror(up, sc.name, e);
    return -1;
  } finally {
    if (t0 >= 0) up.time.sys += (up.kernel.clock.uptime() - t0) * SAMPLE;  // its system time (port/cputime.ts)
  }
}

function fail(up: Proc, err: string): number {
  up.errstr = err;
  return -1;
}

function outcome(up: Proc, o: SysOutcome): number {
  return 'err' in o ? fail(up, o.err) : o.ret;
}

/** Store the result and decide whether the CPU may go straight back to user mode. */
function finish(up: Proc, ret: number, injected = false): void {
  up.sysdeadline = null;
  const cpu = up.cpu;
  const alive = up.alive;
  const after = alive ? up.kernel.sysafter?.(up, ret) : null;
  if (after) {
    ret = outcome(up, after);
    injected = true;
  }
  if (alive) cpu.setReg('ax', ret >>> 0);
  if (up.kernel.trace.sys) sysexit(up, ret, injected);
  // The call's own accesses that hit a watchpoint (watchkernel): 9front's debugexc posted the note in the kernel.
  const wnote = alive && up.watch !== null ? watchnote(up) : null;
  if (wnote !== null) postnote(up, wnote, NDebug);
  // startsyscall: stop again on the way out, the result in the trace text.
  if (alive && up.procctl === 'tracesyscall') {
    const k = up.kernel;
    up.syscalltrace = sysretfmt(up, up.scallnr, up.sysargs, ret, up.errstr, up.syscallstart, k.now());
    up.procctl = 'stopme';
    up.sysexit = true;
  }
  const held = alive && up.kernel.debug !== null && up.kernel.debug.afterSyscall(up);
  if (!alive || held || up.after !== null || up.procctl !== null || up.notes.length > 0) {
    cpu.stop();
    return;
  }
  setTospid(up);
}

/** Tos.pid is rewritten at every return to user mode (kexit). */
function setTospid(up: Proc): void {
  const s = up.as.stack;
  if (!s) return;
  const off = tosaddr(up.kernel.flavor) + TOS_PID - s.base;
  // Usually unchanged: compare first, writing only for a new child.
  if (s.u32[off >>> 2] !== up.pid) s.u32[off >>> 2] = up.pid;  // Tos is word-aligned
}

/**
 * The second half of a system call, between runs: what the call left on
 * the Proc (After) once its result is stored.
 */
function complete(up: Proc, a: After): void {
  switch (a.kind) {
    case 'noted':
      noted(up, a.arg);
      return;
    case 'exec':
      try {
        execimage(up, a.image, a.aout, a.argv);
        watchexec(up);
        // ctl hang: a debugger (ratrace -c) takes it from its first instruction.
        if (up.hang) up.procctl = 'stopme';
      } catch (e) {
        // After the old image is gone an error can only end the process.
        pexit(up, e instanceof Error ? e.message : String(e), true);
      }
      return;
    case 'fork':
      forkmem(up, a.child, a.flag);
      forkchild(a.child, up);
      up.kernel.sched.ready(a.child);
      return;
    case 'yield':
      return;
  }
}

/**
 * The child's registers: every one, x87/SSE included, as at the parent's
 * INT, and AX=0 (9front pc/trap.c forkchild). Copied one by one: a saved
 * Unicorn context holds engine-internal state and must not be restored
 * into another engine.
 */
function forkchild(child: Proc, parent: Proc): void {
  child.cpu.setRegs({ ...parent.cpu.regs(), ax: 0 });
  child.cpu.setFpstate(parent.cpu.fpstate());
}

/**
 * The return to user mode outside a hook: kill for ctl kill, deliver a
 * note (not to rfork's parent on its return), write Tos. False when the
 * process is gone.
 */
function kexit(up: Proc, trap: number, nonotes = false): Ctlresult {
  dbgtrap.set(up, trap);
  if (up.procctl !== null || up.ctlresumed) {
    const r = procctl(up);
    if (r !== 'go') return r;
  }
  if (!nonotes && up.notes.length > 0) notify(up, trap);
  if (!up.alive) return 'gone';
  setTospid(up);
  return 'go';
}

/** The trap number of each process's last entry to the kernel, for its Ureg in /proc/N/regs. */
const dbgtrap = new WeakMap<Proc, number>();

export function lasttrap(p: Proc): number {
  return dbgtrap.get(p) ?? VectorSYSCALL;
}

/** Rerun a parked call after a wakeup; true when it completed. */
function resume(up: Proc): boolean {
  const r = invoke(up, systab[up.scallnr]!);
  if (r === undefined) return false;
  finish(up, r);
  return true;
}

const PF = 14;

function faultEvent(p: Proc, stop: Extract<Stop, { kind: 'trap' | 'fault' }>, note: string, pc: number): FaultEvent {
  const t = p.kernel.trace.now();
  return stop.kind === 'fault'
    ? { kind: 'fault', pid: p.pid, note, pc, access: stop.access, addr: stop.addr >>> 0, t }
    : { kind: 'fault', pid: p.pid, note, pc, vector: stop.vector, t };
}

/** Run p for one slice (the scheduler's dispatch); a host exception ends p alone. */
export function dispatch(p: Proc): void {
  try {
    run1(p);
  } catch (e) {
    internalerror(p, 'trap', e);
    reap(p);
  }
}

function run1(p: Proc): void {
  const k = p.kernel;
  p.state = 'Running';
  if (p.sleeping) {
    p.sleeping = null;
    if (!resume(p)) return;
  }
  // A new process's first dispatch also passes through kexit before any
  // user instruction: on a real PC its first instruction fetch page-faults
  // (a fresh process has no user MMU entries), and trap() ends with
  // kexit(), writing Tos.pid (4e/9front pc/trap.c). So an rfork child
  // reads its own pid in Tos at once, as Go's tstart_plan9 needs
  // (docs/go.md), although forkret itself skips kexit.
  let trap = VectorSYSCALL;
  const dbg = k.debug;
  if (p.sysentry) {
    // Started after a startsyscall entry stop: the call runs now (unless killed meanwhile).
    p.sysentry = false;
    p.syscallstart = k.now();
    if (p.procctl !== 'exitme') {
      dosyscall(p, true);
      if (p.sleeping) return;
    }
  }
  for (;;) {
    const a = p.after;
    p.after = null;
    // The second half of a call (fork's child, exec's image, noted): its failure is the call's.
    if (a) {
      const t0 = k.clock.uptime();
      try {
        complete(p, a);
      } catch (e) {
        internalerror(p, systab[p.scallnr]?.name ?? 'trap', e);
      }
      p.time.sys += k.clock.uptime() - t0;
    }
    // A debugger sees a note before it goes out, and the process before it runs.
    if (dbg !== null && p.alive && a?.kind !== 'fork' && dbg.beforeNotes(p)) return k.sched.hold(p);
    if (p.alive) {
      const r = kexit(p, trap, a?.kind === 'fork');
      if (r === 'stopped') {
        // Held for a debugger: the fork's parent goes on (after its stop) as it would have.
        return;
      }
      if (r === 'gone') break;
    }
    if (!p.alive) break;
    if (a?.kind === 'fork' || a?.kind === 'yield') {
      k.sched.ready(p);
      return;
    }
    if (dbg !== null && dbg.beforeRun(p)) return k.sched.hold(p);
    let opts = k.sched.runOptions();
    if (opts === null) {
      // The slice ran out across stops (kexit above has already run).
      k.sched.requeue(p);
      return;
    }
    if (p.watch !== null) opts = watchrun(p, opts);
    if (dbg !== null) opts = dbg.runOptions(p, opts);
    p.state = 'Running';
    const stop = p.cpu.run(opts);
    // A watchpoint hit (/proc/N/watchpt): the debug exception's note, delivered before the process goes on.
    const wnote = p.watch !== null ? watchnote(p) : null;
    if (wnote !== null) postnote(p, wnote, NDebug);
    if (dbg !== null && p.alive && dbg.afterRun(p, stop)) return k.sched.hold(p);
    if (wnote !== null && stop.kind !== 'fault' && stop.kind !== 'trap') {
      trap = VectorDE;
      continue;
    }
    switch (stop.kind) {
      case 'stopped':
        if (!p.alive) break;
        if (p.sleeping) return;  // parked on a Rendez or a deadline
        trap = VectorSYSCALL;
        continue;
      case 'timeout':
      case 'count':
        // A clock tick: notes go out on the way back, then others run
        // (under a debugger at the next dispatch, where it sees them first).
        if (k.sched.sampling) segclock(p, p.cpu.reg('pc'), SLICE_US / 1000);
        if (dbg === null) {
          const r = kexit(p, 32);
          if (r === 'stopped') return;
          if (r === 'gone') break;
        }
        k.sched.requeue(p);
        return;
      case 'fault':
      case 'trap': {
        if (stop.kind === 'fault' && stop.access === 'fetch' && p.as.execfault(stop.addr)) {
          trap = PF;  // a page fault the kernel satisfied: the fetch is retried
          continue;
        }
        // Restart at the faulting instruction; INT3's saved pc is decremented to the CC.
        const pc = stop.kind === 'trap' && stop.vector === 3 ? stop.pc - 1 : stop.pc;
        p.cpu.setReg('pc', pc >>> 0);
        // #NM while FPillegal: FP in a note handler (pc/trap.c mathemu).
        const note = stop.kind === 'trap' && stop.vector === 7 && p.fpillegal ? 'sys: floating point in note handler'
          : excnote(stop, k.flavor, () => p.cpu.excState?.());
        if (k.trace.notes) k.trace.emit(faultEvent(p, stop, note, pc));
        postnote(p, note, NDebug);
        trap = stop.kind === 'fault' ? PF : stop.vector;
        continue;
      }
    }
    break;
  }
  reap(p);
}
