// #M, the mount driver (9front port/devmnt.c): the 9P2000 client that
// mount(2) puts between the name space and a file server reached through
// any channel (a pipe end, a /srv file, a network connection). Every
// operation on a mounted file becomes one or more RPCs on that channel.
//
// Blocking RPCs under restart-style system calls. A process waiting for
// a reply throws Sleep and its whole system call runs again when woken
// (rendez.ts), so the requests it already sent must not be sent again:
// each process keeps a journal of the RPCs its current call made
// (up.rpclog). A rerun finds them there, in order, with their replies (or
// still waiting), instead of sending; the journal is dropped when the
// call completes. Fids are chosen inside the journaled request, so the
// rerun gets the same ones. As in devmnt, one waiting process at a time
// reads the channel (m.rip) and hands replies to their owners by tag
// (mountmux), waking them; the others sleep on their own Rendez.
//
// A note interrupting the wait sends Tflush and waits for Rflush
// (mountio's flush chain); the call fails with `interrupted` unless the
// reply came first. A server that goes away gives `mount rpc error` to the
// reader (end of file on the channel), then what the channel gives:
// `i/o on hungup channel` when writing a request or reading further.

import { Chan, CMSG, devdefaults, type Dev } from './dev.ts';
import type { Dir, Qid } from './dat.ts';
import type { Proc } from './proc.ts';
import { ORDWR, QTDIR } from './dat.ts';
import {
  Eintr, Emountrpc, Enoattach, Ebadusefd, Eshortstat, KernelError, error, isKernelError,
} from './error.ts';
import {
  IOHDRSZ, MAXWELEM, NOFID, NOTAG, Rerror, Rflush, Tattach, Tauth, Tclunk, Tcreate, Tflush, Topen, Tread, Tremove,
  Tstat, Tversion, Twalk, Twrite, Twstat, VERSION9P, convM2S, convS2M, msgsize, type Fcall,
} from './fcall.ts';
import { openmode } from './fd.ts';
import { Rendez, Sleep, wakeup } from './rendez.ts';
import { convD2M, convM2D, statcheck } from './stat.ts';
import { sidetable } from './sidetab.ts';

/** The largest RPC (9front MAXRPC): the default msize. */
export const MAXRPC = IOHDRSZ + 32768;
export const Esbadstat = 'invalid directory entry received from server';
export const Enoversion = 'version not established for mount channel';

/** A fid field of a request to be filled with a fresh fid when it is sent. */
const NEWFID = -1;

/** One request and its reply (9front Mntrpc). */
export class Mntrpc {
  reply: Fcall | null = null;
  done = false;
  /** The owner sleeps here until the reply comes or it may read. */
  readonly z = new Rendez();
  /** Tflushes sent for this request, last one waited for (mntflushalloc's chain). */
  readonly flushes: Mntrpc[] = [];
  /** mountio has finished with it (the reader's gate is open again). */
  finished = false;
  constructor(readonly m: Mnt, readonly request: Fcall) {}
}

/** A 9P conversation over one channel (9front Mnt). */
export class Mnt {
  /** Null until Rversion is in. */
  version: string | null = null;
  msize = MAXRPC;
  /** Requests in flight, by tag (m->queue). */
  private readonly queue = new Map<number, Mntrpc>();
  /** The process reading replies for everyone, and the request it waits for. */
  private rip: Proc | null = null;
  private riprpc: Mntrpc | null = null;
  /** Bytes read that are not yet a whole message. */
  private buf = new Uint8Array(0);
  private tag = 0;
  private fid = 0;

  constructor(readonly c: Chan) {}

  private alloctag(): number {
    do this.tag = this.tag % 0xfffe + 1; while (this.queue.has(this.tag));
    return this.tag;
  }

  newfid(): number {
    return ++this.fid;
  }

  /** Marshal and write a request; it is in flight once this returns. The write may Sleep before anything is sent. */
  send(up: Proc, req: Fcall): Mntrpc {
    const f: Fcall = { ...req, tag: req.type === Tversion ? NOTAG : this.alloctag() };
    for (const k of ['fid', 'newfid', 'afid'] as const) if (f[k] === NEWFID) f[k] = this.newfid();
    const b = convS2M(f);
    if (b.length > this.msize) error('message size too large');
    this.c.dev.write(up, this.c, b, 0);
    const r = new Mntrpc(this, f);
    this.queue.set(f.tag, r);
    return r;
  }

  /** The reader is still at work (a dead or finished one leaves the gate open). */
  private ripbusy(): boolean {
    return this.rip !== null && this.rip.alive && this.riprpc !== null && !this.riprpc.finished;
  }

  /** Let the next waiter read (9front mntgate): wake every owner, the first to run takes over. */
  private gate(): void {
    this.rip = null;
    this.riprpc = null;
    for (const q of this.queue.values()) wakeup(q.z);
  }

  /** Hand a reply to the request with its tag (9front mountmux); unknown tags are dropped. */
  private mux(f: Fcall): void {
    const q = this.queue.get(f.tag);
    if (!q) return;
    this.queue.delete(f.tag);
    q.reply = f;
    q.done = true;
    wakeup(q.z);
  }

  /** Mark r and its flushes answered, taking any still unanswered off the queue (9front mntflushfree). */
  private flushfree(r: Mntrpc): void {
    for (const q of [r, ...r.flushes]) {
      if (!q.done) {
        q.reply = { type: Rflush, tag: q.request.tag };
        q.done = true;
        this.queue.delete(q.request.tag);
      }
    }
    r.finished = true;
  }

  /**
   * Read once from the channel (which may Sleep) and dispatch every whole
   * message read (9front mntrpcread + mountmux). End of file, or a message
   * of impossible size or form, is Emountrpc.
   */
  private readmsgs(up: Proc): void {
    const b = this.c.dev.read(up, this.c, this.msize, 0);
    if (b.length === 0) error(Emountrpc);
    const all = new Uint8Array(this.buf.length + b.length);
    all.set(this.buf);
    all.set(b, this.buf.length);
    let p = 0;
    for (;;) {
      const rest = all.subarray(p);
      const n = msgsize(rest);
      if (n < 0) break;  // not even the size yet
      if (n < 7 || n > this.msize) {
        this.buf = new Uint8Array(0);
        error(Emountrpc);
      }
      if (rest.length < n) break;  // the rest is still to come
      const f = convM2S(rest.subarray(0, n));
      p += n;
      if (!f) {
        this.buf = all.slice(p);
        error(Emountrpc);
      }
      this.mux(f);
    }
    this.buf = all.slice(p);
  }

  /** Wait for r's reply (9front mountio after the write). */
  io(up: Proc, r: Mntrpc): void {
    try {
      for (;;) {
        const w = r.flushes[r.flushes.length - 1] ?? r;
        if (w.done) break;
        if (up.notepending) {
          // sleep() would fail with Eintr: flush the request and wait for that instead.
          up.notepending = false;
          r.flushes.push(this.send(up, { type: Tflush, tag: 0, oldtag: r.request.tag }));
          continue;
        }
        if (!this.ripbusy()) this.rip = up;
        if (this.rip !== up) throw new Sleep(w.z);
        this.riprpc = r;
        this.readmsgs(up);
      }
    } catch (e) {
      if (e instanceof Sleep) throw e;
      if (this.rip === up) this.gate();
      this.flushfree(r);
      throw e;
    }
    if (this.rip === up) this.gate();
    this.flushfree(r);
  }
}

/** A Chan's end of a fid (9front c->fid with c->mchan): shared by its clones, clunked when the last goes. */
interface Mntfid {
  readonly m: Mnt;
  readonly fid: number;
  ref: number;
  iounit: number;
  /** Removed, so already clunked. */
  gone: boolean;
}

function fidof(c: Chan): Mntfid {
  return c.aux as Mntfid;
}

/** The Mnt speaking over each channel (9front c->mux). */
const muxes = sidetable<Chan, Mnt>();

/**
 * One RPC as part of the current system call: sent the first time the
 * call gets here, found in the journal when the call runs again after a
 * Sleep (see the top of this file). Returns the request as sent (with its
 * fids) and its reply, after the checks of 9front mountrpc.
 */
export function mountrpc(up: Proc, m: Mnt, req: Omit<Fcall, 'tag'>): { request: Fcall; reply: Fcall } {
  let r: Mntrpc | undefined = up.rpclog[up.rpcnext];
  if (r && (r.m !== m || r.request.type !== req.type)) {
    // This run took another way than the last one: what follows is stale.
    up.rpclog.length = up.rpcnext;
    r = undefined;
  }
  if (!r) {
    r = m.send(up, { ...req, tag: 0 });
    up.rpclog.push(r);
  }
  up.rpcnext++;
  m.io(up, r);
  const f = r.reply!;
  if (f.type === Rerror) error(f.ename ?? '');
  if (f.type === Rflush) error(Eintr);
  if (f.type !== r.request.type + 1) error(Emountrpc);
  return { request: r.request, reply: f };
}

/** Send a Tclunk or Tremove whose reply nobody waits for (journaled, so a rerun does not send it twice). */
function sendonce(up: Proc, m: Mnt, req: Omit<Fcall, 'tag'>): void {
  const r = up.rpclog[up.rpcnext];
  if (r && r.m === m && r.request.type === req.type && r.request.fid === req.fid) {
    up.rpcnext++;
    return;
  }
  up.rpclog.length = up.rpcnext;
  try {
    up.rpclog.push(m.send(up, { ...req, tag: 0 }));
    up.rpcnext++;
  } catch (e) {
    // A full or hung-up channel: the fid is left to the server, as 9front's cclose ignores the error.
    if (!(e instanceof Sleep) && !isKernelError(e)) throw e;
  }
}

function mntchan(m: Mnt, fid: number, qid: Qid, devno: number, path: string): Chan {
  const c = new Chan(devmnt, { ...qid }, devno);
  c.aux = { m, fid, ref: 1, iounit: m.msize - IOHDRSZ, gone: false } satisfies Mntfid;
  c.path = path;
  return c;
}

/**
 * fversion(2) on channel c (9front mntversion): negotiate once per
 * channel; later calls must ask for a version the first one got.
 */
export function mntversion(up: Proc, c: Chan, version: string, msize: number): string {
  if (msize === 0) msize = MAXRPC;
  const v = version || VERSION9P;
  if (msize < 0) error('bad iounit in version call');
  if (!v.startsWith(VERSION9P)) error('bad 9P version specification');
  let m = muxes.get(c);
  if (m?.version) {
    if (!v.startsWith(m.version)) error(`incompatible 9P versions ${m.version} ${v}`);
    return m.version;
  }
  if (!m) {
    m = new Mnt(c);
    muxes.set(c, m);
  }
  let f: Fcall;
  try {
    f = mountrpc(up, m, { type: Tversion, msize, version: v }).reply;
    if (f.msize! > msize) error('server tries to increase msize in fversion');
    if (f.msize! < 256 || f.msize! > 1024 * 1024) error('nonsense value of msize in fversion');
    if (!v.startsWith(f.version!)) error('bad 9P version returned from server');
  } catch (e) {
    if (e instanceof KernelError) muxes.delete(c);  // the next fversion starts over
    throw e;
  }
  m.version = f.version!;
  m.msize = f.msize!;
  // The conversation keeps the channel open, and a hung-up pipe under it posts no note (CMSG).
  c.ref++;
  c.flag |= CMSG;
  return m.version;
}

/** The conversation on c, negotiated with the defaults if need be. */
function mntof(up: Proc, c: Chan): Mnt {
  const m = muxes.get(c);
  if (m?.version) {
    // A rerun finds the Tversion of its first run at the head of the journal.
    const r = up.rpclog[up.rpcnext];
    if (r && r.m === m && r.request.type === Tversion) up.rpcnext++;
    return m;
  }
  mntversion(up, c, '', 0);
  return muxes.get(c) ?? error(Enoversion);
}

/** fauth(2): an auth fid on the server, as an open Chan (9front mntauth). */
export function mntauth(up: Proc, c: Chan, spec: string): Chan {
  const m = mntof(up, c);
  const { request, reply } = mountrpc(up, m, { type: Tauth, afid: NEWFID, uname: up.user, aname: spec });
  const ac = mntchan(m, request.afid!, reply.aqid!, ++up.kernel.ids.mnt, '#M');
  ac.mode = ORDWR;
  ac.open = true;
  return ac;
}

/** The root of the server's tree for mount(2) (9front mntattach). MCACHE is accepted; nothing is cached. */
export function mntattach(up: Proc, c: Chan, ac: Chan | null, spec: string): Chan {
  if (ac && (ac.dev !== devmnt || fidof(ac).m.c !== c)) error(Ebadusefd);
  const m = mntof(up, c);
  const { request, reply } = mountrpc(up, m, {
    type: Tattach, fid: NEWFID, afid: ac ? fidof(ac).fid : NOFID, uname: up.user, aname: spec,
  });
  return mntchan(m, request.fid!, reply.qid!, ++up.kernel.ids.mnt, '#M');
}

/**
 * Walk names from c in one Twalk (9front mntwalk). The qids of the
 * elements walked, and the new Chan when all were. An error (the
 * server's Rerror, a hung-up channel) is the walk's error: 9front's
 * mntwalk returns nil with it in errstr, and walk() fails with it.
 */
function mntwalkn(up: Proc, c: Chan, names: string[]): { qids: Qid[]; c: Chan | null } {
  if (names.length > MAXWELEM) error('devmnt: too many name elements');
  const { m, fid } = fidof(c);
  const { request, reply } = mountrpc(up, m, { type: Twalk, fid, newfid: NEWFID, wname: names });
  const qids = reply.wqid ?? [];
  if (qids.length > names.length) error('too many QIDs returned by walk');
  if (qids.length < names.length) return { qids, c: null };
  const nc = mntchan(m, request.newfid!, qids[qids.length - 1] ?? c.qid, c.devno, c.path);
  return { qids, c: nc };
}

/** A fresh fid for the same file (a Twalk of no names), so opening never spends a fid others share. */
function mntclone(up: Proc, c: Chan): Chan {
  const nc = mntwalkn(up, c, []).c ?? error(Emountrpc);
  nc.qid = { ...c.qid };
  return nc;
}

/** Rewrite the type and dev of an entry from the server to this Chan's (9front mntdirfix). */
function dirfix(d: Dir, c: Chan): Dir {
  d.type = devmnt.dc.codePointAt(0)!;
  d.dev = c.devno;
  return d;
}

function mntstat(up: Proc, c: Chan): Dir {
  const { reply } = mountrpc(up, fidof(c).m, { type: Tstat, fid: fidof(c).fid });
  const s = reply.stat!;
  if (!statcheck(s)) error(Esbadstat);
  return dirfix(convM2D(s) ?? error(Esbadstat), c);
}

/**
 * Topen or Tcreate on c's own fid when nothing else holds it (9front
 * namec's cunique: the walked fid becomes the open one), else on a fresh
 * fid, since a shared one (a mount's root) must stay as it is.
 */
function mntopencreate(up: Proc, c: Chan, omode: number, create?: { name: string; perm: number }): Chan {
  const nc = fidof(c).ref === 1 && !c.open ? c : mntclone(up, c);
  const f = fidof(nc);
  let reply: Fcall;
  try {
    ({ reply } = mountrpc(up, f.m, create
      ? { type: Tcreate, fid: f.fid, name: create.name, perm: create.perm, mode: omode }
      : { type: Topen, fid: f.fid, mode: omode }));
  } catch (e) {
    // Refused (Rerror): a fresh fid goes (c is the caller's). A sleep keeps it for the rerun, which finds it in the journal.
    if (isKernelError(e) && nc !== c) mntclose(up, nc);
    throw e;
  }
  nc.qid = { ...reply.qid! };
  nc.mode = openmode(omode);
  nc.open = true;
  nc.offset = 0;
  const io = reply.iounit ?? 0;
  f.iounit = io === 0 || io > f.m.msize - IOHDRSZ ? f.m.msize - IOHDRSZ : io;
  return nc;
}

/** Reads or writes in iounit pieces until one comes back short (9front mntrdwr). */
function mntread(up: Proc, c: Chan, n: number, off: number): Uint8Array {
  const { m, fid, iounit } = fidof(c);
  const parts: Uint8Array[] = [];
  let got = 0;
  while (got < n) {
    const nreq = Math.min(n - got, iounit);
    const { reply } = mountrpc(up, m, { type: Tread, fid, offset: off + got, count: nreq });
    const d = reply.data!.subarray(0, nreq);
    parts.push(d);
    got += d.length;
    if (d.length !== nreq || up.notes.length > 0) break;
  }
  const out = new Uint8Array(got);
  let p = 0;
  for (const d of parts) { out.set(d, p); p += d.length; }
  if (c.qid.type & QTDIR) {
    // Whole, well-formed entries only, each given this device's type and dev.
    for (p = 0; p + 2 <= out.length; ) {
      const len = 2 + (out[p]! | (out[p + 1]! << 8));
      if (p + len > out.length || !statcheck(out.subarray(p, p + len))) break;
      const v = new DataView(out.buffer, p);
      v.setUint16(2, devmnt.dc.codePointAt(0)!, true);
      v.setUint32(4, c.devno >>> 0, true);
      p += len;
    }
    if (p !== out.length) error(Esbadstat);
  }
  return out;
}

function mntwrite(up: Proc, c: Chan, data: Uint8Array, off: number): number {
  const { m, fid, iounit } = fidof(c);
  let put = 0;
  do {
    const nreq = Math.min(data.length - put, iounit);
    const { reply } = mountrpc(up, m, { type: Twrite, fid, offset: off + put, data: data.subarray(put, put + nreq) });
    const nr = Math.min(reply.count!, nreq);
    put += nr;
    if (nr !== nreq || up.notes.length > 0) break;
  } while (put < data.length);
  return put;
}

/**
 * Tremove, which clunks the fid it names: c's own fid when it is open
 * (ORCLOSE) or held by nothing else, else a fresh one, since a shared fid
 * must live on. remove(2) does not close c afterwards (the file is gone),
 * so its reference to a shared fid goes here.
 */
function mntremove(up: Proc, c: Chan): void {
  const own = fidof(c);
  const f = c.open || own.ref === 1 ? own : fidof(mntclone(up, c));
  f.gone = true;
  try {
    mountrpc(up, f.m, { type: Tremove, fid: f.fid });
  } catch (e) {
    if (isKernelError(e) && f !== own) mntclose(up, c);
    throw e;
  }
  if (f !== own) mntclose(up, c);
}

function mntwstat(up: Proc, c: Chan, d: Dir): void {
  const st = convD2M(d, 1 << 16);
  if (st.length < 2) error(Eshortstat);
  mountrpc(up, fidof(c).m, { type: Twstat, fid: fidof(c).fid, stat: st });
}

/** The last reference to a fid clunks it without waiting for the reply (9front cclose ignores clunk errors). */
function mntclose(up: Proc, c: Chan): void {
  const f = fidof(c);
  if (--f.ref > 0 || f.gone) return;
  f.gone = true;
  sendonce(up, f.m, { type: Tclunk, fid: f.fid });
}

export const devmnt: Dev = {
  ...devdefaults,
  dc: 'M',
  name: 'mnt',
  attach: () => error(Enoattach),
  walk: (up, c, name) => mntwalkn(up, c, [name]).c,
  walkn: mntwalkn,
  clone: (nc) => { fidof(nc).ref++; },
  // A fid nothing else holds was made by this call; a shared one (a clone
  // of a mount's Chan) only loses a reference.
  journaled: (c) => fidof(c).ref === 1 && !fidof(c).gone,
  stat: mntstat,
  open: (up, c, omode) => mntopencreate(up, c, omode),
  create: (up, c, name, omode, perm) => mntopencreate(up, c, omode, { name, perm }),
  close: mntclose,
  read: mntread,
  write: mntwrite,
  remove: mntremove,
  wstat: mntwstat,
};
