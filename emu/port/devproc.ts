// #p, the process device (9front port/devproc.c), usually bound at
// /proc: one directory per live process, with the files a user-mode
// model can honour: ctl, fd, note, noteid, notepg, ppid, status.
//
// Qids (after 9front): a process directory's path is pid<<5 and a file
// adds its Q value; vers is the pid. An open notepg keeps its target's
// note group in aux, as 9front keeps it in the qid.

import { Chan, devdefaults, type Dev, type Dirtab } from './dev.ts';
import type { Dir } from './dat.ts';
import type { Proc } from './proc.ts';
import { DMDIR, ERRMAX, NUser, OREAD, OWRITE, QTDIR } from './dat.ts';
import { devattach, devdir, dirtab, eve, tabopen, tabread, tabstat, tabwalk, walkto } from './devdir.ts';
import { fdprint } from './devdup.ts';
import { Ebadarg, Ebadctl, Eisdir, Eperm, Eprocdied, Etoobig, Etoosmall, error } from './error.ts';
import { openmode } from './fd.ts';
import { lookupcmd, parsecmd, type Cmdtab } from './parse.ts';
import { readnum, readstr } from './readnum.ts';
import { dirpack } from './stat.ts';
import { killproc, pgrpnote, postnote } from './note.ts';

enum Q { dir, ctl, fd, note, noteid, notepg, ppid, status, text }

const QSHIFT = 5;
const STATSIZE = 2 * 28 + 12 + 9 * 12;
/** The default mode of a process's files whose Dirtab perm is 0 (9front p->procmode). */
const PROCMODE = 0o640;

const procdir = [
  dirtab('.', Q.dir, 0, DMDIR | 0o555),
  dirtab('ctl', Q.ctl, 0, 0),
  dirtab('fd', Q.fd, 0, 0o444),
  dirtab('note', Q.note, 0, 0),
  dirtab('noteid', Q.noteid, 0, 0o664),
  dirtab('notepg', Q.notepg, 0, 0),
  dirtab('ppid', Q.ppid, 0, 0o444),
  dirtab('status', Q.status, STATSIZE, 0o444),
  dirtab('text', Q.text, 0, 0),
];

/** The table as seen for one process: its perms filled in from procmode. */
function pidtab(): Dirtab[] {
  return procdir.map((t, i) => (i === 0 ? t : { ...t, perm: t.perm === 0 ? PROCMODE : t.perm | (PROCMODE & 0o444) }));
}

const PIDTAB = pidtab();

enum CM { close, closefiles, fixedpri, hang, kill, nohang, noswap, pri, private_, profile, start, startstop,
  startsyscall, stop, waitstop, wired, trace, interrupt, nointerrupt }

const proccmd: Cmdtab[] = [
  { index: CM.close, cmd: 'close', narg: 2 },
  { index: CM.closefiles, cmd: 'closefiles', narg: 1 },
  { index: CM.fixedpri, cmd: 'fixedpri', narg: 2 },
  { index: CM.hang, cmd: 'hang', narg: 1 },
  { index: CM.nohang, cmd: 'nohang', narg: 1 },
  { index: CM.noswap, cmd: 'noswap', narg: 1 },
  { index: CM.kill, cmd: 'kill', narg: 1 },
  { index: CM.pri, cmd: 'pri', narg: 2 },
  { index: CM.private_, cmd: 'private', narg: 1 },
  { index: CM.profile, cmd: 'profile', narg: 1 },
  { index: CM.start, cmd: 'start', narg: 1 },
  { index: CM.startstop, cmd: 'startstop', narg: 1 },
  { index: CM.startsyscall, cmd: 'startsyscall', narg: 1 },
  { index: CM.stop, cmd: 'stop', narg: 1 },
  { index: CM.waitstop, cmd: 'waitstop', narg: 1 },
  { index: CM.wired, cmd: 'wired', narg: 2 },
  { index: CM.trace, cmd: 'trace', narg: 0 },
  { index: CM.interrupt, cmd: 'interrupt', narg: 1 },
  { index: CM.nointerrupt, cmd: 'nointerrupt', narg: 1 },
];

const pidof = (c: Chan): number => Number(c.qid.path) >>> QSHIFT;
const qof = (c: Chan): Q => Number(c.qid.path) & ((1 << QSHIFT) - 1);
const qmap = (pid: number) => (t: number): number => (pid << QSHIFT) | t;

/** The process a Chan names; Eprocdied once it is gone. */
function procof(up: Proc, c: Chan): Proc {
  const p = up.kernel.procs.get(pidof(c));
  if (!p || p.state === 'Dead') error(Eprocdied);
  return p;
}

function piddir(up: Proc, c: Chan, p: Proc): Dir {
  return devdir(up, c, { path: p.pid << QSHIFT, vers: p.pid, type: QTDIR }, String(p.pid), 0, p.user, DMDIR | 0o555);
}

function livepids(up: Proc): Proc[] {
  return [...up.kernel.procs.values()].filter((p) => p.state !== 'Dead').sort((a, b) => a.pid - b.pid);
}

function procwalk(up: Proc, c: Chan, name: string): Chan | null {
  if (Number(c.qid.path) === Q.dir) {
    // The name must be the pid as %lud prints it: "03" is not process 3.
    const p = /^[1-9][0-9]*$/.test(name) ? up.kernel.procs.get(Number(name)) : undefined;
    return p && p.state !== 'Dead' ? walkto(c, piddir(up, c, p).qid) : null;
  }
  const pid = pidof(c);
  const nc = tabwalk(c, PIDTAB, name, qmap(pid));
  if (nc) nc.qid.vers = pid;
  return nc;
}

function procstat(up: Proc, c: Chan): Dir {
  if (Number(c.qid.path) === Q.dir) return devdir(up, c, c.qid, '#p', 0, eve(up), DMDIR | 0o555);
  const p = procof(up, c);
  if (qof(c) === Q.dir) return piddir(up, c, p);
  return tabstat(up, c, PIDTAB, p.user, qmap(p.pid));
}

function procopen(up: Proc, c: Chan, omode: number): Chan {
  if (c.qid.type & QTDIR) {
    if (Number(c.qid.path) !== Q.dir) procof(up, c);
    return tabopen(up, c, PIDTAB, omode);
  }
  const p = procof(up, c);
  const mode = openmode(omode);
  switch (qof(c)) {
    case Q.status: case Q.ppid: case Q.fd:
      if (mode !== OREAD) error(Eperm);
      break;
    case Q.notepg:
      if (omode !== OWRITE) error(Eperm);
      c.aux = p.noteid;
      break;
    case Q.text:
      // The Chan of the image the process runs (9front proctext): Go's
      // os.Executable opens it and asks fd2path.
      if (omode !== OREAD) error(Eperm);
      if (!p.textchan) error(Eprocdied);
      return opentext(up, p.textchan);
  }
  return tabopen(up, c, PIDTAB, omode, p.user, qmap(p.pid));
}

/** A new open of the image's file, named as exec named it. */
function opentext(up: Proc, text: Chan): Chan {
  const c = text.clone();
  return c.dev.open(up, c, OREAD);
}

/** "%-27s %-27s %-11s" then nine "%11lud" (9front procread Qstatus). */
function statustext(up: Proc, p: Proc): string {
  const state = p.psstate || p.state;
  const real = Math.floor((up.kernel.now() - p.start) / 1e6);
  const mem = p.as ? p.as.segs.reduce((n, s) => n + (s.top - s.base), 0) / 1024 : 0;
  const nums = [p.utime, p.stime, real, 0, 0, 0, mem, 10, 10];
  return `${p.text.padEnd(27)} ${p.user.padEnd(27)} ${state.padEnd(11)} ` +
    nums.map((v) => String(Math.floor(v)).padStart(11)).join(' ') + '\n';
}

/** /proc/N/fd: the current directory, then one line per open fd (9front readfd1). */
function fdtext(p: Proc): string {
  let s = p.dot + '\n';
  p.fgrp.fd.forEach((c, fd) => { if (c) s += fdprint(c, fd); });
  return s;
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

function procread(up: Proc, c: Chan, n: number, off: number): Uint8Array {
  if (Number(c.qid.path) === Q.dir) return dirpack(livepids(up).map((p) => piddir(up, c, p)), n, off);
  const p = procof(up, c);
  switch (qof(c)) {
    case Q.dir: return tabread(up, c, PIDTAB, n, off, p.user, qmap(p.pid));
    case Q.ctl: return readnum(p.pid, n, off);
    case Q.noteid: return readnum(p.noteid, n, off);
    case Q.ppid: return readnum(p.ppid, n, off);
    case Q.status: return readstr(statustext(up, p), n, off);
    case Q.fd: return readstr(fdtext(p), n, off);
    case Q.note: return readnote(p, n);
    default: return error(Eperm);
  }
}

/** The text of a note written by the user: under ERRMAX bytes (4e: one fewer), cut at a NUL. */
function notetext(up: Proc, data: Uint8Array): string {
  const max = up.kernel.flavor === '4e' ? ERRMAX - 1 : ERRMAX;
  if (data.length >= max) error(Etoobig);
  const nul = data.indexOf(0);
  return new TextDecoder().decode(nul < 0 ? data : data.subarray(0, nul));
}

function procctlreq(up: Proc, p: Proc, data: Uint8Array): void {
  const ct = lookupcmd(parsecmd(data), proccmd);
  switch (ct.index) {
    case CM.kill:
      killproc(p);
      break;
    // Scheduling hints with no meaning for an emulated process are accepted and ignored.
    case CM.fixedpri: case CM.pri: case CM.wired: case CM.noswap: case CM.private_:
    case CM.hang: case CM.nohang: case CM.interrupt: case CM.nointerrupt:
      break;
    // Debugger controls need a stopped-process model this kernel does not have.
    default:
      error(Ebadctl);
  }
}

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
    case Q.ctl:
      procctlreq(up, p, data);
      break;
    case Q.note:
      if (!postnote(p, notetext(up, data), NUser)) error('note not posted');
      break;
    case Q.noteid:
      if (off !== 0 || data.length >= ERRMAX) error(Etoobig);
      changenoteid(up, p, parseInt(new TextDecoder().decode(data), 10));
      break;
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

