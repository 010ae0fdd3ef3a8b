// #s, the service registry (4e port/devsrv.c; 9front's adds boards and
// leases, not modelled): a process posts a channel by creating a file and
// writing an fd number into it; whoever opens the file gets that channel
// (a pipe end a file server reads, for mount -c /srv/x /n/x). Removing the
// file drops the posted reference. One registry per kernel, bound at /srv.

import { Chan, CCEXEC, CRCLOSE, devdefaults, type Dev } from './dev.ts';
import type { Dir } from './dat.ts';
import type { Plan9 } from './kernel.ts';
import type { Proc } from './proc.ts';
import { DMDIR, OREAD, ORCLOSE, OTRUNC, OWRITE, QTDIR, QTFILE } from './dat.ts';
import { cclose } from './chan.ts';
import { devattach, devdir, devopen, devpermcheck, eve, walkto } from './devdir.ts';
import {
  Ebadusefd, Eexist, Egreg4e, Eisdir, Enonexist, Eperm, Eshutdown, Etoobig, Etoolong, error,
} from './error.ts';
import { fdtochan, openmode } from './fd.ts';
import { dirpack } from './stat.ts';
import { sidetable } from './sidetab.ts';

interface Srv {
  name: string;
  owner: string;
  perm: number;
  chan: Chan | null;
  path: number;
}

const boards = sidetable<Plan9, { srv: Srv[]; qidpath: number }>();

function board(up: Proc): { srv: Srv[]; qidpath: number } {
  let b = boards.get(up.kernel);
  if (!b) boards.set(up.kernel, (b = { srv: [], qidpath: 1 }));
  return b;
}

function lookup(up: Proc, name: string | null, path = -1): Srv | undefined {
  return board(up).srv.find((sp) => sp.path === path || sp.name === name);
}

function srvdir(up: Proc, c: Chan, sp: Srv): Dir {
  return devdir(up, c, { path: sp.path, vers: 0, type: QTFILE }, sp.name, 0, sp.owner, sp.perm);
}

function srvopen(up: Proc, c: Chan, omode: number): Chan {
  if (c.qid.type & QTDIR) {
    if (omode & ORCLOSE) error(Eperm);
    if (omode !== OREAD) error(Eisdir);
    return devopen(up, c, omode, null);
  }
  const sp = lookup(up, null, Number(c.qid.path));
  if (!sp?.chan) error(Eshutdown);
  if (up.kernel.flavor === '4e' && (omode & OTRUNC)) error('srv file already exists');
  if (openmode(omode) !== sp.chan.mode && sp.chan.mode !== 2) error(Eperm);
  devpermcheck(up, sp.owner, sp.perm, omode);
  sp.chan.ref++;
  return sp.chan;
}

function srvcreate(up: Proc, c: Chan, name: string, omode: number, perm: number): Chan {
  if (openmode(omode) !== OWRITE) error(Eperm);
  if (up.kernel.flavor === '9front' && new TextEncoder().encode(name).length >= 128) error(Etoolong);
  if (lookup(up, name)) error(Eexist);
  const b = board(up);
  const sp: Srv = { name, owner: up.user, perm: perm & 0o777, chan: null, path: b.qidpath++ };
  b.srv.unshift(sp);
  const nc = walkto(c, { path: sp.path, vers: 0, type: QTFILE });
  nc.mode = OWRITE;
  nc.open = true;
  return nc;
}

function srvremove(up: Proc, c: Chan): void {
  if (c.qid.type & QTDIR) error(Eperm);
  const b = board(up);
  const i = b.srv.findIndex((sp) => sp.path === Number(c.qid.path));
  if (i < 0) error(Enonexist);
  const sp = b.srv[i]!;
  if (up.kernel.flavor === '4e' ? sp.name === 'boot' : sp.owner !== up.user && up.user !== eve(up)) error(Eperm);
  b.srv.splice(i, 1);
  if (sp.chan) cclose(up, sp.chan);
}

/** Post the Chan of the fd whose number is written (devsrv srvwrite). */
function srvwrite(up: Proc, c: Chan, data: Uint8Array): number {
  if (data.length >= 32) error(up.kernel.flavor === '4e' ? Egreg4e : Etoobig);
  const fd = parseInt(new TextDecoder().decode(data), 10);
  const c1 = fdtochan(up, Number.isNaN(fd) ? 0 : fd, -1);
  if (up.kernel.flavor === '4e' && (c1.flag & (CCEXEC | CRCLOSE))) error('posted fd has remove-on-close or close-on-exec');
  const sp = lookup(up, null, Number(c.qid.path)) ?? error(Enonexist);
  if (sp.chan) error(Ebadusefd);
  c1.ref++;
  sp.chan = c1;
  return data.length;
}

function srvwstat(up: Proc, c: Chan, d: Dir): void {
  if (c.qid.type & QTDIR) error(Eperm);
  const sp = lookup(up, null, Number(c.qid.path)) ?? error(Enonexist);
  if (sp.owner !== up.user && up.user !== eve(up)) error(Eperm);
  if (d.mode !== 0xffffffff) sp.perm = d.mode & 0o777;
}

export const devsrv: Dev = {
  ...devdefaults,
  dc: 's',
  name: 'srv',
  attach: (_up, spec) => devattach(devsrv, spec),
  walk: (up, c, name) => {
    if (!(c.qid.type & QTDIR)) return null;
    const sp = lookup(up, name);
    return sp ? walkto(c, { path: sp.path, vers: 0, type: QTFILE }) : null;
  },
  stat: (up, c) => {
    if (c.qid.type & QTDIR) return devdir(up, c, c.qid, '#s', 0, eve(up), DMDIR | 0o555);
    const sp = lookup(up, null, Number(c.qid.path)) ?? error(Enonexist);
    return srvdir(up, c, sp);
  },
  open: srvopen,
  create: srvcreate,
  close: () => {},
  read: (up, c, n, off) => {
    if (!(c.qid.type & QTDIR)) error(Eperm);
    return dirpack(board(up).srv.map((sp) => srvdir(up, c, sp)), n, off);
  },
  write: (up, c, data) => srvwrite(up, c, data),
  remove: srvremove,
  wstat: srvwstat,
};
