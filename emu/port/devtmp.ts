// An in-memory file tree for /tmp, standing in for the ramfs a 9front
// profile mounts there: create, read, write, remove, directories, and
// wstat of name, length, mode and mtime. Each attach is a new, empty tree.

import { Chan, devdefaults, type Dev } from './dev.ts';
import type { Dir, Qid } from './dat.ts';
import type { Proc } from './proc.ts';
import type { Plan9 } from './kernel.ts';
import { DMAPPEND, DMDIR, OREAD, OTRUNC, QTDIR } from './dat.ts';
import { devattach, devpermcheck, walkto } from './devdir.ts';
import { Eexist, Eisdir, Enonexist, Enotdir, Eperm, error } from './error.ts';
import { openmode } from './fd.ts';
import { readbytes } from './readnum.ts';
import { dirpack } from './stat.ts';

const Enotempty = 'directory not empty';

class Tnode {
  data = new Uint8Array(0);
  readonly children = new Map<string, Tnode>();
  removed = false;
  atime: number;
  mtime: number;

  constructor(
    public name: string,
    readonly qid: Qid,
    public mode: number,
    readonly uid: string,
    public parent: Tnode | null,
    now: number,
  ) {
    this.atime = this.mtime = now;
  }

  get isdir(): boolean {
    return (this.qid.type & QTDIR) !== 0;
  }
}

function secs(up: Proc): number {
  return Math.floor(up.kernel.now() / 1e9);
}

function nodeof(c: Chan): Tnode {
  const t = c.aux as Tnode;
  if (t.removed) error(Enonexist);
  return t;
}

function tmpdir(c: Chan, t: Tnode): Dir {
  return {
    type: c.dev.dc.codePointAt(0)!, dev: c.devno, qid: { ...t.qid }, mode: t.mode >>> 0,
    atime: t.atime, mtime: t.mtime, length: t.isdir ? 0 : t.data.length,
    name: t.name, uid: t.uid, gid: t.uid, muid: t.uid,
  };
}

function tmpwalk(_up: Proc, c: Chan, name: string): Chan | null {
  const t = nodeof(c).children.get(name);
  if (!t) return null;
  const nc = walkto(c, t.qid);
  nc.aux = t;
  return nc;
}

function tmpopen(up: Proc, c: Chan, omode: number): Chan {
  const t = nodeof(c);
  devpermcheck(up, t.uid, t.mode, omode);
  const mode = openmode(omode);
  if (t.isdir && mode !== OREAD) error(Eisdir);
  if ((omode & OTRUNC) && !t.isdir) {
    t.data = new Uint8Array(0);
    t.qid.vers++;
    t.mtime = secs(up);
  }
  c.qid = { ...t.qid };
  c.mode = mode;
  c.open = true;
  c.offset = 0;
  return c;
}

/** The perm rules of create(5): the new file takes only what its directory allows. */
function tmpcreate(up: Proc, c: Chan, name: string, omode: number, perm: number): Chan {
  const dir = nodeof(c);
  if (!dir.isdir) error(Enotdir);
  devpermcheck(up, dir.uid, dir.mode, 1);
  if (dir.children.has(name)) error(Eexist);
  const mode = openmode(omode);
  const isdir = (perm & DMDIR) !== 0;
  if (isdir && mode !== OREAD) error(Eperm);
  const mask = isdir ? 0o777 : 0o666;
  perm = (perm & ~0o777) | (perm & (dir.mode & mask | ~mask) & 0o777);
  const t = new Tnode(name, { path: ++up.kernel.ids.tmp, vers: 0, type: isdir ? QTDIR : 0 }, perm >>> 0, up.user, dir, secs(up));
  dir.children.set(name, t);
  dir.qid.vers++;
  const nc = walkto(c, t.qid);
  nc.aux = t;
  nc.path = c.path === '/' ? '/' + name : c.path + '/' + name;
  nc.mode = mode;
  nc.open = true;
  return nc;
}

function tmpread(up: Proc, c: Chan, n: number, off: number): Uint8Array {
  const t = nodeof(c);
  t.atime = secs(up);
  if (t.isdir) return dirpack([...t.children.values()].map((x) => tmpdir(c, x)), n, off);
  return readbytes(t.data, n, off);
}

function tmpwrite(up: Proc, c: Chan, data: Uint8Array, off: number): number {
  const t = nodeof(c);
  if (t.isdir) error(Eisdir);
  if (t.mode & DMAPPEND) off = t.data.length;
  const end = off + data.length;
  if (end > t.data.length) {
    const b = new Uint8Array(end);
    b.set(t.data);
    t.data = b;
  }
  t.data.set(data, off);
  t.qid.vers++;
  t.mtime = secs(up);
  return data.length;
}

function tmpremove(up: Proc, c: Chan): void {
  const t = nodeof(c);
  if (!t.parent) error(Eperm);
  devpermcheck(up, t.parent.uid, t.parent.mode, 1);
  if (t.children.size > 0) error(Enotempty);
  t.parent.children.delete(t.name);
  t.parent.qid.vers++;
  t.removed = true;
}

const NOCHANGE32 = 0xffffffff;

/** wstat: a field of all ones (or an empty name) is left as it is. */
function tmpwstat(up: Proc, c: Chan, d: Dir): void {
  const t = nodeof(c);
  const length = BigInt(d.length);
  if (d.name !== '' && d.name !== t.name) {
    if (!t.parent) error(Eperm);
    if (t.parent.children.has(d.name)) error(Eexist);
    t.parent.children.delete(t.name);
    t.name = d.name;
    t.parent.children.set(d.name, t);
  }
  if (length !== 0xffffffffffffffffn) {
    if (t.isdir) error(Eisdir);
    const b = new Uint8Array(Number(length));
    b.set(t.data.subarray(0, b.length));
    t.data = b;
    t.qid.vers++;
  }
  if (d.mode >>> 0 !== NOCHANGE32) {
    if (((d.mode >>> 0) & DMDIR) !== ((t.mode >>> 0) & DMDIR)) error(Eperm);
    t.mode = d.mode >>> 0;
  }
  if (d.mtime >>> 0 !== NOCHANGE32) t.mtime = d.mtime >>> 0;
  t.atime = secs(up);
}

export const devtmp: Dev = {
  ...devdefaults,
  dc: 'M',
  name: 'tmp',
  attach: (up, _spec) => tmpattach(up.kernel),
  walk: tmpwalk,
  stat: (_up, c) => tmpdir(c, nodeof(c)),
  open: tmpopen,
  create: tmpcreate,
  close: () => {},
  read: tmpread,
  write: tmpwrite,
  remove: tmpremove,
  wstat: tmpwstat,
};

/** A new empty tree, owned by the kernel's user and open to all (mode 0777 like a fresh /tmp). */
export function tmpattach(k: Plan9): Chan {
  const c = devattach(devtmp, '');
  const root = new Tnode('/', { path: ++k.ids.tmp, vers: 0, type: QTDIR }, (DMDIR | 0o777) >>> 0, k.config.user, null, Math.floor(k.now() / 1e9));
  c.qid = { ...root.qid };
  c.aux = root;
  return c;
}
