// #d, the fd directory (9front port/devdup.c), usually bound at /fd:
// opening /fd/N gives another reference to fd N's Chan, as dup(N, -1)
// would; /fd/Nctl describes it in the format of /proc/N/fd.

import { Chan, devdefaults, type Dev } from './dev.ts';
import type { Dir } from './dat.ts';
import type { Proc } from './proc.ts';
import { DMDIR, ORCLOSE, QTDIR, QTFILE } from './dat.ts';
import { devattach, devdir, devopen, eve, walkto } from './devdir.ts';
import { Eisdir, Enonexist, Eperm, error } from './error.ts';
import { fdtochan, openmode } from './fd.ts';
import { readstr } from './readnum.ts';
import { dirpack } from './stat.ts';

// A file's qid path is 2*fd+1, or 2*fd+2 for its ctl file (9front dupgen).
const fdof = (c: Chan): number => Math.floor((Number(c.qid.path) - 1) / 2);
const isctl = (c: Chan): boolean => (Number(c.qid.path) - 1) % 2 === 1;

const modeperm = [0o400, 0o200, 0o600, 0];

function dupdirs(up: Proc, c: Chan): Dir[] {
  const out: Dir[] = [];
  up.fgrp.fd.forEach((f, fd) => {
    if (!f) return;
    const q = (path: number) => ({ path, vers: 0, type: QTFILE });
    out.push(devdir(up, c, q(2 * fd + 1), String(fd), 0, eve(up), modeperm[f.mode & 3]!));
    out.push(devdir(up, c, q(2 * fd + 2), fd + 'ctl', 0, eve(up), 0o400));
  });
  return out;
}

function dupwalk(up: Proc, c: Chan, name: string): Chan | null {
  const d = dupdirs(up, c).find((e) => e.name === name);
  return d ? walkto(c, d.qid) : null;
}

function dupstat(up: Proc, c: Chan): Dir {
  if (c.qid.type & QTDIR) return devdir(up, c, c.qid, '.', 0, eve(up), DMDIR | 0o555);
  return dupdirs(up, c).find((d) => d.qid.path === c.qid.path) ?? error(Enonexist);
}

function dupopen(up: Proc, c: Chan, omode: number): Chan {
  if (omode & ORCLOSE) error(Eperm);
  if (c.qid.type & QTDIR) {
    if (omode !== 0) error(Eisdir);
    return devopen(up, c, omode, null);
  }
  if (isctl(c)) return devopen(up, c, omode, null);
  const f = fdtochan(up, fdof(c), openmode(omode));
  f.ref++;
  return f;
}

/** One line of /fd/Nctl and /proc/N/fd (9front procfdprint); w: qid.vers's width (4e's procfds pads it to the widest). */
export function fdprint(c: Chan, fd: number, w = 0): string {
  const mode = 'r w rw'.slice((c.mode & 3) * 2, (c.mode & 3) * 2 + 2);
  const hex = (v: number | bigint, w: number) => v.toString(16).padStart(w, '0');
  return `${String(fd).padStart(3)} ${mode} ${c.dev.dc} ${String(c.devno).padStart(4)} ` +
    `(${hex(c.qid.path, 16)} ${String(c.qid.vers).padStart(w)} ${hex(c.qid.type, 2)}) ${'0'.padStart(5)} ` +
    `${String(c.offset).padStart(8)} ${c.path}\n`;
}

function dupread(up: Proc, c: Chan, n: number, off: number): Uint8Array {
  if (c.qid.type & QTDIR) return dirpack(dupdirs(up, c), n, off);
  const fd = fdof(c);
  return readstr(fdprint(fdtochan(up, fd, -1), fd), n, off);
}

export const devdup: Dev = {
  ...devdefaults,
  dc: 'd',
  name: 'dup',
  attach: (_up, spec) => devattach(devdup, spec),
  walk: dupwalk,
  stat: dupstat,
  open: dupopen,
  close: () => {},
  read: dupread,
  write: () => error(Eperm),
};
