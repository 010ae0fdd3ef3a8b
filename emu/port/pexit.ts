// Process exit and wait records (9front port/proc.c: pexit; pwait's
// record format in sysproc.c). pexit runs on the exiting process itself,
// often from inside a CPU hook, so it only marks the process Moribund;
// reap() frees the CPU and memory once the CPU is no longer running.

import { dropsyschan } from './syschan.ts';
import { exittimes } from './cputime.ts';
import type { Proc } from './proc.ts';
import { kstrcpy } from './note.ts';
import { ERRMAX } from './dat.ts';
import { wakeup } from './rendez.ts';
import { cclose } from './chan.ts';
import { stopgone } from './procctl.ts';

const NWAIT = 128;  // unread wait records a parent may hold

/** Print 'TEXT PID: msg' on the process's fd 2 (9front pprint). */
export function pprint(up: Proc, msg: string): void {
  const c = up.fgrp?.fd[2];
  if (!c) return;
  const data = new TextEncoder().encode(`${up.text} ${up.pid}: ${msg}`);
  try {
    c.dev.write(up, c, data, c.offset);
    c.offset += data.length;
  } catch {
    // pprint is best effort, as in the kernel
  }
}

/**
 * Exit with `exitstr`. freemem=false (a death by an NDebug note) leaves the
 * process Broken, as Plan 9 does for a debugger to find; the parent still
 * gets its wait record.
 */
export function pexit(up: Proc, exitstr: string, freemem: boolean): void {
  if (!up.alive) return;
  const k = up.kernel;
  up.exitstr = exitstr;
  up.state = 'Moribund';
  up.psstate = freemem ? 'Moribund' : 'Broken';
  k.trace.procev(up, 'exits', exitstr === '' ? "''" : JSON.stringify(exitstr), { status: exitstr });
  dropsyschan(up);  // a call it was blocked in ends with it

  if (--up.fgrp.ref === 0) {
    up.fgrp.fd.forEach((c, i) => {
      if (c) {
        up.fgrp.fd[i] = undefined;
        cclose(up, c);
      }
    });
  }

  const parent = up.parent;
  if (parent && parent.alive && !up.nowait) {
    const real = Math.round((k.now() - up.start) / 1e6);
    const msg = exitstr === '' ? '' : kstrcpy(`${up.text} ${up.pid}: ${exitstr}`, ERRMAX);
    const [user, sys] = exittimes(up, parent);
    if (parent.waitq.length < NWAIT) parent.waitq.push({ pid: up.pid, time: [user, sys, real], msg });
    parent.nchild--;
    wakeup(parent.waitr);
  }
  for (const p of k.procs.values()) if (p.parent === up) p.parent = null;
  up.rgrp.leave(up);
  up.alarm = 0;
  // A debugger waiting for it to stop, or reading its /proc/N/wait, learns it is gone.
  stopgone(up);
  wakeup(up.waitr);
  up.cpu.stop();
}

/** Free what a Moribund process held; called when its CPU is idle. */
export function reap(up: Proc): void {
  if (up.state !== 'Moribund') return;
  up.state = up.psstate === 'Broken' ? 'Broken' : 'Dead';
  for (const f of up.kernel.reapers) f(up);
  up.fpsave?.free();
  up.fpsave = null;
  up.fpsaved = false;
  // A Broken process stays in the table (and /proc) with its memory and
  // registers, as on Plan 9, for a debugger to read until it is killed.
  if (up.state === 'Dead') freeproc(up);
}

/** Give back a finished process's CPU and memory and its slot in the table. */
function freeproc(p: Proc): void {
  p.as.detachAll();
  p.cpu.close();
  p.kernel.procs.delete(p.pid);
}

/** ctl kill of a Broken process: it goes at last (9front unbreak). */
export function unbreak(p: Proc): void {
  if (p.state !== 'Broken') return;
  p.state = 'Dead';
  freeproc(p);
}
