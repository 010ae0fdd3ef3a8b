// TCP between conversations of the same machine (9front ip/tcp.c, with
// the loopback in place of the wire). A connect finds the announcement
// at once and pairs two conversations; bytes written to one are queued
// for reading on the other. The states and what each close does follow
// tcp.c, but nothing here needs timers: a handshake, a FIN or a RST is
// delivered as it is sent, and Time_wait (and a Finwait2 whose peer is
// gone) end at once.

import type { Proc } from '../port/proc.ts';
import { Econinuse, Econrefused, Ehungup, Etimedout, error } from '../port/error.ts';
import { Queue } from '../port/qio.ts';
import { wakeup } from '../port/rendez.ts';
import {
  type Conv, Cstate, type Fs, Fsconnected, Fsnewcall, Fsstdannounce, Fsstdconnect, type Proto,
} from './conv.ts';
import { IPnoaddr, ipcmp } from './ipaddr.ts';
import { ipforme } from './loopback.ts';

/** Connection states, numbered and named as in tcp.c (the first word of status). */
enum T { Closed, Listen, Syn_sent, Syn_received, Established, Finwait1, Finwait2, Close_wait, Closing, Last_ack, Time_wait }

const tcpstates = ['Closed', 'Listen', 'Syn_sent', 'Syn_received', 'Established', 'Finwait1', 'Finwait2',
  'Close_wait', 'Closing', 'Last_ack', 'Time_wait'];

/** Bytes a receive queue holds before the sender waits (tcp.c QMAX). */
const QMAX = 64 * 1024 - 1;

const Enoroute = 'no route';

/** A conversation's tcp state (9front Tcpctl, reduced to what the loopback needs). */
interface Tcpctl {
  state: T;
  /** The conversation at the other end, while there is one. */
  peer: Conv | null;
}

function tcb(c: Conv): Tcpctl {
  return c.ptcl as Tcpctl;
}

/** Closed drops everything queued; Close_wait lets the reader see EOF after what is queued (tcpsetstate). */
function tcpsetstate(c: Conv, s: T): void {
  const t = tcb(c), old = t.state;
  if (old === s) return;
  if (s === T.Closed) {
    c.rq.close();
    c.werr = Ehungup;
    c.eq.close();
    t.peer = null;
  } else if (s === T.Close_wait) {
    c.rq.hangup();
  }
  t.state = s;
  if (old === T.Syn_sent && s !== T.Closed) Fsconnected(c, null);
}

/** The conversation ends here: a waiting connect fails with reason, a waiting listen is woken (localclose). */
function localclose(c: Conv, reason: string | null): void {
  if (tcb(c).state === T.Syn_sent) Fsconnected(c, reason);
  if (c.state === Cstate.Announced) wakeup(c.listenr);
  tcpsetstate(c, T.Closed);
}

/** A FIN arrives at c (tcpiput). */
function rcvfin(c: Conv): void {
  switch (tcb(c).state) {
    case T.Syn_received:
    case T.Established:
      tcpsetstate(c, T.Close_wait);
      break;
    case T.Finwait1:
    case T.Finwait2:
      localclose(c, null);  // through Time_wait
      break;
  }
}

/** The announcement that takes a call to raddr!rport: one on that address before one on any (9front iphtlook). */
function listener(p: Proto, raddr: Uint8Array, rport: number): Conv | undefined {
  const ls = p.conv.filter((c) => tcb(c).state === T.Listen && (c.lport === rport || c.lport === 0));
  return ls.find((c) => ipcmp(c.laddr, raddr) === 0) ?? ls.find((c) => ipcmp(c.laddr, IPnoaddr) === 0);
}

/** The handshake, all at once: a refusal is the RST the other end would send (tcpconnect, tcpiput). */
function tcpconnect(up: Proc, c: Conv, argv: string[]): string | null {
  const t = tcb(c);
  if (t.state !== T.Closed) return Econinuse;
  const e = Fsstdconnect(up, c, argv);
  if (e) return e;
  t.peer = null;
  tcpsetstate(c, T.Syn_sent);
  if (!ipforme(c.raddr)) {
    localclose(c, Enoroute);
    return null;
  }
  const l = listener(c.p, c.raddr, c.rport);
  if (!l) {
    localclose(c, Econrefused);
    return null;
  }
  const nc = Fsnewcall(l, c.laddr, c.lport, c.raddr, c.rport);
  if (!nc) {
    localclose(c, Etimedout);  // no conversation free there: the SYN goes unanswered
    return null;
  }
  Object.assign(tcb(nc), { state: T.Established, peer: c });
  t.peer = nc;
  tcpsetstate(c, T.Established);
  return null;
}

function tcpannounce(up: Proc, c: Conv, argv: string[]): string | null {
  const t = tcb(c);
  if (t.state !== T.Closed) return Econinuse;
  const e = Fsstdannounce(up, c, argv);
  if (e) return e;
  t.peer = null;
  tcpsetstate(c, T.Listen);
  Fsconnected(c, null);
  return null;
}

/** The last close of c's files, or a "close" request: no more i/o here, and a FIN to the peer (tcpclose). */
function tcpclose(c: Conv): void {
  const t = tcb(c), peer = t.peer;
  c.rq.hangup();
  c.werr = Ehungup;
  c.eq.hangup();
  c.rq.flush();
  switch (t.state) {
    case T.Listen:
      Fsconnected(c, 'Hangup');
      localclose(c, null);
      break;
    case T.Closed:
    case T.Syn_sent:
      localclose(c, null);
      break;
    case T.Syn_received:
    case T.Established:
      tcpsetstate(c, T.Finwait1);
      if (peer) rcvfin(peer);
      tcpsetstate(c, T.Finwait2);  // the FIN is acknowledged
      break;
    case T.Close_wait:
      tcpsetstate(c, T.Last_ack);
      if (peer) rcvfin(peer);
      localclose(c, null);  // the last ACK
      break;
  }
}

/** "hangup": a RST to the peer, which drops its conversation too, then close (tcphangup). */
function tcphangup(c: Conv): void {
  const peer = tcb(c).peer;
  if (peer && ipcmp(c.raddr, IPnoaddr) !== 0) localclose(peer, Econrefused);
  localclose(c, null);
}

/**
 * Bytes written to data go straight to the peer's receive queue, waiting
 * while it holds QMAX unread. Writing to a peer that has closed draws its
 * RST, which ends this conversation (the write itself has gone).
 */
function tcpwrite(c: Conv, data: Uint8Array): number {
  if (c.werr !== null) error(c.werr);
  const t = tcb(c);
  switch (t.state) {
    case T.Syn_sent:
    case T.Syn_received:
    case T.Established:
    case T.Close_wait: {
      const peer = t.peer;
      if (peer && !peer.rq.closed) return peer.rq.write(data);
      if (peer) localclose(peer, null);  // it was in Finwait2, waiting only for our FIN
      localclose(c, Econrefused);
      return data.length;
    }
    default:
      localclose(c, 'Hangup');  // tcpkick: nothing to send on
      return data.length;
  }
}

function tcpctl(_up: Proc, c: Conv, f: string[]): string | null {
  if (f.length === 1 && f[0] === 'close') { tcpclose(c); return null; }
  if (f.length === 1 && f[0] === 'hangup') { tcphangup(c); return null; }
  if (f[0] === 'keepalive') return tcb(c).state === T.Established ? null : 'connection must be in Establised state';
  if (f[0] === 'checksum') return null;
  return 'unknown control request';
}

/** The state and queue lengths; 9front goes on with its timers and windows, which do not exist here. */
function tcpstate(c: Conv): string {
  return `${tcpstates[tcb(c).state]} qin ${c.rq.len} qout 0\n`;
}

/** Add tcp to fs (9front tcpinit). */
export function tcpinit(fs: Fs): void {
  const tcp: Proto = {
    name: 'tcp',
    x: fs.p.length,
    conv: [],
    nextrport: 600,
    create: (c) => {
      c.rq = new Queue(QMAX, true);
      c.ptcl = { state: T.Closed, peer: null } satisfies Tcpctl;
    },
    connect: tcpconnect,
    announce: tcpannounce,
    ctl: tcpctl,
    close: tcpclose,
    write: tcpwrite,
    state: tcpstate,
    inuse: (c) => tcb(c).state !== T.Closed,
  };
  fs.p.push(tcp);
}
