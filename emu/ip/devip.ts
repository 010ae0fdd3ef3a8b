// #I, the IP device (9front ip/devip.c), usually bound at /net: one
// directory per protocol (tcp, udp and ipifc here), each with clone, stats and a
// directory per conversation holding ctl, data, err, listen, local,
// remote and status; and iproute at the top. Opening clone makes a
// conversation and gives its ctl; opening listen waits for a call and
// gives the new conversation's ctl. Each #In is its own stack, kept per
// machine, with loopback as its only interface.

import type { Chan } from '../port/dev.ts';
import type { Dir, Qid } from '../port/dat.ts';
import type { KernelConfig } from '../port/kernel.ts';
import type { Proc } from '../port/proc.ts';
import { devdefaults, type Dev } from '../port/dev.ts';
import { OREAD, QTDIR, QTFILE } from '../port/dat.ts';
import { devattach, devdir, devopen, eve, lastelem, walkto } from '../port/devdir.ts';
import { Enodev, Enonexist, Eperm, error } from '../port/error.ts';
import { parsecmd } from '../port/parse.ts';
import { readstr } from '../port/readnum.ts';
import { sleep } from '../port/rendez.ts';
import { callholds, holdforcall } from '../port/syschan.ts';
import { dirpack } from '../port/stat.ts';
import { type Conv, Cstate, Fs, Fsprotoclone, Fsstdbind, closeconv, connectctlmsg, type Proto } from './conv.ts';
import { ipfmt } from './ipaddr.ts';
import { iproute } from './loopback.ts';
import { tcpinit } from './tcp.ts';
import { udpinit } from './udp.ts';
import { ipifcinit } from './ipifc.ts';

/** File types, numbered as in devip.c; the ones not modelled keep their numbers. */
enum Q {
  topdir = 1, arp, bootp, ndb, iproute, ipselftab, log,
  protodir, clone, stats,
  convdir, ctl, data, err, listen, local, remote, status, snoop,
}

// A qid path is proto<<17 | conv<<5 | type (devip.c QID, TYPE, CONV, PROTO).
const QID = (p: number, c: number, y: Q): number => (p << 17) | (c << 5) | y;
const TYPE = (q: Qid): Q => Number(q.path) & 31;
const CONV = (q: Qid): number => (Number(q.path) >> 5) & 4095;
const PROTO = (q: Qid): number => (Number(q.path) >> 17) & 255;

/** Stacks a kernel can attach (devip.c Nfs). */
const Nfs = 128;

/** The owner of the files that belong to no conversation. */
const network = 'network';

/** The stacks of each machine, found by its configuration, which newpgrp has before any process. */
const stacks = new WeakMap<KernelConfig, Map<number, Fs>>();

function fsof(c: Chan): Fs {
  return c.aux as Fs;
}

function protoof(c: Chan): Proto {
  return fsof(c).p[PROTO(c.qid)]!;
}

function convof(c: Chan): Conv {
  return protoof(c).conv[CONV(c.qid)]!;
}

/** The entries of directory c (9front ipgen, for every s). */
function ipdirs(up: Proc, c: Chan): Dir[] {
  const ent = (qid: number, name: string, length: number, uid: string, perm: number, type = QTFILE): Dir =>
    devdir(up, c, { path: qid, vers: 0, type }, name, length, uid, perm);
  const p = PROTO(c.qid), x = CONV(c.qid);
  switch (TYPE(c.qid)) {
    case Q.topdir:
      return [
        ...fsof(c).p.map((pr) => ent(QID(pr.x, 0, Q.protodir), pr.name, 0, network, 0o555, QTDIR)),
        ent(QID(0, 0, Q.iproute), 'iproute', 0, network, 0o664),
      ];
    case Q.protodir:
      return [
        ...protoof(c).conv.map((cv) => ent(QID(p, cv.x, Q.convdir), String(cv.x), 0, cv.owner, 0o555, QTDIR)),
        ent(QID(p, 0, Q.clone), 'clone', 0, network, 0o666),
        ent(QID(p, 0, Q.stats), 'stats', 0, network, 0o444),
      ];
    case Q.convdir: {
      const cv = convof(c);
      return [
        ent(QID(p, x, Q.ctl), 'ctl', 0, cv.owner, cv.perm),
        ent(QID(p, x, Q.data), 'data', cv.rq.len, cv.owner, cv.perm),
        ent(QID(p, x, Q.err), 'err', cv.eq.len, cv.owner, cv.perm),
        ent(QID(p, x, Q.listen), 'listen', 0, cv.owner, cv.perm),
        ent(QID(p, x, Q.local), 'local', 0, cv.owner, 0o444),
        ent(QID(p, x, Q.remote), 'remote', 0, cv.owner, 0o444),
        ent(QID(p, x, Q.status), 'status', 0, cv.owner, 0o444),
      ];
    }
  }
  return [];
}

/** The directory holding file c, as a Chan to list. */
function parentof(c: Chan): Chan {
  const p = PROTO(c.qid), t = TYPE(c.qid);
  const dir = t >= Q.convdir ? QID(p, CONV(c.qid), Q.convdir) : t >= Q.protodir ? QID(p, 0, Q.protodir) : Q.topdir;
  return walkto(c, { path: dir, vers: 0, type: QTDIR });
}

function ipstat(up: Proc, c: Chan): Dir {
  if (c.qid.type & QTDIR) return devdir(up, c, c.qid, lastelem(c.path), 0, eve(up), 0o555);
  return ipdirs(up, parentof(c)).find((d) => d.qid.path === c.qid.path) ?? error(Enonexist);
}

function ipwalk(up: Proc, c: Chan, name: string): Chan | null {
  if (!(c.qid.type & QTDIR)) return null;
  const d = ipdirs(up, c).find((e) => e.name === name);
  return d ? walkto(c, d.qid) : null;
}

/**
 * Wait for a call to announcement cv and take it (ipopen Qlisten). As in
 * devip.c, the wait is a use of cv (inuse++, closeconv when it ends): the
 * last close of its files ("hangup", then close, as Go's Listener.Close
 * does while its Accept waits here) does not free cv, so no new clone can
 * take the number, announce, and have this listen, rerun, take its calls.
 */
function listen(up: Proc, cv: Conv): Conv {
  const held = callholds(up, cv);
  if (!held && cv.state !== Cstate.Announced) error('not announced');
  if (cv.rq.closed) error('listen hungup');
  if (cv.incall.length === 0) {
    if (!held) {
      cv.inuse++;
      holdforcall(up, cv, () => closeconv(cv));
    }
    sleep(cv.listenr, () => false);
  }
  return cv.incall.shift()!;
}

function ipopen(up: Proc, c: Chan, omode: number): Chan {
  const p = PROTO(c.qid);
  switch (TYPE(c.qid)) {
    case Q.topdir: case Q.protodir: case Q.convdir:
    case Q.status: case Q.remote: case Q.local: case Q.stats:
      if (omode !== OREAD) error(Eperm);
      break;
    case Q.clone: {
      const cv = Fsprotoclone(protoof(c), up.user) ?? error(Enodev);
      c.qid = { path: QID(p, cv.x, Q.ctl), vers: 0, type: QTFILE };
      break;
    }
    case Q.ctl: case Q.data: case Q.err: {
      // Every guest user is eve, so the owner and perm checks of devip.c always pass.
      const cv = convof(c);
      if (++cv.inuse === 1) {
        cv.owner = up.user;
        cv.perm = 0o660;
      }
      break;
    }
    case Q.listen: {
      const nc = listen(up, convof(c));
      c.qid = { path: QID(p, nc.x, Q.ctl), vers: 0, type: QTFILE };
      break;
    }
  }
  return devopen(up, c, omode, null);
}

function ipclose(_up: Proc, c: Chan): void {
  const t = TYPE(c.qid);
  if (c.open && (t === Q.ctl || t === Q.data || t === Q.err)) closeconv(convof(c));
}

function ipread(up: Proc, c: Chan, n: number, off: number): Uint8Array {
  switch (TYPE(c.qid)) {
    case Q.topdir: case Q.protodir: case Q.convdir:
      return dirpack(ipdirs(up, c), n, off);
    case Q.iproute:
      return readstr(iproute(), n, off);
    case Q.ctl:
      return readstr(String(CONV(c.qid)), n, off);
    case Q.remote: {
      const cv = convof(c);
      return readstr(`${ipfmt(cv.raddr)}!${cv.rport}\n`, n, off);
    }
    case Q.local: {
      const cv = convof(c);
      return readstr(`${ipfmt(cv.laddr)}!${cv.lport}\n`, n, off);
    }
    case Q.status:
      return readstr(protoof(c).state(convof(c)), n, off);
    case Q.data:
      return convof(c).rq.read(n);
    case Q.err:
      return convof(c).eq.read(n);
    case Q.stats:
      return error('stats not implemented');
  }
  return error(Eperm);
}

/** A request written to ctl (ipwrite Qctl); the protocol gets what devip does not know. */
function ipctl(up: Proc, cv: Conv, data: Uint8Array): void {
  const f = parsecmd(data).f;
  if (f.length < 1) error('short control request');
  let e: string | null = null;
  switch (f[0]) {
    case 'connect': connectctlmsg(up, cv, f, false); break;
    case 'announce': connectctlmsg(up, cv, f, true); break;
    case 'bind': e = Fsstdbind(up, cv, f); break;
    case 'ttl': cv.ttl = f.length < 2 ? 255 : parseInt(f[1]!, 10) || 0; break;
    case 'tos': cv.tos = f.length < 2 ? 0 : parseInt(f[1]!, 10) || 0; break;
    case 'ignoreadvice': break;  // the loopback gives no advice
    default: e = cv.p.ctl(up, cv, f);
  }
  if (e) error(e);
}

function ipwrite(up: Proc, c: Chan, data: Uint8Array): number {
  switch (TYPE(c.qid)) {
    case Q.data:
      return convof(c).p.write(convof(c), data);
    case Q.ctl:
      ipctl(up, convof(c), data);
      return data.length;
  }
  return error(Eperm);
}

/** #I<n>: stack n of this machine, made on first attach: tcp, udp, and ipifc with the loopback (ipattach). */
export function ipattach(config: KernelConfig, spec: string): Chan {
  const dev = spec === '' ? 0 : parseInt(spec, 10) || 0;  // strtoul: a leading minus wraps to a huge number
  if (dev < 0 || dev >= Nfs) error(Enodev);
  let m = stacks.get(config);
  if (!m) stacks.set(config, (m = new Map()));
  let fs = m.get(dev);
  if (!fs) {
    fs = new Fs(dev);
    tcpinit(fs);
    udpinit(fs);
    ipifcinit(fs);
    m.set(dev, fs);
  }
  const c = devattach(devip, spec);
  c.qid = { path: QID(0, 0, Q.topdir), vers: 0, type: QTDIR };
  c.devno = dev;
  c.aux = fs;
  return c;
}

export const devip: Dev = {
  ...devdefaults,
  dc: 'I',
  name: 'ip',
  attach: (up, spec) => ipattach(up.kernel.config, spec),
  walk: ipwalk,
  stat: ipstat,
  open: ipopen,
  close: ipclose,
  read: ipread,
  write: ipwrite,
};
