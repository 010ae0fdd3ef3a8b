// Process system calls (9front port/sysproc.c), one small function each.
// The 386-specific halves (the rfork child's registers, noted's frame) are
// reached through the kernel's arch hooks.

import { scriptargv, shebang } from './shebang.ts';
import type { Proc } from './proc.ts';
import { sleep, Sleep, wakeup } from './rendez.ts';
import { Ebadarg, Ebadexec, Egreg, Egreg4e, Einuse, Enochild, Enovmem, Eperm, Esoverlap, Etoobig, error } from './error.ts';
import {
  ERRMAX, NRSTR, NUser, OEXEC, RFCENVG, RFCFDG, RFCNAMEG, RFENVG, RFFDG, RFMEM, RFNAMEG, RFNOTEG, RFNOWAIT, RFPROC, RFREND,
} from './dat.ts';
import { Egrp } from './devenv.ts';
import { Fgrp } from './fgrp.ts';
import { Rgrp } from './rgrp.ts';
import { copyout, int, namearg, putvlong, validaddr, validstr } from './sysarg.ts';
import type { Chan } from './dev.ts';
import { withchan, namec } from './chan.ts';
import { closeOnExec } from './sysfile.ts';
import { HDRSZ, I_MAGIC, imagesize, parseAout, pground, type Aout } from '../aout.ts';
import { kstrcpy, postnote } from './note.ts';
import { pexit } from './pexit.ts';
import { quote } from './parse.ts';
import { waittext } from './procfiles.ts';
import { semaphore } from './sema.ts';
import { memcheck, proccheck } from './vmem.ts';
import type { Segment } from './segment.ts';

const utf8 = new TextEncoder();

export function sysr1(up: Proc): number {
  return up.user === up.kernel.config.user ? 0 : error(Eperm);
}

/** exits(s): an unreadable string exits with 'invalid exit string'. */
export function sysexits(up: Proc, a: readonly number[]): number {
  let s = '';
  if (a[0] !== 0) {
    s = up.as.okaddr(a[0]!, 1, false) ? kstrcpy(readraw(up, a[0]!), ERRMAX) : 'invalid exit string';
  }
  pexit(up, s, true);
  return 0;
}

/** The string at addr: up to its NUL, ERRMAX bytes, or the end of mapped memory. */
function readraw(up: Proc, addr: number): string {
  const bytes: number[] = [];
  for (let i = 0; i < ERRMAX && up.as.okaddr(addr + i, 1, false); i++) {
    const c = up.as.read(addr + i, 1)[0]!;
    if (c === 0) break;
    bytes.push(c);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** errstr(buf, n): swap the process's error string with buf's (9front syserrstr). */
export function syserrstr(up: Proc, a: readonly number[]): number {
  return swaperrstr(up, a[0]!, a[1]! >>> 0);
}

/** The obsolete errstr with a fixed 64-byte buffer. */
export function sys_errstr(up: Proc, a: readonly number[]): number {
  return swaperrstr(up, a[0]!, 64);
}

function swaperrstr(up: Proc, addr: number, n: number): number {
  if (n === 0) error(Ebadarg);
  n = Math.min(n, ERRMAX);
  validaddr(up, addr, n, true);
  const mine = up.as.str(addr, n - 1) ?? new TextDecoder().decode(up.as.read(addr, n - 1));
  const out = new Uint8Array(n);
  out.set(utf8.encode(kstrcpy(up.errstr, n)));
  copyout(up, addr, out);
  up.errstr = mine;
  return 0;
}

export function sys_fsession(up: Proc, a: readonly number[]): number {
  if (int(a[2]!) > 0) copyout(up, a[1]!, new Uint8Array(1));
  return 0;
}

/** sleep(ms): ms ≤ 0 yields; otherwise sleeps, or fails 'interrupted' on a note. */
export function syssleep(up: Proc, a: readonly number[]): number {
  const ms = int(a[0]!);
  const k = up.kernel;
  if (ms <= 0) {
    up.after = { kind: 'yield' };
    return 0;
  }
  // 4e rounds up to a whole clock tick (HZ=100).
  const tick = k.flavor === '4e' ? Math.max(10, Math.ceil(ms / 10) * 10) : ms;
  up.sysdeadline ??= k.now() + tick * 1e6;
  if (k.now() < up.sysdeadline) throw new Sleep(null, up.sysdeadline);
  return 0;
}

/** Clock ticks of the modelled kernels (pc HZ=100) and 9front's conversions (port/portclock.c). */
const HZ = 100;
const ms2tk = (ms: number): number => (ms >= 1e9 / HZ ? Math.floor(ms / 1000) * HZ : Math.floor((ms * HZ + 500) / 1000));
const tk2ms = (tk: number): number => Math.floor((tk * 1000) / HZ);

/**
 * alarm(ms): post the note "alarm" after ms milliseconds, in clock ticks;
 * 0 clears it. Returns the milliseconds that were left of the previous
 * alarm (9front port/alarm.c procalarm). An rfork child starts without one.
 */
export function sysalarm(up: Proc, a: readonly number[]): number {
  const ms = a[0]! >>> 0;
  const k = up.kernel;
  const ticks = Math.floor(k.now() / (1e9 / HZ));
  const old = up.alarm ? tk2ms(Math.max(0, up.alarm - ticks)) : 0;
  if (ms === 0) {
    up.alarm = 0;
    return old;
  }
  const when = ticks + ms2tk(ms);
  up.alarm = when;
  k.sched.callAt(up, when * (1e9 / HZ), () => {
    if (up.alarm !== when) return;  // reset or cleared since
    up.alarm = 0;
    postnote(up, 'alarm', NUser);
  });
  return old;
}

/**
 * rendezvous(tag, value) (9front sysrendezvous): meet another process of
 * the group under tag, swapping values. The first waits; a note makes its
 * wait answer ~0 with no error string, as 9front's does.
 */
export function sysrendezvous(up: Proc, a: readonly number[]): number {
  const tag = a[0]! >>> 0, val = a[1]! >>> 0;
  const g = up.rgrp;
  const mine = g.waiter(up);
  if (mine === undefined) {
    const w = g.take(up, tag);
    if (w !== undefined) {
      const theirs = w.val;
      w.val = val;
      w.met = true;
      wakeup(w.r);
      return theirs;
    }
  } else if (mine.met) {
    g.leave(up);
    return mine.val;
  }
  // Waiting (first arrival, or a rerun after a wakeup that was not ours).
  const w = mine ?? g.wait(up, tag, val);
  if (up.notepending) {
    g.leave(up);
    return -1;
  }
  throw new Sleep(w.r);
}

/** notify(f): f=0 removes the handler; otherwise it must point into mapped memory. */
export function sysnotify(up: Proc, a: readonly number[]): number {
  const f = a[0]! >>> 0;
  if (f !== 0) validaddr(up, f, 1, false);
  up.notify = f;
  return 0;
}

/** noted(arg): fails only when not notified; the 386 noted() runs after either way. */
export function sysnoted(up: Proc, a: readonly number[]): number {
  const arg = int(a[0]!);
  up.after = { kind: 'noted', arg };
  if (arg !== NRSTR && !up.notified) error(up.kernel.flavor === '4e' ? Egreg4e : Egreg);
  return 0;
}

/** rfork(flags) (9front sysrfork). */
export function sysrfork(up: Proc, a: readonly number[]): number {
  const flag = a[0]! >>> 0;
  const k = up.kernel;
  if ((flag & (RFFDG | RFCFDG)) === (RFFDG | RFCFDG)) error(Ebadarg);
  if ((flag & (RFNAMEG | RFCNAMEG)) === (RFNAMEG | RFCNAMEG)) error(Ebadarg);
  if ((flag & (RFENVG | RFCENVG)) === (RFENVG | RFCENVG)) error(Ebadarg);
  if ((flag & RFPROC) === 0) {
    if (flag & (RFMEM | RFNOWAIT)) error(Ebadarg);
    regroup(up, up, flag);
    if (flag & RFNOTEG) {
      let alone = true;
      for (const p of k.procs.values()) if (p !== up && p.alive && p.noteid === up.noteid) alone = false;
      if (!alone) up.noteid = k.newnoteid();
    }
    return 0;
  }
  proccheck(k);
  memcheck(k, up.as.segs.reduce((n, s) => (forkshares(s, flag) ? n : n + s.top - s.base), 0));
  const p = forkproc(up, flag);
  k.trace.procev(up, 'rfork', `flags=${rforkflags(flag)} child=${p.pid}`, { flags: flag, flagnames: rforkflags(flag).split('|'), child: p.pid });
  // The parent yields so the child usually runs first, and takes no notes on this return.
  up.after = { kind: 'fork', child: p, flag };
  return p.pid;
}

/** Apply rfork's group flags (fds, name space, env, rendezvous) to p, from src. */
function regroup(p: Proc, src: Proc, flag: number): void {
  if (flag & RFFDG) p.fgrp = src.fgrp.dup();
  else if (flag & RFCFDG) p.fgrp = new Fgrp();
  else if (p !== src) (p.fgrp = src.fgrp).ref++;
  if (flag & RFNAMEG) p.pgrp = src.pgrp.dup();
  else if (flag & RFCNAMEG) p.pgrp = p.kernel.newpgrp();
  else p.pgrp = src.pgrp;
  if (flag & RFENVG) p.egrp = src.egrp.dup();
  else if (flag & RFCENVG) p.egrp = new Egrp();
  else p.egrp = src.egrp;
  if (flag & RFREND) p.rgrp = new Rgrp();
  else if (p !== src) p.rgrp = src.rgrp;
}

/**
 * rfork's body with RFPROC (9front sysrfork). Runs inside the parent's INT
 * hook, where no CPU may be created, so the child gets its identity now
 * and its CPU, memory and registers (forkmem) right after the parent's CPU
 * stops — before the parent runs again, so it is still the state at the INT.
 */
function forkproc(up: Proc, flag: number): Proc {
  const k = up.kernel;
  const p = k.allocproc(up.text);
  regroup(p, up, flag);
  p.dot = up.dot;
  p.textchan = up.textchan;
  p.image = up.image;
  p.user = up.user;
  p.parent = up;
  p.ppid = flag & RFNOWAIT && k.flavor === '4e' ? 0 : up.pid;
  p.noteid = flag & RFNOTEG ? p.pid : up.noteid;
  p.notify = up.notify;
  if (k.flavor === '4e') {
    // 4e copies the pending notes; 9front starts the child with none.
    p.notes = up.notes.map((n) => ({ ...n }));
    p.lastnote = up.lastnote;
    p.ureg = up.ureg;
  }
  if (flag & RFNOWAIT) p.nowait = true;
  else up.nchild++;
  // What /proc/N/ctl set is inherited; 9front's children are traced with their parent (ratrace follows them).
  p.hang = up.hang;
  p.privatemem = up.privatemem;
  p.basepri = up.basepri;
  if (up.procctl === 'tracesyscall') p.procctl = 'tracesyscall';
  return p;
}

/**
 * The fork's second half, after the parent's CPU stopped (the trap's
 * After 'fork'): the child's CPU and memory. Text and segattach's "shared"
 * are always shared; data, bss and "memory" with RFMEM; the stack never
 * (9front dupseg). The registers are the 386 half's (forkchild).
 */
export function forkmem(up: Proc, p: Proc, flag: number): void {
  const k = up.kernel;
  k.newcpu(p);
  for (const s of up.as.segs) p.as.attach(forkshares(s, flag) ? s : s.copy(k.machine.alloc));
}

function forkshares(s: Segment, flag: number): boolean {
  return s.type === 'text' || s.type === 'shared' || (flag & RFMEM) !== 0 && (s.type === 'data' || s.type === 'bss' || s.type === 'memory');
}

const RFNAMES: [number, string][] = [
  [0x1, 'RFNAMEG'], [0x2, 'RFENVG'], [0x4, 'RFFDG'], [0x8, 'RFNOTEG'], [0x10, 'RFPROC'], [0x20, 'RFMEM'],
  [0x40, 'RFNOWAIT'], [0x400, 'RFCNAMEG'], [0x800, 'RFCENVG'], [0x1000, 'RFCFDG'], [0x2000, 'RFREND'], [0x4000, 'RFNOMNT'],
];

export function rforkflags(f: number): string {
  const names = RFNAMES.filter(([b]) => f & b).map(([, n]) => n);
  const rest = f & ~RFNAMES.reduce((m, [b]) => m | b, 0);
  if (rest) names.push(`0x${rest.toString(16)}`);
  return names.join('|') || '0';
}

/** await(buf, n): the next wait record of a child, formatted as Plan 9 does. */
export function sysawait(up: Proc, a: readonly number[]): number {
  const n = int(a[1]!);
  validaddr(up, a[0]!, Math.max(n, 0), true);
  // Wait for a record; rerun when a child's exit wakes waitr.
  if (up.waitq.length === 0 && up.nchild <= 0) error(Enochild);
  sleep(up.waitr, () => up.waitq.length > 0);
  const w = up.waitq[0]!;
  up.waitq.shift();
  up.kernel.trace.procev(up, 'wait', `child=${w.pid} ${quote(w.msg)}`, { child: w.pid, status: w.msg });
  const text = waittext(w);
  const b = utf8.encode(text).subarray(0, Math.max(n - 1, 0));
  const out = new Uint8Array(Math.min(b.length + 1, Math.max(n, 0)));
  out.set(b);
  copyout(up, a[0]!, out);
  return b.length;
}

/** brk_(a): move the end of the bss segment (9front ibrk). */
export function sysbrk_(up: Proc, a: readonly number[]): number {
  return ibrk(up, a[0]! >>> 0);
}

export function syssegbrk(up: Proc, a: readonly number[]): number {
  const s = up.as.seg(a[0]! >>> 0);
  if (!s || s.type !== 'bss') error(Ebadarg);
  return ibrk(up, a[1]! >>> 0);
}

const MAXBRK = 0x7c000000;  // 1984·256 pages (SEGMAXSIZE)

function ibrk(up: Proc, addr: number): number {
  const bss = up.as.byType('bss') ?? error(Ebadarg);  // segdetach may have taken it (9front ibrk)
  const data = up.as.byType('data');
  if (addr === 0) return bss.base;
  if (addr < bss.base) {
    if (!data || addr < data.base) error(Enovmem);
    addr = bss.base;
  }
  const top = pground(addr);
  if (top < bss.top && bss.users.size > 1) error(Einuse);
  if (top - bss.base > MAXBRK || top - bss.base > bss.limit) error(Enovmem);
  if (up.as.overlap(bss.base, top - bss.base, bss)) error(Esoverlap);
  memcheck(up.kernel, top - bss.top);
  bss.setTop(top);
  return 0;
}

export function syssemacquire(up: Proc, a: readonly number[]): number {
  return semaphore(up).acquire(a[0]! >>> 0, int(a[1]!) !== 0);
}

export function systsemacquire(up: Proc, a: readonly number[]): number {
  return semaphore(up).tacquire(a[0]! >>> 0, a[1]! >>> 0);
}

export function syssemrelease(up: Proc, a: readonly number[]): number {
  return semaphore(up).release(a[0]! >>> 0, int(a[1]!));
}

/** nsec(vlong*): nanoseconds since the epoch through the hidden result pointer. */
export function sysnsec(up: Proc, a: readonly number[]): number {
  putvlong(up, a[0]!, up.kernel.nsec());
  return 0;
}


/**
 * exec(file, argv) (9front sysexec), the portable half: open the file for
 * OEXEC, check the a.out header (Ebadexec) and copy the arguments while an
 * error can still be returned; then, past the point of no return, name the
 * process after the file, close the OCEXEC fds, drop the note handler and
 * pending notes, and leave the 386 half (After 'exec': 386/exec.ts
 * execimage, after the CPU stopped) to replace the address space and
 * registers. exec returns the Tos address in AX, as both kernels' execregs
 * do (9front pc/trap.c: (uintptr)tos; 4e: USTKTOP-sizeof(Tos)).
 */
export function sysexec(up: Proc, a: readonly number[]): number {
  const file = namearg(up, a[0]!);
  let argv = execargv(up, a[1]! >>> 0);
  if (argv.length === 0 && up.kernel.flavor === '9front') error(Ebadarg);
  let name = file;
  let { image, text } = readexec(up, file);
  const interp = shebang(image);
  if (interp) {
    if (interp.length === 0) error(Ebadexec);
    name = interp[0]!;
    argv = scriptargv(interp, file, argv);
    ({ image, text } = readexec(up, name));
  }
  const aout = checkaout(image);
  if (aout.symwarn) up.kernel.warn(`${name}: ${aout.symwarn}; no symbols`);
  // The new image must fit once this process's own memory is given back.
  const mine = up.as.segs.reduce((n, s) => (s.users.size === 1 ? n + s.top - s.base : n), 0);
  memcheck(up.kernel, imagesize(aout), mine);
  // The point of no return.
  up.text = name.slice(name.lastIndexOf('/') + 1);
  up.textchan = text;
  closeOnExec(up);
  up.notify = 0;
  up.notified = false;
  up.notes = [];
  up.notepending = false;
  up.lastnote = null;
  up.ureg = 0;
  if (up.kernel.flavor === '9front') up.errstr = up.syserrstr = '';
  up.kernel.trace.procev(up, 'exec', JSON.stringify(name), { name: up.text });
  up.after = { kind: 'exec', image, aout, argv };
  return up.kernel.arch.tosaddr(up.kernel.flavor);
}

const MAXARGV = 4096;
const MAXARGBYTES = 4 << 20;

/** The argv array: NUL-terminated strings until a nil pointer. */
function execargv(up: Proc, addr: number): string[] {
  const out: string[] = [];
  let total = 0;
  for (let i = 0; ; i++) {
    if (i >= MAXARGV) error(Etoobig);
    validaddr(up, addr + 4 * i, 4, false);
    const p = up.as.u32(addr + 4 * i);
    if (p === 0) return out;
    validaddr(up, p, 1, false);
    const s = validstr(up, p, MAXARGBYTES);
    total += s.length + 1;
    if (total > MAXARGBYTES) error(Etoobig);
    out.push(s);
  }
}

/**
 * The whole file, opened OEXEC and read through its device, and the file
 * itself (walked, not open) for /proc/N/text.
 */
function readexec(up: Proc, file: string): { image: Uint8Array; text: Chan } {
  const c: Chan = namec(up, file, 'open', OEXEC);
  return withchan(up, c, () => {
    const parts: Uint8Array[] = [];
    let off = 0;
    for (;;) {
      const b = c.dev.read(up, c, 1 << 20, off);
      if (b.length === 0) break;
      parts.push(b);
      off += b.length;
      if (off > 1 << 30) error(Etoobig);
    }
    return { image: Buffer.concat(parts), text: c.clone() };
  });
}

/** A 386 a.out the kernel would run; anything else is Ebadexec (9front sysexec). */
function checkaout(image: Uint8Array): Aout {
  if (image.length < HDRSZ || new DataView(image.buffer, image.byteOffset, 4).getUint32(0, false) !== I_MAGIC) error(Ebadexec);
  try {
    return parseAout(image);
  } catch {
    return error(Ebadexec);
  }
}
