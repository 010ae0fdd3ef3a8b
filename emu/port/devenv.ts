// #e, the environment (9front port/devenv.c): one file per variable in
// the process's Egrp, shared across rfork unless RFENVG copies it or
// RFCENVG starts an empty one.

import { Chan, devdefaults, type Dev } from './dev.ts';
import type { Dir } from './dat.ts';
import type { Proc } from './proc.ts';
import { DMDIR, OTRUNC, QTDIR, QTFILE } from './dat.ts';
import { devattach, devdir, devopen, eve, walkto } from './devdir.ts';
import { Ebadarg, Eexist, Enomem, Enonexist, Eperm, Etoobig, Etoolong, error } from './error.ts';
import { openmode } from './fd.ts';
import { readbytes } from './readnum.ts';
import { dirpack } from './stat.ts';

const Maxenvsize = 1024 * 1024;
const Maxvalsize = Maxenvsize / 2;
const Maxname = 128;  // up->genbuf

interface Evalue {
  name: string;
  value: Uint8Array;
  vers: number;
  path: number;  // qid path, unique within the Egrp (0 is the directory)
}

/** An environment group (9front Egrp). Iteration order is creation order, as /env lists it. */
export class Egrp {
  readonly ent = new Map<string, Evalue>();
  private npath = 0;

  /** Set (or create) a variable; used for the initial environment. */
  set(name: string, value: Uint8Array): Evalue {
    let e = this.ent.get(name);
    if (!e) {
      e = { name, value, vers: 0, path: ++this.npath };
      this.ent.set(name, e);
    } else {
      e.value = value;
      e.vers++;
    }
    return e;
  }

  byPath(path: number): Evalue | undefined {
    for (const e of this.ent.values()) if (e.path === path) return e;
    return undefined;
  }

  size(): number {
    let n = 0;
    for (const e of this.ent.values()) n += e.name.length + 1 + e.value.length;
    return n;
  }

  /** A private copy (RFENVG; 9front envcpy). */
  dup(): Egrp {
    const g = new Egrp();
    for (const e of this.ent.values()) g.set(e.name, e.value.slice());
    return g;
  }
}

/** The first environment, from the emulator's configuration. */
export function newegrp(env: Record<string, string>): Egrp {
  const g = new Egrp();
  for (const [k, v] of Object.entries(env)) g.set(k, new TextEncoder().encode(v));
  return g;
}

/** Walked Chans use the caller's Egrp; an open Chan keeps the one it was opened in. */
function envgrp(up: Proc, c: Chan): Egrp {
  return c.aux instanceof Egrp ? c.aux : up.egrp;
}

function evalue(up: Proc, c: Chan): Evalue {
  return envgrp(up, c).byPath(Number(c.qid.path)) ?? error(Enonexist);
}

function envdir(up: Proc, c: Chan, e: Evalue): Dir {
  return devdir(up, c, { path: e.path, vers: e.vers, type: QTFILE }, e.name, e.value.length, eve(up), 0o666);
}

function envwalk(up: Proc, c: Chan, name: string): Chan | null {
  const e = envgrp(up, c).ent.get(name);
  return e ? walkto(c, { path: e.path, vers: e.vers, type: QTFILE }) : null;
}

function envstat(up: Proc, c: Chan): Dir {
  if (c.qid.type & QTDIR) return devdir(up, c, c.qid, '#e', 0, eve(up), DMDIR | 0o775);
  return envdir(up, c, evalue(up, c));
}

function envopen(up: Proc, c: Chan, omode: number): Chan {
  if (!(c.qid.type & QTDIR)) {
    const e = evalue(up, c);
    if ((omode & OTRUNC) && e.value.length > 0) {
      e.value = new Uint8Array(0);
      e.vers++;
    }
    c.qid.vers = e.vers;
  }
  devopen(up, c, omode, null);
  c.aux = up.egrp;
  return c;
}

function envcreate(up: Proc, c: Chan, name: string, omode: number): Chan {
  if (!(c.qid.type & QTDIR)) error(Eperm);
  if (name.length + 1 > Maxname) error(Etoolong);
  omode = openmode(omode);
  const g = envgrp(up, c);
  if (g.ent.has(name)) error(Eexist);
  const e = g.set(name, new Uint8Array(0));
  const nc = walkto(c, { path: e.path, vers: e.vers, type: QTFILE });
  nc.path = c.path + '/' + name;
  nc.aux = g;
  nc.mode = omode;
  nc.open = true;
  return nc;
}

function envremove(up: Proc, c: Chan): void {
  if (c.qid.type & QTDIR) error(Eperm);
  const g = envgrp(up, c);
  g.ent.delete(evalue(up, c).name);
}

function envread(up: Proc, c: Chan, n: number, off: number): Uint8Array {
  if (c.qid.type & QTDIR) {
    return dirpack([...envgrp(up, c).ent.values()].map((e) => envdir(up, c, e)), n, off);
  }
  return readbytes(evalue(up, c).value, n, off);
}

function envwrite(up: Proc, c: Chan, data: Uint8Array, off: number): number {
  const e = evalue(up, c);
  const n = data.length;
  if (off > Maxvalsize || n > Maxvalsize - off) error(Etoobig);
  const len = Math.max(e.value.length, off + n);
  if (len > e.value.length && envgrp(up, c).size() + len - e.value.length > Maxenvsize) error(Enomem);
  if (len > e.value.length) {
    const v = new Uint8Array(len);  // a gap past the end reads as zeros
    v.set(e.value);
    e.value = v;
  }
  e.value.set(data, off);
  e.vers++;
  return n;
}

export const devenv: Dev = {
  ...devdefaults,
  dc: 'e',
  name: 'env',
  attach: (_up, spec) => (spec === '' ? devattach(devenv, spec) : error(Ebadarg)),
  walk: envwalk,
  stat: envstat,
  open: envopen,
  create: envcreate,
  close: () => {},
  read: envread,
  write: envwrite,
  remove: envremove,
};

