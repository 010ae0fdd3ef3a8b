// Holding a process for a debugger (9front port/proc.c procctl and
// killproc, devproc.c procstopwait). A process is stopped only at a return
// to user mode (386/trap.ts kexit) or at a system call's entry or exit
// under startsyscall: it is then Stopped, off the run queue, its CPU idle,
// until a ctl start, startstop or startsyscall (or kill) readies it. The
// process that asked waits in its ctl write until the target is Stopped.
//
// This is the per-process stop of Plan 9's /proc: the machine goes on
// running (the debugger is itself a process in it). emu/debug/control.ts
// is the other kind, the whole machine held for a debugger outside it.

import type { Proc, Procctl } from './proc.ts';
import { Sleep, wakeup } from './rendez.ts';
import { Einuse, Eprocdied, error } from './error.ts';
import { pexit } from './pexit.ts';

/** What kexit does next after procctl: go on to notes and user mode, or stop here (held or gone). */
export type Ctlresult = 'go' | 'stopped' | 'gone';

/**
 * Act on up.procctl at a return to user mode (9front procctl, called by
 * notify). A process started again after stopping here goes on to its
 * notes first, as 9front's returns from procctl's sched() into notify:
 * startstop on a process stopped with a note pending delivers it, where
 * looking at procctl again would stop it on the same note forever. Only a
 * kill is acted on at once.
 */
export function procctl(up: Proc): Ctlresult {
  if (up.ctlresumed) {
    up.ctlresumed = false;
    if (up.procctl !== 'exitme') return 'go';
  }
  switch (up.procctl) {
    case 'exitme':
      up.procctl = null;
      pexit(up, 'Killed', true);
      return 'gone';
    case 'traceme':
      // startstop: stop at the next note only.
      if (up.notes.length === 0) return 'go';
      up.procctl = null;
      stopproc(up);
      return 'stopped';
    case 'stopme':
      up.procctl = null;
      stopproc(up);
      return 'stopped';
    default:
      return 'go';
  }
}

/** Stop up now: off the CPU and the run queue until started; a waiting debugger is woken. */
export function stopproc(up: Proc): void {
  // A stop at a traced call's entry or exit is inside the call on 9front (dosyscall): no notes follow it directly.
  up.ctlresumed = !up.sysentry && !up.sysexit;
  up.sysexit = false;
  up.state = 'Stopped';
  up.pdbg = null;
  wakeup(up.stopr);
}

/** The debugger side of a stop: a process about to exit frees whoever waits for it to stop. */
export function stopgone(up: Proc): void {
  up.pdbg = null;
  wakeup(up.stopr);
}

export function stopped(p: Proc): boolean {
  return p.state === 'Stopped';
}

/**
 * Set p.procctl to ctl (unless null) and wait, in the caller's ctl write,
 * until p is Stopped (9front procstopwait). The write reruns after each
 * wakeup (rendez.ts): up.stopwait says it is already waiting, so that a
 * rerun only checks, never sets anything again. A Broken process counts
 * as stopped.
 */
export function procstopwait(up: Proc, p: Proc, ctl: Procctl | null): void {
  if (up.stopwait === p) {
    if (!p.alive && p.state !== 'Broken') {
      up.stopwait = null;
      error(Eprocdied);
    }
    if (stopped(p) || p.state === 'Broken') {
      up.stopwait = null;
      return;
    }
    return waitstop(up, p);
  }
  if (p.pdbg !== null && p.pdbg !== up && p.pdbg.alive) error(Einuse);
  if (stopped(p) || p.state === 'Broken') return;
  if (!p.alive) error(Eprocdied);
  if (ctl !== null) p.procctl = ctl;
  if (p === up) return;
  up.stopwait = p;
  waitstop(up, p);
}

/** Sleep until p stops; a note for the debugger ends the wait with Eintr (the call fails). */
function waitstop(up: Proc, p: Proc): never {
  if (up.notepending) {
    p.pdbg = null;
    up.stopwait = null;
  } else {
    p.pdbg = up;
  }
  throw new Sleep(p.stopr);
}

/** Whether up's ctl write is a rerun still waiting for p (start and startstop must not start it twice). */
export function rerun(up: Proc, p: Proc): boolean {
  return up.stopwait === p;
}
