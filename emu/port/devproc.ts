// #p, the process device (9front and 4e port/devproc.c), usually bound at
// /proc: one directory per process (live, Stopped or Broken) with the files
// debuggers use. Each kernel's list, modes and formats are its own
// (docs/proc.md); the text formats are in procfiles.ts, the stop model in
// procctl.ts, the 386 register layouts in ../386/procregs.ts, the syscall
// trace text in syscallfmt.ts.
//
// Qids (after 9front): a process directory's path is pid<<5 and a file
// adds its Q value; vers is the pid. An open notepg keeps its target's
// note group in aux, as 9front keeps it in the qid.

import { Chan, devdefaults, type Dev, type Dirtab } from './dev.ts';
import type { Dir, Flavor } from './dat.ts';
import type { Proc } from './proc.ts';
import type { Arch, RegFile } from './kernel.ts';
import { DMDIR, ERRMAX, NUser, OREAD, OTRUNC, OWRITE, QTDIR } from './dat.ts';
import { devattach, devdir, devopen, dirtab, eve, tabopen, tabread, tabstat, tabwalk, walkto } from './devdir.ts';
import {
  Ebadarg, Ebadctl, Ebadfd, Egreg, Egreg4e, Eisdir, Enochild, Enoreg, Eperm, Eprocdied, Etoobig, Etoosmall, error,
} from './error.ts';
import { openmode } from './fd.ts';
import { lookupcmd, parsecmd, type Cmdtab } from './parse.ts';
import { readbytes, readnum, readstr } from './readnum.ts';
import { dirpack } from './stat.ts';
import { killproc, pgrpnote, postnote } from './note.ts';
import { sleep } from './rendez.ts';
import { cclose } from './chan.ts';
import { procstopwait, rerun } from './procctl.ts';
import { STATSIZE, argstext, fdtext, nstext, segmenttext, statustext, waittext } from './procfiles.ts';
import { watchtext, writewatch } from './watchpt.ts';
import { profbytes, profon } from './profile.ts';

enum Q {
  dir, trace, args, ctl, fd, fpregs, kregs, mem, note, noteid, notepg, ns, ppid, proc, regs, segment, status, text,
  wait, profile, syscall, watchpt, notefpregs,
}

const QSHIFT = 5;
/** The default mode of a process's files whose Dirtab perm is 0 (9front p->procmode). */
const PROCMODE = 0o640;

/** Each kernel's procdir[]: 4e has no ppid, syscall or watchpt, and its args are read-only. */
function procdir(f: Flavor, arch: Arch): Dirtab[] {
  const regsize = (file: RegFile) => arch.regsize(file, f);
  const nine = f === '9front';
  const t = [
    dirtab('.', Q.dir, 0, DMDIR | 0o555),
    dirtab('args', Q.args, 0, nine ? 0o660 : 0o440),
    dirtab('ctl', Q.ctl, 0, 0),
    dirtab('fd', Q.fd, 0, 0o444),
    dirtab('fpregs', Q.fpregs, regsize('fpregs'), 0),
    dirtab('kregs', Q.kregs, regsize('kregs'), 0o400),
    dirtab('mem', Q.mem, 0, 0),
    dirtab('note', Q.note, 0, 0),
    ...(nine ? [dirtab('notefpregs', Q.notefpregs, regsize('notefpregs'), 0)] : []),
    dirtab('noteid', Q.noteid, 0, 0o664),
    dirtab('notepg', Q.notepg, 0, 0),
    dirtab('ns', Q.ns, 0, 0o444),
    ...(nine ? [dirtab('ppid', Q.ppid, 0, 0o444)] : []),
    dirtab('proc', Q.proc, 0, 0o400),
    dirtab('regs', Q.regs, regsize('regs'), 0),
    dirtab('segment', Q.segment, 0, 0o444),
    dirtab('status', Q.status, STATSIZE, 0o444),
    dirtab('text', Q.text, 0, 0),
    dirtab('wait', Q.wait, 0, 0o400),
    dirtab('profile', Q.profile, 0, 0o400),
    ...(nine ? [dirtab('syscall', Q.syscall, 0, 0o400), dirtab('watchpt', Q.watchpt, 0, 0o600)] : []),
  ];
  // p->procmode fills a 0 perm and adds its read bits to the others.
  return t.map((e, i) => (i === 0 ? e : { ...e, perm: e.perm === 0 ? PROCMODE : e.perm | (PROCMODE & 0o444) }));
}

const tabs = new WeakMap<Arch, Record<Flavor, Dirtab[]>>();

function flavortab(p: Proc): Dirtab[] {
  const arch = p.kernel.arch;
  let t = tabs.get(arch);
  if (!t) tabs.set(arch, (t = { '9front': procdir('9front', arch), '4e': procdir('4e', arch) }));
  return t[p.kernel.flavor];
}

/** The table as one process shows it: wait's length says whether a record waits, profile's is the counters'. */
function pidtab(p: Proc): Dirtab[] {
  return flavortab(p).map((t) => {
    switch (Number(t.qid.path)) {
      case Q.wait: return { ...t, length: p.waitq.length };
      case Q.profile: return { ...t, length: profbytes(p)?.byteLength ?? 0 };
      case Q.watchpt: return { ...t, length: watchtext(p).length };
      default: return t;
    }
  });
}

/** /proc/trace (9front, eve only): the scheduling event log; p9emu records none. */
const TRACE = dirtab('trace', Q.trace, 0, 0o400);

enum CM {
  close, closefiles, fixedpri, hang, kill, nohang, noswap, pri, private_, profile, start, startstop, startsyscall, stop,
  waitstop, wired, trace, interrupt, nointerrupt, period, deadline, cost, sporadic, deadlinenotes, admit, extra, expel, event,
}

const ctl4e: Cmdtab[] = [
  { index: CM.close, cmd: 'close', narg: 2 },
  { index: CM.closefiles, cmd: 'closefiles', narg: 1 },
  { index: CM.fixedpri, cmd: 'fixedpri', narg: 2 },
  { index: CM.hang, cmd: 'hang', narg: 1 },
  { index: CM.nohang, cmd: 'nohang', narg: 1 },
  { index: CM.kill, cmd: 'kill', narg: 1 },
  { index: CM.pri, cmd: 'pri', narg: 2 },
  { index: CM.private_, cmd: 'private', narg: 1 },
  { index: CM.profile, cmd: 'profile', narg: 1 },
  { index: CM.start, cmd: 'start', narg: 1 },
  { index: CM.startstop, cmd: 'startstop', narg: 1 },
  { index: CM.stop, cmd: 'stop', narg: 1 },
  { index: CM.waitstop, cmd: 'waitstop', narg: 1 },
  { index: CM.wired, cmd: 'wired', narg: 2 },
];

const ctl9front: Cmdtab[] = [
  ...ctl4e,
  { index: CM.noswap, cmd: 'noswap', narg: 1 },
  { index: CM.startsyscall, cmd: 'startsyscall', narg: 1 },
  { index: CM.trace, cmd: 'trace', narg: 0 },
  { index: CM.interrupt, cmd: 'interrupt', narg: 1 },
  { index: CM.nointerrupt, cmd: 'nointerrupt', narg: 1 },
  { index: CM.period, cmd: 'period', narg: 2 },
  { index: CM.deadline, cmd: 'deadline', narg: 2 },
  { index: CM.cost, cmd: 'cost', narg: 2 },
  { index: CM.sporadic, cmd: 'sporadic', narg: 1 },
  { index: CM.deadlinenotes, cmd: 'deadlinenotes', narg: 1 },
  { index: CM.admit, cmd: 'admit', narg: 1 },
  { index: CM.extra, cmd: 'extra', narg: 1 },
  { index: CM.expel, cmd: 'expel', narg: 1 },
  { index: CM.event, cmd: 'event', narg: 1 },
];

const pidof = (c: Chan): number => Number(c.qid.path) >>> QSHIFT;
const qof = (c: Chan): Q => Number(c.qid.path) & ((1 << QSHIFT) - 1);
const qmap = (pid: number) => (t: number): number => (pid << QSHIFT) | t;
const istop = (c: Chan): boolean => pidof(c) === 0;

/** A process has a directory from its creation until it is gone (a Broken one stays until killed). */
const listed = (p: Proc): boolean => p.state !== 'Dead';

/** The process a Chan names; Eprocdied once it is gone. */
function procof(up: Proc, c: Chan): Proc {
  const p = up.kernel.procs.get(pidof(c));
  if (!p || !listed(p)) error(Eprocdied);
  return p;
}

function piddir(up: Proc, c: Chan, p: Proc): Dir {
  return devdir(up, c, { path: p.pid << QSHIFT, vers: p.pid, type: QTDIR }, String(p.pid), 0, p.user, DMDIR | 0o555);
}

function topdirs(up: Proc, c: Chan): Dir[] {
  const procs = [...up.kernel.procs.values()].filter(listed).sort((a, b) => a.pid - b.pid).map((p) => piddir(up, c, p));
  if (up.kernel.flavor !== '9front') return procs;
  return [devdir(up, c, { path: Q.trace, vers: 0, type: 0 }, 'trace', 0, eve(up), TRACE.perm), ...procs];
}

function procwalk(up: Proc, c: Chan, name: string): Chan | null {
  if (Number(c.qid.path) === Q.dir) {
    if (name === 'trace' && up.kernel.flavor === '9front') return walkto(c, { path: Q.trace, vers: 0, type: 0 });
    // The name must be the pid as %lud prints it: "03" is not process 3.
    const p = /^[1-9][0-9]*$/.test(name) ? up.kernel.procs.get(Number(name)) : undefined;
    return p && listed(p) ? walkto(c, piddir(up, c, p).qid) : null;
  }
  const pid = pidof(c);
  const p = up.kernel.procs.get(pid);
  if (!p) return null;
  const nc = tabwalk(c, pidtab(p), name, qmap(pid));
  if (nc) nc.qid.vers = pid;
  return nc;
}

function procstat(up: Proc, c: Chan): Dir {
  if (Number(c.qid.path) === Q.dir) return devdir(up, c, c.qid, '#p', 0, eve(up), DMDIR | 0o555);
  if (istop(c)) return devdir(up, c, c.qid, 'trace', 0, eve(up), TRACE.perm);
  const p = procof(up, c);
  if (qof(c) === Q.dir) return piddir(up, c, p);
  return tabstat(up, c, pidtab(p), p.user, qmap(p.pid));
}

function procopen(up: Proc, c: Chan, omode: number): Chan {
  if (c.qid.type & QTDIR) {
    if (Number(c.qid.path) !== Q.dir) procof(up, c);
    return tabopen(up, c, [dirtab('.', Q.dir, 0, DMDIR | 0o555)], omode);
  }
  if (istop(c)) {
    if (openmode(omode) !== OREAD || up.user !== eve(up)) error(Eperm);
    return devopen(up, c, omode, devdir(up, c, c.qid, 'trace', 0, eve(up), TRACE.perm));
  }
  const p = procof(up, c);
  const mode = openmode(omode);
  const nine = up.kernel.flavor === '9front';
  switch (qof(c)) {
    case Q.text:
      // The Chan of the image the process runs (9front proctext): Go's
      // os.Executable opens it and asks fd2path.
      if (mode !== OREAD) error(Eperm);
      if (!p.textchan) error(Eprocdied);
      return opentext(up, p.textchan);
    case Q.status: case Q.ppid: case Q.proc: case Q.kregs: case Q.segment: case Q.ns: case Q.fd:
      if (mode !== OREAD) error(Eperm);
      break;
    case Q.profile:
      if (!nine && mode !== OREAD) error(Eperm);
      if (nine && p.privatemem) error(Eperm);
      break;
    case Q.notepg:
      if (omode !== OWRITE) error(Eperm);
      c.aux = p.noteid;
      break;
    case Q.mem: case Q.note: case Q.ctl:
      // 9front keeps note and ctl open to a private process, 4e does not.
      if (p.privatemem && (qof(c) === Q.mem || !nine)) error(Eperm);
      break;
    case Q.regs: case Q.fpregs: case Q.notefpregs: case Q.syscall: case Q.watchpt:
      if (nine && p.privatemem) error(Eperm);
      if (qof(c) === Q.watchpt && omode & OTRUNC) watchclear(p);
      break;
  }
  return tabopen(up, c, pidtab(p), omode, p.user, qmap(p.pid));
}

function watchclear(p: Proc): void {
  writewatch(p, new Uint8Array(0), 0);
}

/** A new open of the image's file, named as exec named it. */
function opentext(up: Proc, text: Chan): Chan {
  const c = text.clone();
  return c.dev.open(up, c, OREAD);
}

/** Dequeue the first pending note as a NUL-terminated string (what debuggers read). */
function readnote(p: Proc, n: number): Uint8Array {
  if (n < 1) error(Etoosmall);
  const note = p.notes.shift();
  if (!note) return new Uint8Array(0);
  if (p.notes.length === 0) p.notepending = false;
  const msg = new TextEncoder().encode(note.msg);
  const out = new Uint8Array(Math.min(msg.length + 1, n));
  out.set(msg.subarray(0, out.length - 1));
  return out;
}

/**
 * /proc/N/mem at offset addr: the process's memory, at most to the end of
 * the segment holding addr (4e: of its page). Kernel addresses have
 * nothing behind them here: Ebadarg, as for an address no segment holds.
 */
function readmem(p: Proc, n: number, addr: number): Uint8Array {
  if (!p.as) error(Eprocdied);
  const s = p.as.seg(addr);
  if (!s) error(Ebadarg);
  let len = Math.min(n, s.top - addr);
  if (p.kernel.flavor === '4e') len = Math.min(len, 4096 - (addr & 4095));
  return p.as.read(addr, len);
}

/** A debugger's store: only into a Stopped process; code written into text is retranslated. */
function writemem(p: Proc, data: Uint8Array, addr: number): number {
  if (p.state !== 'Stopped') error(Ebadctl);
  const s = p.as.seg(addr);
  if (!s) error(Ebadarg);
  const b = data.subarray(0, Math.min(data.length, s.top - addr));
  p.as.write(addr, b);
  if (s.type === 'text' || s.prot & 4) for (const as of s.users) as.cpu.invalidate(addr, b.length);
  return b.length;
}

/** /proc/N/wait: the next wait record of p's children, waiting for one (9front procread Qwait). */
function readwait(up: Proc, p: Proc, n: number): Uint8Array {
  if (up === p && p.nchild <= 0 && p.waitq.length === 0) error(Enochild);
  sleep(p.waitr, () => p.waitq.length > 0 || !p.alive);
  const w = p.waitq.shift();
  if (!w) error(Eprocdied);
  return readstr(waittext(w), n, 0);
}

/** notefpregs: only while p runs a note handler (9front p->notified), else Enoreg. */
function notefp(p: Proc): RegFile {
  if (!p.notified || !p.fpsave) error(Enoreg);
  return 'notefpregs';
}

function readprofile(p: Proc, n: number, off: number): Uint8Array {
  return readbytes(profbytes(p) ?? error('profile is off'), n, off);
}

function readregs(p: Proc, file: RegFile, n: number, off: number): Uint8Array {
  if (!p.alive && p.state !== 'Broken') error(Enoreg);
  return readbytes(p.kernel.arch.procregs(p, file), n, off);
}

function procread(up: Proc, c: Chan, n: number, off: number): Uint8Array {
  if (Number(c.qid.path) === Q.dir) return dirpack(topdirs(up, c), n, off);
  if (istop(c)) return new Uint8Array(0);
  const p = procof(up, c);
  const nine = up.kernel.flavor === '9front';
  switch (qof(c)) {
    case Q.dir: return tabread(up, c, pidtab(p), n, off, p.user, qmap(p.pid));
    case Q.args: return readstr(argstext(p), n, off);
    case Q.ctl: return nine ? readnum(p.pid, n, off) : error(Egreg4e);
    case Q.fd: return readstr(fdtext(p), n, off);
    case Q.fpregs: return readregs(p, 'fpregs', n, off);
    case Q.notefpregs: return readregs(p, notefp(p), n, off);
    case Q.kregs: return readregs(p, 'kregs', n, off);
    case Q.regs: return readregs(p, 'regs', n, off);
    case Q.mem: return readmem(p, n, off);
    case Q.note: return readnote(p, n);
    case Q.noteid: return readnum(p.noteid, n, off);
    case Q.ns: return readstr(nstext(p), n, off);
    case Q.ppid: return readnum(p.ppid, n, off);
    // The kernel's Proc structure itself: p9emu's kernel is not C, so there are no such bytes.
    case Q.proc: return new Uint8Array(0);
    case Q.profile: return readprofile(p, n, off);
    case Q.segment: return readstr(segmenttext(p), n, off);
    case Q.status: return readstr(statustext(up, p), n, off);
    case Q.syscall: return readstr(p.syscalltrace, n, off);
    case Q.wait: return readwait(up, p, n);
    case Q.watchpt: return readstr(watchtext(p), n, off);
    default: return error(nine ? Egreg : Egreg4e);
  }
}

/** The text of a note written by the user: under ERRMAX bytes (4e: one fewer), cut at a NUL. */
function notetext(up: Proc, data: Uint8Array): string {
  const max = up.kernel.flavor === '4e' ? ERRMAX - 1 : ERRMAX;
  if (data.length >= max) error(Etoobig);
  const nul = data.indexOf(0);
  return new TextDecoder().decode(nul < 0 ? data : data.subarray(0, nul));
}

/** ctl close N and closefiles (9front procctlclosefiles). */
function closefiles(up: Proc, p: Proc, fd: number, all: boolean): void {
  if (fd < 0) error(Ebadfd);
  if (!p.fgrp) error(Eprocdied);
  const fds = p.fgrp.fd;
  for (let i = fd; i < fds.length; i++) {
    const c = fds[i];
    if (c) {
      fds[i] = undefined;
      cclose(up, c);
    }
    if (!all) break;
  }
}

/** Scheduling priority 0..19 (Npriq); only raised past PriNormal by eve (9front procpriority). */
function setpri(up: Proc, p: Proc, arg: string): void {
  const pri = Math.max(0, Math.min(19, parseInt(arg, 10) || 0));
  if (pri > 10 && up.user !== eve(up)) error(Eperm);
  p.basepri = pri;
}

/** A real-time time: N[.F][s|ms|us|µs|ns] (9front parsetime), checked; p9emu schedules no deadlines. */
function checktime(s: string): void {
  const m = /^([0-9]*)(\.([0-9]*))?(.*)$/.exec(s)!;
  if (m[3] !== undefined && m[3].length === 0) error('ill-formed number');
  if (m[3] !== undefined && m[3].length > 9) error('too many digits after decimal point');
  if (!['', 's', 'ms', 'us', 'µs', 'ns'].includes(m[4]!)) error('unrecognized unit');
}

/** Start a Stopped process under ctl (start, startstop, startsyscall): Ebadctl unless it is Stopped. */
function startproc(p: Proc): void {
  if (p.state !== 'Stopped') error(Ebadctl);
  p.kernel.sched.ready(p);
}

function procctlreq(up: Proc, p: Proc, data: Uint8Array): void {
  const cb = parsecmd(data);
  const ct = lookupcmd(cb, up.kernel.flavor === '9front' ? ctl9front : ctl4e);
  const f = cb.f;
  switch (ct.index) {
    case CM.close: return closefiles(up, p, parseInt(f[1]!, 10) || 0, false);
    case CM.closefiles: return closefiles(up, p, 0, true);
    case CM.hang: p.hang = true; return;
    case CM.nohang: p.hang = false; return;
    case CM.kill: return killproc(p);
    case CM.pri: case CM.fixedpri: return setpri(up, p, f[1]!);
    case CM.private_: p.privatemem = true; return;
    case CM.profile:
      if (!profon(p)) error(up.kernel.flavor === '9front' ? Egreg : Ebadctl);
      return;
    case CM.start: return startproc(p);
    case CM.startstop: case CM.startsyscall: {
      const ctl = ct.index === CM.startstop ? 'traceme' : 'tracesyscall';
      // A rerun of this write (it waits for the stop) must not start the process again.
      if (!rerun(up, p)) {
        startproc(p);
        p.procctl = ctl;
      }
      return procstopwait(up, p, ctl);
    }
    case CM.stop: return procstopwait(up, p, 'stopme');
    case CM.waitstop: return procstopwait(up, p, null);
    case CM.trace:
      if (f.length > 2) error('args');
      return;
    case CM.interrupt:
      // Interrupt its sleep as a note would (9front procinterrupt).
      p.notepending = true;
      p.kernel.sched.interrupt(p);
      return;
    case CM.nointerrupt:
      if (p.notes.length > 0) error('notes pending');
      p.notepending = false;
      return;
    case CM.period: case CM.deadline: case CM.cost:
      checktime(f[1]!);
      edf.add(p);
      return;
    case CM.sporadic: case CM.deadlinenotes: case CM.extra:
      edf.add(p);
      return;
    case CM.admit:
      if (!edf.has(p)) error('edf params');
      return;
    // Accepted with no effect on an emulated process: swapping, wiring to a CPU, leaving real time, trace events.
    case CM.noswap: case CM.wired: case CM.expel: case CM.event:
      return;
  }
}

/** Processes given real-time parameters (admit needs some first). */
const edf = new WeakSet<Proc>();

/** 9front changenoteid: join an existing group of the same user, or one's own pid. */
function changenoteid(up: Proc, p: Proc, noteid: number): void {
  if (!(noteid > 0)) error(Ebadarg);
  if (noteid === p.noteid || noteid === p.pid) { p.noteid = noteid; return; }
  for (const q of up.kernel.procs.values()) {
    if (q.noteid === noteid && q.user === p.user) { p.noteid = noteid; return; }
  }
  error(Eperm);
}

function procwrite(up: Proc, c: Chan, data: Uint8Array, off: number): number {
  if (c.qid.type & QTDIR) error(Eisdir);
  if (qof(c) === Q.notepg) {
    pgrpnote(up, c.aux as number, notetext(up, data), NUser);
    return data.length;
  }
  const p = procof(up, c);
  switch (qof(c)) {
    case Q.args:
      if (off !== 0 || data.length >= ERRMAX) error(Etoobig);
      p.argstext = new TextDecoder().decode(data);
      break;
    case Q.ctl:
      procctlreq(up, p, data);
      break;
    case Q.mem:
      return writemem(p, data, off);
    case Q.regs: case Q.fpregs: case Q.notefpregs: {
      const file = qof(c) === Q.regs ? 'regs' : qof(c) === Q.fpregs ? 'fpregs' : notefp(p);
      const size = up.kernel.arch.regsize(file, up.kernel.flavor);
      if (off >= size) return 0;
      if (!p.alive) error(Enoreg);
      const n = Math.min(data.length, size - off);
      up.kernel.arch.setprocregs(p, file, off, data.subarray(0, n));
      return n;
    }
    case Q.note:
      if (!postnote(p, notetext(up, data), NUser)) error('note not posted');
      break;
    case Q.noteid:
      if (off !== 0 || data.length >= ERRMAX) error(Etoobig);
      changenoteid(up, p, parseInt(new TextDecoder().decode(data), 10));
      break;
    case Q.watchpt:
      return writewatch(p, data, off);
    default:
      error(Eperm);
  }
  return data.length;
}

export const devproc: Dev = {
  ...devdefaults,
  dc: 'p',
  name: 'proc',
  attach: (_up, spec) => devattach(devproc, spec),
  walk: procwalk,
  stat: procstat,
  open: procopen,
  close: () => {},
  read: procread,
  write: procwrite,
};
