// The file system calls (9front port/sysfile.c), one small function per
// call, numbered as in libc/9syscall/sys.h. Each takes the caller and its
// five argument words, returns the result, and fails by error().
//
// Blocking: a device read or write may throw Sleep, and the whole call is
// then rerun (rendez.ts). So no call here changes a Chan's offset or the
// fd table before the device has done its part.

import type { Chan } from './dev.ts';
import type { Proc } from './proc.ts';
import { CCEXEC } from './dev.ts';
import { OEXCL, OREAD, OWRITE, QTDIR } from './dat.ts';
import { cclose, chanpath, namec, withchan } from './chan.ts';
import { newpipe } from './devpipe.ts';
import {
  Ebadarg, Ebadfd, Ebadstat, Edirseek, Eisdir, Eismtpt, Eisstream, Enegoff, Eshortstat, error,
} from './error.ts';
import { fdtochan, openmode } from './fd.ts';
import { callchan, holdingchan } from './syschan.ts';
import { NFD } from './fgrp.ts';
import { quote } from './parse.ts';
import { MAFTER, MBEFORE, MMASK, MORDER } from './union.ts';
import { convD2M, convM2D, statcheck } from './stat.ts';
import { copyin, copyout, int, namearg, putvlong, validaddr, vlong } from './sysarg.ts';

const enc = new TextEncoder();


/** Put c in the lowest free fd; on failure the reference namec gave is dropped. */
function newfd(up: Proc, c: Chan): number {
  try {
    return up.fgrp.newfd(c);
  } catch (e) {
    cclose(up, c);
    throw e;
  }
}

/** Close fd if it is open (9front fdclose). */
export function fdclose(up: Proc, fd: number): void {
  const c = up.fgrp.fd[fd];
  if (!c) return;
  up.fgrp.fd[fd] = undefined;
  cclose(up, c);
}

/** Close every fd opened with OCEXEC; exec calls this (9front closefgrp's CCEXEC pass). */
export function closeOnExec(up: Proc): void {
  up.fgrp.fd.forEach((c, fd) => { if (c && (c.flag & CCEXEC)) fdclose(up, fd); });
}

// 14: int open(char *name, int mode)
export function sysopen(up: Proc, a: readonly number[]): number {
  openmode(a[1]!);  // error check only
  const c = namec(up, namearg(up, a[0]!), 'open', a[1]!);
  return newfd(up, c);
}

// 22: int create(char *name, int mode, ulong perm)
export function syscreate(up: Proc, a: readonly number[]): number {
  openmode(a[1]! & ~OEXCL);  // error check only; OEXCL is fine here
  const c = namec(up, namearg(up, a[0]!), 'create', a[1]!, a[2]!);
  return newfd(up, c);
}

// 4: int close(int fd)
export function sysclose(up: Proc, a: readonly number[]): number {
  fdtochan(up, int(a[0]!), -1);
  fdclose(up, int(a[0]!));
  return 0;
}

/**
 * read(2) and its variants (9front sysfile.c:read). offp null means "at
 * the fd's offset, and advance it". Directories are read in whole
 * entries and only from where the previous read stopped (Edirseek), or 0.
 */
function read(up: Proc, fd: number, p: number, n: number, offp: number | null): number {
  validaddr(up, p, n, true);
  const c = callchan(up, fd, OREAD);
  const off = offp ?? c.offset;
  if (off < 0) error(Enegoff);
  const isdir = (c.qid.type & QTDIR) !== 0;
  if (off === 0 && (offp === null || isdir)) c.offset = 0;
  if (isdir && off !== c.offset) error(Edirseek);
  const data = holdingchan(up, c, () => c.dev.read(up, c, n, off));
  copyout(up, p, data);
  if (offp === null || isdir) c.offset += data.length;
  return data.length;
}

/** write(2) and its variants (9front sysfile.c:write). */
function write(up: Proc, fd: number, p: number, n: number, offp: number | null): number {
  validaddr(up, p, n, false);
  const c = callchan(up, fd, OWRITE);
  if (c.qid.type & QTDIR) error(Eisdir);
  const off = offp ?? c.offset;
  if (off < 0) error(Enegoff);
  const m = holdingchan(up, c, () => c.dev.write(up, c, copyin(up, p, n), off));
  if (offp === null) c.offset += m;
  return m;
}

/** A pread/pwrite offset: -1 (all ones) means the fd's own offset. */
function offarg(a: readonly number[], i: number): number | null {
  const off = vlong(a, i);
  return off === -1 ? null : off;
}

// 15: long _read(int fd, void *buf, long n) — obsolete: at the fd's offset
export function sys_read(up: Proc, a: readonly number[]): number {
  return read(up, int(a[0]!), a[1]!, int(a[2]!), null);
}

// 50: long pread(int fd, void *buf, long n, vlong off)
export function syspread(up: Proc, a: readonly number[]): number {
  return read(up, int(a[0]!), a[1]!, int(a[2]!), offarg(a, 3));
}

// 20: long _write(int fd, void *buf, long n) — obsolete: at the fd's offset
export function sys_write(up: Proc, a: readonly number[]): number {
  return write(up, int(a[0]!), a[1]!, int(a[2]!), null);
}

// 51: long pwrite(int fd, void *buf, long n, vlong off)
export function syspwrite(up: Proc, a: readonly number[]): number {
  return write(up, int(a[0]!), a[1]!, int(a[2]!), offarg(a, 3));
}

/** Move the fd's offset (9front sseek): 0 from the start, 1 from here, 2 from the end. */
function sseek(up: Proc, fd: number, o: number, type: number): number {
  const c = fdtochan(up, fd, -1);
  if (c.dev.dc === '|') error(Eisstream);
  const isdir = (c.qid.type & QTDIR) !== 0;
  let off: number;
  switch (type) {
    case 0:
      off = o;
      if (isdir && off !== 0) error(Eisdir);
      break;
    case 1:
      if (isdir) error(Eisdir);
      off = o + c.offset;
      break;
    case 2:
      if (isdir) error(Eisdir);
      off = Number(c.dev.stat(up, c).length) + o;
      break;
    default:
      return error(Ebadarg);
  }
  if (off < 0) error(Enegoff);
  c.offset = off;
  return off;
}

// 39: vlong seek(int fd, vlong off, int type) — the result goes through the hidden pointer a[0]
export function sysseek(up: Proc, a: readonly number[]): number {
  validaddr(up, a[0]!, 8, true);
  putvlong(up, a[0]!, sseek(up, int(a[1]!), vlong(a, 2), int(a[4]!)));
  return 0;
}

// 16: long oseek(int fd, long off, int type) — obsolete: 32-bit result in AX
export function sysoseek(up: Proc, a: readonly number[]): number {
  return sseek(up, int(a[0]!), int(a[1]!), int(a[2]!));
}

// 5: int dup(int oldfd, int newfd) — newfd -1 takes the lowest free fd
export function sysdup(up: Proc, a: readonly number[]): number {
  const c = fdtochan(up, int(a[0]!), -1);
  const fd = int(a[1]!);
  if (fd === -1) {
    c.ref++;
    return newfd(up, c);
  }
  if (fd < 0 || fd >= NFD) error(Ebadfd);
  c.ref++;
  const old = up.fgrp.fd[fd];
  up.fgrp.fd[fd] = c;
  if (old) cclose(up, old);  // after installing, so dup(1, 1) keeps fd 1
  return fd;
}

// 21: int pipe(int fd[2])
export function syspipe(up: Proc, a: readonly number[]): number {
  validaddr(up, a[0]!, 8, true);
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setInt32(0, -1, true);
  v.setInt32(4, -1, true);
  copyout(up, a[0]!, out);
  const [c0, c1] = newpipe(up);
  const fd0 = newfd(up, c0);
  let fd1: number;
  try {
    fd1 = up.fgrp.newfd(c1, fd0 + 1);
  } catch (e) {
    fdclose(up, fd0);
    cclose(up, c1);
    throw e;
  }
  v.setInt32(0, fd0, true);
  v.setInt32(4, fd1, true);
  copyout(up, a[0]!, out);
  return 0;
}

// 23: int fd2path(int fd, char *buf, int n) — snprint semantics: at most n-1 bytes and a NUL
export function sysfd2path(up: Proc, a: readonly number[]): number {
  const n = a[2]!;
  validaddr(up, a[1]!, n, true);
  const c = fdtochan(up, int(a[0]!), -1);
  if (n > 0) {
    const s = enc.encode(chanpath(c)).subarray(0, n - 1);
    const out = new Uint8Array(s.length + 1);
    out.set(s);
    copyout(up, a[1]!, out);
  }
  return 0;
}

// 3: int chdir(char *name)
export function syschdir(up: Proc, a: readonly number[]): number {
  const c = namec(up, namearg(up, a[0]!), 'todir');
  up.dot = c.path;
  cclose(up, c);
  return 0;
}

// 25: int remove(char *name)
export function sysremove(up: Proc, a: readonly number[]): number {
  const c = namec(up, namearg(up, a[0]!), 'remove');
  if (up.pgrp.mnt.has(c.path)) error(Eismtpt);
  // Like 9front's remove-then-forget: the file is gone, so the device is not asked to close it.
  c.dev.remove(up, c);
  return 0;
}

/** The entry of c with the name it was reached by (9front pathlast + dirsetname), marshalled into n bytes. */
function statbytes(up: Proc, c: Chan, n: number): Uint8Array {
  const d = c.dev.stat(up, c);
  if (c.path) d.name = c.path.slice(c.path.lastIndexOf('/') + 1);
  const b = convD2M(d, n);
  if (b.length === 0) error(Ebadarg);
  return b;
}

// 42: int stat(char *name, uchar *edir, int nedir)
export function sysstat(up: Proc, a: readonly number[]): number {
  validaddr(up, a[1]!, a[2]!, true);
  const c = namec(up, namearg(up, a[0]!), 'access');
  return withchan(up, c, () => {
    const b = statbytes(up, c, a[2]!);
    copyout(up, a[1]!, b);
    return b.length;
  });
}

// 43: int fstat(int fd, uchar *edir, int nedir)
export function sysfstat(up: Proc, a: readonly number[]): number {
  validaddr(up, a[1]!, a[2]!, true);
  const b = statbytes(up, fdtochan(up, int(a[0]!), -1), a[2]!);
  copyout(up, a[1]!, b);
  return b.length;
}

/** A wstat buffer: one well-formed entry whose name has no slash (9front validstat). */
function statarg(up: Proc, addr: number, n: number): Uint8Array {
  validaddr(up, addr, n, false);
  const b = copyin(up, addr, n);
  if (!statcheck(b)) error(Ebadstat);
  const d = convM2D(b) ?? error(Eshortstat);
  if (d.name !== '/' && /[\x00-\x1f\x7f/]/.test(d.name)) error(`bad character in file name: ${quote(d.name)}`);
  return b;
}

function wstat(up: Proc, c: Chan, b: Uint8Array): number {
  const d = convM2D(b) ?? error(Eshortstat);
  c.dev.wstat(up, c, d);
  return b.length;
}

// 44: int wstat(char *name, uchar *edir, int nedir)
export function syswstat(up: Proc, a: readonly number[]): number {
  const b = statarg(up, a[1]!, a[2]!);
  const c = namec(up, namearg(up, a[0]!), 'access');
  return withchan(up, c, () => wstat(up, c, b));
}

// 45: int fwstat(int fd, uchar *edir, int nedir)
export function sysfwstat(up: Proc, a: readonly number[]): number {
  const b = statarg(up, a[1]!, a[2]!);
  return wstat(up, fdtochan(up, int(a[0]!), -1), b);
}

// 26, 27: the pre-9P2000 wstat calls
export function sys_wstat(): number {
  return error('old wstat system call - recompile');
}

export function sys_fwstat(): number {
  return error('old fwstat system call - recompile');
}

// 2: int bind(char *name, char *old, int flag)
export function sysbind(up: Proc, a: readonly number[]): number {
  const flag = int(a[2]!);
  if ((flag & ~MMASK) || (flag & MORDER) === (MBEFORE | MAFTER)) error(Ebadarg);
  // The mount table keeps clones of both (pgrp.mount): these two go.
  return withchan(up, namec(up, namearg(up, a[0]!), 'bind'), (c0) =>
    withchan(up, namec(up, namearg(up, a[1]!), 'mount'), (c1) => up.pgrp.mount(c0, c1, flag)));
}

