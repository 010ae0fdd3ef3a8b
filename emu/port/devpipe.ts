// #|, pipes (9front port/devpipe.c): each attach makes a pair of cross-
// connected queues, read through data and data1. Write boundaries are
// kept: a read returns bytes of at most one write (pipe(3)).

import { Chan, CMSG, devdefaults, type Dev, type Dirtab } from './dev.ts';
import type { Dir } from './dat.ts';
import type { Proc } from './proc.ts';
import { DMDIR, NUser, OREAD, ORDWR, QTDIR } from './dat.ts';
import { devattach, devdir, dirtab, eve, tabopen, tabread, tabwalk } from './devdir.ts';
import { Ebadarg, Eperm, error } from './error.ts';
import { Queue } from './qio.ts';
import { postnote } from './note.ts';

enum Q { dir, data0, data1 }

const pipedir = [
  dirtab('.', Q.dir, 0, DMDIR | 0o500),
  dirtab('data', Q.data0, 0, 0o666),
  dirtab('data1', Q.data1, 0, 0o666),
];

/** Bytes a queue holds before writers wait (9front conf.pipeqsize). */
export const PIPEQSIZE = 256 * 1024;

class Pipe {
  constructor(readonly id: number) {}
  /** q[0] is read through data and written through data1; q[1] the reverse. */
  readonly q: [Queue, Queue] = [new Queue(PIPEQSIZE), new Queue(PIPEQSIZE)];
  readonly qref = [0, 0];
}

function pipeof(c: Chan): Pipe {
  return c.aux as Pipe;
}

/** The qid path of a tab entry in this pipe (9front NETQID). */
function qmap(c: Chan): (t: number) => number {
  const id = pipeof(c).id;
  return (t) => id * 32 + t;
}

/** Which end a Chan is: 0 for data, 1 for data1. */
function side(c: Chan): 0 | 1 {
  return Number(c.qid.path) % 32 === Q.data0 ? 0 : 1;
}

function pipestat(up: Proc, c: Chan): Dir {
  if (c.qid.type & QTDIR) return devdir(up, c, c.qid, '.', 0, eve(up), DMDIR | 0o500);
  const s = side(c);
  const t = pipedir[s === 0 ? Q.data0 : Q.data1]!;
  return devdir(up, c, c.qid, t.name, pipeof(c).q[s].len, eve(up), t.perm);
}

/** Lengths in a listing are what each end has to read. */
function listing(c: Chan): Dirtab[] {
  const p = pipeof(c);
  return pipedir.map((t, i) => (i === 0 ? t : { ...t, length: p.q[i - 1]!.len }));
}

function pipeopen(up: Proc, c: Chan, omode: number): Chan {
  if ((c.qid.type & QTDIR) && omode !== OREAD) error(Ebadarg);
  tabopen(up, c, pipedir, omode, eve(up), qmap(c));
  if (!(c.qid.type & QTDIR)) pipeof(c).qref[side(c)]!++;
  return c;
}

/** Closing the last Chan on an end hangs up both directions (9front pipeclose). */
function pipeclose(_up: Proc, c: Chan): void {
  if (!c.open || (c.qid.type & QTDIR)) return;
  const p = pipeof(c), s = side(c);
  if (--p.qref[s]! === 0) {
    p.q[1 - s]!.hangup();  // the other end reads what is left, then EOF
    p.q[s].close();        // and its writes fail
  }
  if (p.qref[0] === 0 && p.qref[1] === 0) {
    p.q[0].reopen();
    p.q[1].reopen();
  }
}

function piperead(up: Proc, c: Chan, n: number, off: number): Uint8Array {
  if (c.qid.type & QTDIR) return tabread(up, c, listing(c), n, off, eve(up), qmap(c));
  return pipeof(c).q[side(c)].read(n);
}

/**
 * A write to an end whose reader is gone posts `sys: write on closed pipe`
 * to the writer and fails, unless a mount speaks over the pipe. A full queue makes the writer wait; the write is
 * then queued whole, so it is atomic whatever its size.
 */
function pipewrite(up: Proc, c: Chan, data: Uint8Array): number {
  const q = pipeof(c).q[1 - side(c)]!;
  // Not when the pipe carries a mount's 9P (CMSG): the RPC fails instead.
  if (q.closed && !(c.flag & CMSG)) postnote(up, 'sys: write on closed pipe', NUser);
  return q.write(data);
}

export const devpipe: Dev = {
  ...devdefaults,
  dc: '|',
  name: 'pipe',
  attach: (up, spec) => {
    const c = devattach(devpipe, spec);
    c.aux = new Pipe(++up.kernel.ids.pipe);
    c.qid = { path: qmap(c)(Q.dir), vers: 0, type: QTDIR };
    return c;
  },
  walk: (_up, c, name) => tabwalk(c, pipedir, name, qmap(c)),
  stat: pipestat,
  open: pipeopen,
  close: pipeclose,
  read: piperead,
  write: (up, c, data) => (c.qid.type & QTDIR ? error(Eperm) : pipewrite(up, c, data)),
};

/** A new pipe's two ends, open ORDWR, for the pipe system call (9front syspipe). */
export function newpipe(up: Proc): [Chan, Chan] {
  const d = devpipe.attach(up, '');
  return (['data', 'data1'] as const).map((name) => {
    const c = devpipe.walk(up, d, name)!;
    c.path = '#|/' + name;
    return devpipe.open(up, c, ORDWR);
  }) as [Chan, Chan];
}
