// A host directory seen as a Plan 9 file tree (the configured root at /).
// Read-only unless the configuration makes it writable. Every path is
// resolved on the host, symlinks included, and refused when it lands
// outside the root: a guest cannot climb out with .. or a link.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Chan, devdefaults, type Dev } from './dev.ts';
import type { Dir, Qid } from './dat.ts';
import type { Proc } from './proc.ts';
import type { HostRoot } from './kernel.ts';
import { DMDIR, DMEXCL, OREAD, OTRUNC, QTDIR, QTFILE } from './dat.ts';
import { walkto } from './devdir.ts';
import { Eexist, Eio, Eisdir, Enonexist, Enotdir, Eperm, error, isKernelError } from './error.ts';
import { openmode } from './fd.ts';
import { dirpack } from './stat.ts';

interface Hostfile {
  readonly root: string;      // the root, as a resolved host path
  readonly writable: boolean;
  readonly user: string;
  readonly rel: string;       // path below the root, '' for the root itself
  /** Host files given the exclusive-use bit (DMEXCL) by wstat: kept here, as the host has no such bit. */
  readonly excl: Set<string>;
}

function hostfile(c: Chan): Hostfile {
  return c.aux as Hostfile;
}

/** Turn a host failure into the Plan 9 error a file server would give. */
function hosterror(e: unknown): never {
  if (isKernelError(e)) throw e;
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return error(Enonexist);
    case 'EACCES': case 'EPERM': case 'EROFS': return error(Eperm);
    case 'EISDIR': return error(Eisdir);
    case 'ENOTDIR': return error(Enotdir);
    case 'EEXIST': return error(Eexist);
    case 'ENOTEMPTY': return error('directory not empty');
    default: return error(Eio);
  }
}

function host<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    return hosterror(e);
  }
}

/** The host path of h, resolved; null when it does not exist or escapes the root. */
function resolve(h: Hostfile): string | null {
  let real: string;
  try {
    real = fs.realpathSync(path.join(h.root, h.rel));
  } catch {
    return null;
  }
  // (The root may be the host's / itself: every path is inside it.)
  const inside = h.root.endsWith(path.sep) ? h.root : h.root + path.sep;
  return real === h.root || real.startsWith(inside) ? real : null;
}

function realof(h: Hostfile): string {
  return resolve(h) ?? error(Enonexist);
}

function mkqid(st: fs.Stats): Qid {
  return {
    path: Number(st.ino),
    vers: Math.floor(st.mtimeMs) >>> 0,
    type: st.isDirectory() ? QTDIR : QTFILE,
  };
}

function mkdir(c: Chan, h: Hostfile, name: string, st: fs.Stats): Dir {
  const qid = mkqid(st);
  return {
    type: c.dev.dc.codePointAt(0)!, dev: c.devno, qid,
    mode: ((st.mode & 0o777) | (st.isDirectory() ? DMDIR : 0) | (h.excl.has(h.rel) ? DMEXCL : 0)) >>> 0,
    atime: Math.floor(st.atimeMs / 1000), mtime: Math.floor(st.mtimeMs / 1000),
    length: st.isDirectory() ? 0 : st.size,
    name, uid: h.user, gid: h.user, muid: h.user,
  };
}

function child(h: Hostfile, name: string): Hostfile {
  return { ...h, rel: h.rel === '' ? name : h.rel + '/' + name };
}

function hostwalk(_up: Proc, c: Chan, name: string): Chan | null {
  const h = child(hostfile(c), name);
  const real = resolve(h);
  if (!real) return null;
  const nc = walkto(c, mkqid(host(() => fs.statSync(real))));
  nc.aux = h;
  return nc;
}

function hoststat(_up: Proc, c: Chan): Dir {
  const h = hostfile(c);
  const st = host(() => fs.statSync(realof(h)));
  return mkdir(c, h, h.rel === '' ? '/' : path.posix.basename(h.rel), st);
}

function writable(h: Hostfile): void {
  if (!h.writable) error(Eperm);
}

function hostopen(_up: Proc, c: Chan, omode: number): Chan {
  const h = hostfile(c);
  const mode = openmode(omode);
  const real = realof(h);
  // A directory is refused before any permission, as file servers do
  // (9front lib9p srv.c sopen), and as devtmp does.
  if ((c.qid.type & QTDIR) && mode !== OREAD) error(Eisdir);
  if (mode !== OREAD || (omode & OTRUNC)) writable(h);
  host(() => fs.accessSync(real, mode === OREAD ? fs.constants.R_OK : mode === 1 ? fs.constants.W_OK : fs.constants.R_OK | fs.constants.W_OK));
  if ((omode & OTRUNC) && !(c.qid.type & QTDIR)) host(() => fs.truncateSync(real, 0));
  c.mode = mode;
  c.open = true;
  c.offset = 0;
  return c;
}

function hostcreate(up: Proc, c: Chan, name: string, omode: number, perm: number): Chan {
  const h = hostfile(c);
  writable(h);
  const nh = child(h, name);
  const target = path.join(realof(h), name);
  if (fs.existsSync(target)) error(Eexist);
  if (perm & DMDIR) host(() => fs.mkdirSync(target, perm & 0o777));
  else host(() => fs.closeSync(fs.openSync(target, 'wx', perm & 0o777)));
  const nc = walkto(c, mkqid(host(() => fs.statSync(target))));
  nc.aux = nh;
  nc.path = c.path === '/' ? '/' + name : c.path + '/' + name;
  return hostopen(up, nc, omode);
}

function hostread(_up: Proc, c: Chan, n: number, off: number): Uint8Array {
  const h = hostfile(c);
  const real = realof(h);
  if (c.qid.type & QTDIR) {
    const dirs: Dir[] = [];
    for (const name of host(() => fs.readdirSync(real)).sort()) {
      const ch = child(h, name);
      const r = resolve(ch);
      if (!r) continue;  // dangling, or pointing out of the root
      try {
        dirs.push(mkdir(c, ch, name, fs.statSync(r)));
      } catch { /* vanished meanwhile */ }
    }
    return dirpack(dirs, n, off);
  }
  return host(() => {
    const fd = fs.openSync(real, 'r');
    try {
      const b = new Uint8Array(Math.max(0, n));
      return b.subarray(0, fs.readSync(fd, b, 0, b.length, off));
    } finally {
      fs.closeSync(fd);
    }
  });
}

function hostwrite(_up: Proc, c: Chan, data: Uint8Array, off: number): number {
  const h = hostfile(c);
  writable(h);
  if (c.qid.type & QTDIR) error(Eisdir);
  const real = realof(h);
  return host(() => {
    const fd = fs.openSync(real, 'r+');
    try {
      return fs.writeSync(fd, data, 0, data.length, off);
    } finally {
      fs.closeSync(fd);
    }
  });
}

function hostremove(_up: Proc, c: Chan): void {
  const h = hostfile(c);
  writable(h);
  if (h.rel === '') error(Eperm);
  const real = realof(h);
  host(() => ((c.qid.type & QTDIR) ? fs.rmdirSync(real) : fs.unlinkSync(real)));
}

function hostwstat(_up: Proc, c: Chan, d: Dir): void {
  const h = hostfile(c);
  let real = realof(h);
  if (d.mode >>> 0 !== 0xffffffff && exclonly(h, real, d)) {
    // Only the exclusive-use bit changes (Go's cmd/go sets it on a go.mod
    // before opening it, lockedfile_plan9.go): allowed on a read-only tree
    // too, and kept in memory, as the host has no such bit.
    setexcl(h, d.mode);
    return;
  }
  writable(h);
  if (BigInt(d.length) !== 0xffffffffffffffffn) host(() => fs.truncateSync(real, Number(d.length)));
  if (d.mode >>> 0 !== 0xffffffff) {
    host(() => fs.chmodSync(real, d.mode & 0o777));
    setexcl(h, d.mode);
  }
  if (d.name !== '' && d.name !== path.basename(real)) {
    if (h.rel === '') error(Eperm);
    const to = path.join(path.dirname(real), d.name);
    if (fs.existsSync(to)) error(Eexist);
    host(() => fs.renameSync(real, to));
    real = to;
    c.aux = { ...h, rel: path.posix.join(path.posix.dirname(h.rel), d.name) };
  }
}

/** Keep the DMEXCL bit of mode for h (the host file has none). */
function setexcl(h: Hostfile, mode: number): void {
  if (mode & DMEXCL) h.excl.add(h.rel);
  else h.excl.delete(h.rel);
}

/** A wstat that changes nothing but the mode's DMEXCL bit. */
function exclonly(h: Hostfile, real: string, d: Dir): boolean {
  const st = host(() => fs.statSync(real));
  const dir = st.isDirectory() ? DMDIR : 0;
  return (d.mode & ~DMEXCL) >>> 0 === ((st.mode & 0o777) | dir) >>> 0 &&
    BigInt(d.length) === 0xffffffffffffffffn && (d.name === '' || d.name === path.basename(real)) &&
    d.mtime >>> 0 === 0xffffffff && h.rel !== '';
}

export const devhost: Dev = {
  ...devdefaults,
  dc: 'M',
  name: 'host',
  attach: () => error(Eperm),  // only through the boot name space, never by #
  walk: hostwalk,
  stat: hoststat,
  open: hostopen,
  create: hostcreate,
  close: () => {},
  read: hostread,
  write: hostwrite,
  remove: hostremove,
  wstat: hostwstat,
};

/** The root of a host directory tree, its files owned by user. */
export function hostattach(root: HostRoot, user: string): Chan {
  const real = fs.realpathSync(root.dir);
  const c = new Chan(devhost, mkqid(fs.statSync(real)));
  c.aux = { root: real, writable: root.writable, user, rel: '', excl: new Set() } satisfies Hostfile;
  c.path = '/';
  return c;
}
