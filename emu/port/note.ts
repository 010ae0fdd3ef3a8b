// The portable half of notes (9front port/proc.c: postnote, pushnote,
// popnote; devproc.c's kill). The 386 half — building the handler's frame
// and noted() — is in ../386/notify.ts.

import type { Proc } from './proc.ts';
import { ERRMAX, NExit, NNOTE, NUser, type Note } from './dat.ts';
import { unbreak } from './pexit.ts';

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

/** Cut s to at most n-1 bytes at a UTF-8 boundary (9front kstrcpy). */
export function kstrcpy(s: string, n: number): string {
  if (s.length * 3 < n) return s;  // fits whatever its UTF-8 length
  const b = utf8.encode(s);
  if (b.length < n) return s;
  let end = n - 1;
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--;
  return utf8d.decode(b.subarray(0, end));
}

/**
 * Queue a note (9front pushnote). A fatal note — not NUser, with no handler
 * or while already in one — first empties the queue so it is the next one
 * popped. Returns false when dropped (dead target or full queue).
 */
export function pushnote(p: Proc, msg: string, flag: number): boolean {
  if (!p.alive || p.pid === 0) return false;
  if (flag !== NUser && (p.notify === 0 || p.notified)) p.notes.length = 0;
  if (p.notes.length >= NNOTE) {
    // 4e sets notepending even when the note is dropped.
    if (p.kernel.flavor === '4e') p.notepending = true;
    return false;
  }
  p.notes.push({ msg: kstrcpy(msg, ERRMAX), flag });
  p.notepending = true;
  return true;
}

/**
 * Take the note to deliver (9front popnote). While the process is in its
 * handler an NUser note stays queued until noted; anything else is popped
 * into lastnote. Returns the popped note, or null when it must wait.
 */
export function popnote(p: Proc): Note | null {
  p.notepending = false;
  const n = p.notes[0];
  if (!n) return null;
  if (p.notified && n.flag === NUser) return null;
  p.notes.shift();
  p.lastnote = n;
  return n;
}

/** A note is waiting that the next return to user mode must act on. */
export function notepending(p: Proc): boolean {
  return p.procctl !== null || p.notes.length > 0;
}

/**
 * Queue a note for p and wake it from an interruptible sleep (9front
 * postnote). False when it was not posted.
 */
export function postnote(p: Proc, msg: string, flag: number): boolean {
  const k = p.kernel;
  const ok = pushnote(p, msg, flag);
  k.trace.note(p, ok ? 'post' : 'drop', msg, { from: k.sched.current?.pid, flag, queued: p.notes.length });
  if (ok) k.sched.interrupt(p);
  return ok;
}

/** Post to every live process of note group noteid but up itself (9front pgrpnote, devproc notepg). */
export function pgrpnote(up: Proc, noteid: number, msg: string, flag: number): void {
  for (const p of [...up.kernel.procs.values()]) {
    if (p !== up && p.noteid === noteid && p.alive) postnote(p, msg, flag);
  }
}

/**
 * Kill p at its next return to user mode with 'Killed' (9front killproc,
 * devproc ctl kill): a Stopped process is started to die, a Broken one
 * goes at once.
 */
export function killproc(p: Proc): void {
  if (p.state === 'Broken') return unbreak(p);
  if (!p.alive) return;
  p.procctl = 'exitme';
  postnote(p, 'sys: killed', NExit);
  p.kernel.sched.interrupt(p);
  if (p.state === 'Stopped') p.kernel.sched.ready(p);
}
