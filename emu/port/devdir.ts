// The shared machinery of kernel devices (9front port/dev.c): attach,
// directory entries, permission checks on open, and the walk/stat/read
// of a directory described by a Dirtab. Devices with generated
// directories (#p, #e, #d, the tmp fs) build their Dir lists with devdir
// and read them with dirpack.

import { Chan, type Dev, type Dirtab } from './dev.ts';
import type { Dir, Qid } from './dat.ts';
import type { Proc } from './proc.ts';
import { DMDIR, OREAD, QTDIR } from './dat.ts';
import { Enonexist, Eperm, error } from './error.ts';
import { openmode } from './fd.ts';
import { dirpack } from './stat.ts';

/** A Dirtab entry, written as 9front writes them: name, qid path (and type), length, perm. */
export function dirtab(name: string, path: number, length: number, perm: number, type = 0): Dirtab {
  if (perm & DMDIR) type |= QTDIR;
  return { name, qid: { path, vers: 0, type }, length, perm };
}

/** The host owner (9front eve): the user the emulator runs as. */
export function eve(up: Proc): string {
  return up.kernel.config.user;
}

/** The root of a device: qid path 0, a directory (9front devattach). */
export function devattach(dev: Dev, spec: string): Chan {
  const c = new Chan(dev, { path: 0, vers: 0, type: QTDIR });
  c.path = '#' + dev.dc + spec;
  return c;
}

/** A directory entry for a file of c's device (9front devdir). */
export function devdir(up: Proc, c: Chan, qid: Qid, name: string, length: number, uid: string, perm: number): Dir {
  const secs = Math.floor(up.kernel.now() / 1e9);
  return {
    type: c.dev.dc.codePointAt(0)!,
    dev: c.devno,
    qid: { ...qid },
    mode: (perm | (qid.type << 24)) >>> 0,
    atime: secs,
    mtime: Math.floor((up.kernel.now() - up.kernel.uptime()) / 1e9),  // kerndate
    length,
    name,
    uid,
    gid: eve(up),
    muid: uid,
  };
}

/** The last element of a Chan's path, as devstat names a directory it cannot find. */
export function lastelem(path: string): string {
  if (path === '/' || path === '') return path || '???';
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Eperm unless up may open a file of this owner and perm with omode (9front devpermcheck). */
export function devpermcheck(up: Proc, uid: string, perm: number, omode: number): void {
  const access = [0o400, 0o200, 0o600, 0o100][omode & 3]!;
  if (up.user === uid) perm <<= 0;
  else if (up.user === eve(up)) perm <<= 3;
  else perm <<= 6;
  if ((access & perm) !== access) error(Eperm);
}

/**
 * Mark c open (9front devopen), after the permission check against its
 * directory entry when there is one. Directories open only for reading.
 */
export function devopen(up: Proc, c: Chan, omode: number, d: Dir | null): Chan {
  if (d) devpermcheck(up, d.uid, d.mode, omode);
  if ((c.qid.type & QTDIR) && omode !== OREAD) error(Eperm);
  c.mode = openmode(omode);
  c.open = true;
  c.offset = 0;
  return c;
}

/** A new Chan for a child of c (9front devclone + setting the walked qid). */
export function walkto(c: Chan, qid: Qid): Chan {
  const nc = c.clone();
  nc.qid = { ...qid };
  return nc;
}

// Dirtab directories. tab[0] is the directory itself, as in 9front; the
// helpers serve flat devices (#c, #|, the root) and the per-process
// directory of #p, whose qid paths carry the pid (see qidof).

/** Map a tab entry's path to the qid path used in this Chan's instance (identity by default). */
export type Qidmap = (tabpath: number) => number;
const ident: Qidmap = (p) => p;

function tabentry(c: Chan, tab: readonly Dirtab[], map: Qidmap): Dirtab | undefined {
  return tab.find((t) => map(Number(t.qid.path)) === Number(c.qid.path));
}

export function tabwalk(c: Chan, tab: readonly Dirtab[], name: string, map = ident): Chan | null {
  if (Number(c.qid.path) !== map(Number(tab[0]!.qid.path))) return null;
  const t = tab.slice(1).find((e) => e.name === name);
  return t ? walkto(c, { ...t.qid, path: map(Number(t.qid.path)) }) : null;
}

/** The directory entry of c; a directory absent from its table is named from its path (9front devstat). */
export function tabstat(up: Proc, c: Chan, tab: readonly Dirtab[], uid = eve(up), map = ident): Dir {
  const t = tabentry(c, tab, map);
  if (t && t !== tab[0]) return devdir(up, c, c.qid, t.name, t.length, uid, t.perm);
  if (c.qid.type & QTDIR) return devdir(up, c, c.qid, lastelem(c.path), 0, eve(up), DMDIR | 0o555);
  return error(Enonexist);
}

export function tabdirs(up: Proc, c: Chan, tab: readonly Dirtab[], uid = eve(up), map = ident): Dir[] {
  return tab.slice(1).map((t) =>
    devdir(up, c, { ...t.qid, path: map(Number(t.qid.path)) }, t.name, t.length, uid, t.perm));
}

export function tabread(up: Proc, c: Chan, tab: readonly Dirtab[], n: number, off: number, uid = eve(up), map = ident): Uint8Array {
  return dirpack(tabdirs(up, c, tab, uid, map), n, off);
}

export function tabopen(up: Proc, c: Chan, tab: readonly Dirtab[], omode: number, uid = eve(up), map = ident): Chan {
  const t = tabentry(c, tab, map);
  const d = t && t !== tab[0] ? devdir(up, c, c.qid, t.name, t.length, uid, t.perm) : null;
  return devopen(up, c, omode, d);
}
