// UDP between conversations of the same machine (9front ip/udp.c, with
// the loopback in place of the wire). A datagram written to data goes at
// once to the conversation that takes its address (iphtlook's order); with
// none, the port-unreachable ICMP the stack would send back hangs up a
// connected sender (udpadvise). "headers" puts the 52-byte address header
// (remote, local, interface address, remote port, local port) before
// every datagram read and makes every write carry one.

import type { Proc } from '../port/proc.ts';
import { Ehungup, error } from '../port/error.ts';
import { Queue } from '../port/qio.ts';
import { type Conv, Cstate, type Fs, Fsconnected, Fsnewcall, Fsstdannounce, Fsstdconnect, type Proto } from './conv.ts';
import { IPaddrlen, IPnoaddr, ipcmp, isv4 } from './ipaddr.ts';
import { findlocalip, ipforme } from './loopback.ts';

/** The address header of "headers" mode (udp.c UDP_USEAD7). */
export const UDP_USEAD7 = 52;

/** A conversation's receive queue: messages, 512 KiB (udpcreate). */
const RQSIZE = 512 * 1024;

/** What the loopback's ICMP port unreachable says to the sender (9front icmp.c unreachcode). */
const Eportunreach = 'port unreachable';

/** A conversation's udp state (9front Udpcb), and whether it is in the address hash. */
interface Udpcb {
  headers: number;
  /** In the address hash (iphtadd after connect or announce, iphtrem at close). */
  inht: boolean;
}

function ucb(c: Conv): Udpcb {
  return c.ptcl as Udpcb;
}

/**
 * The conversation that takes a datagram from raddr!rport to laddr!lport
 * (9front iphtlook): one connected to exactly those, else one announced on
 * the address and port, on the port, on the address, on anything.
 */
function iphtlook(p: Proto, raddr: Uint8Array, rport: number, laddr: Uint8Array, lport: number): Conv | undefined {
  const ht = p.conv.filter((c) => ucb(c).inht);
  const noaddr = (a: Uint8Array) => ipcmp(a, IPnoaddr) === 0;
  const exact = (c: Conv) => !noaddr(c.raddr);
  return ht.find((c) => exact(c) && c.lport === lport && c.rport === rport && ipcmp(c.laddr, laddr) === 0 && ipcmp(c.raddr, raddr) === 0)
    ?? ht.find((c) => !exact(c) && !noaddr(c.laddr) && c.lport !== 0 && c.lport === lport && ipcmp(c.laddr, laddr) === 0)
    ?? ht.find((c) => !exact(c) && noaddr(c.laddr) && c.lport !== 0 && c.lport === lport)
    ?? ht.find((c) => !exact(c) && !noaddr(c.laddr) && c.lport === 0 && ipcmp(c.laddr, laddr) === 0)
    ?? ht.find((c) => !exact(c) && noaddr(c.laddr) && c.lport === 0);
}

function udpconnect(up: Proc, c: Conv, argv: string[]): string | null {
  const e = Fsstdconnect(up, c, argv);
  Fsconnected(c, e);
  if (e) return e;
  ucb(c).inht = true;
  return null;
}

function udpannounce(up: Proc, c: Conv, argv: string[]): string | null {
  const e = Fsstdannounce(up, c, argv);
  if (e) return e;
  Fsconnected(c, null);
  ucb(c).inht = true;
  return null;
}

function udpclose(c: Conv): void {
  const u = ucb(c);
  u.inht = false;
  c.state = Cstate.Idle;
  c.rq.close();
  c.werr = Ehungup;
  c.eq.close();
  c.laddr = c.raddr = IPnoaddr;
  c.lport = c.rport = 0;
  u.headers = 0;
}

/** A datagram arrives for laddr!lport from raddr!rport (udpiput). False when no conversation takes it. */
function udpiput(p: Proto, raddr: Uint8Array, rport: number, laddr: Uint8Array, lport: number, data: Uint8Array): boolean {
  let c = iphtlook(p, raddr, rport, laddr, lport);
  if (!c) return false;
  if (c.state === Cstate.Announced && ucb(c).headers === 0) {
    // a new conversation for this sender, as a call to the announcement
    const nc = Fsnewcall(c, raddr, rport, laddr, lport);
    if (!nc) return true;  // dropped
    ucb(nc).inht = true;
    c = nc;
  }
  let msg = data;
  if (ucb(c).headers === 7) {
    msg = new Uint8Array(UDP_USEAD7 + data.length);
    msg.set(raddr, 0);
    msg.set(laddr, IPaddrlen);
    msg.set(findlocalip(laddr), 2 * IPaddrlen);  // the interface it came in on (ifc->lifc->local)
    const dv = new DataView(msg.buffer);
    dv.setUint16(3 * IPaddrlen, rport);
    dv.setUint16(3 * IPaddrlen + 2, lport);
    msg.set(data, UDP_USEAD7);
  }
  c.rq.pass(msg);  // a full queue drops it (qfull)
  return true;
}

/**
 * Bytes written to data: one datagram (udpkick). In headers mode the
 * first 52 bytes say where it goes (the interface address and local port
 * in them are ignored); a shorter write sends nothing. Datagrams to an
 * address not on this machine have no route and are dropped.
 */
function udpwrite(c: Conv, data: Uint8Array): number {
  const u = ucb(c);
  if (c.werr !== null) error(c.werr);
  let raddr: Uint8Array, rport: number, laddr: Uint8Array, payload: Uint8Array;
  if (u.headers === 7) {
    if (data.length < UDP_USEAD7) return data.length;
    raddr = data.slice(0, IPaddrlen);
    laddr = data.slice(IPaddrlen, 2 * IPaddrlen);
    if (!ipforme(laddr)) laddr = findlocalip(raddr);
    rport = new DataView(data.buffer, data.byteOffset).getUint16(3 * IPaddrlen);
    payload = data.subarray(UDP_USEAD7);
  } else {
    raddr = c.raddr;
    rport = c.rport;
    if (ipcmp(c.laddr, IPnoaddr) === 0) c.laddr = findlocalip(c.raddr);
    laddr = c.laddr;
    payload = data;
  }
  // A v4 datagram carries v4 addresses: a v6 source towards a v4 destination cannot be delivered.
  if (ipforme(raddr) && isv4(raddr) === isv4(laddr)) {
    if (!udpiput(c.p, laddr, c.lport, raddr, rport, payload) && u.headers === 0) udpadvise(c, Eportunreach);
  }
  return data.length;
}

/** The ICMP reply to a datagram c sent: c's queues hang up with msg (udpadvise; headers mode sends without a conversation to advise). */
function udpadvise(c: Conv, msg: string): void {
  c.rq.hangup(msg);
  c.werr = msg;
}

function udpctl(_up: Proc, c: Conv, f: string[]): string | null {
  if (f.length === 1 && f[0] === 'hangup') {
    c.rq.hangup();
    c.werr = Ehungup;
    return null;
  }
  if (f.length === 1 && f[0] === 'headers') {
    ucb(c).headers = 7;  // new headers format
    return null;
  }
  return 'unknown control request';
}

/** Add udp to fs (9front udpinit). */
export function udpinit(fs: Fs): void {
  const udp: Proto = {
    name: 'udp',
    x: fs.p.length,
    conv: [],
    nextrport: 600,
    create: (c) => {
      c.rq = new Queue(RQSIZE, false, true);
      c.ptcl = { headers: 0, inht: false } satisfies Udpcb;
    },
    connect: udpconnect,
    announce: udpannounce,
    ctl: udpctl,
    close: udpclose,
    write: udpwrite,
    state: (c) => `${c.inuse ? 'Open' : 'Closed'} qin ${c.rq.len} qout 0\n`,
    inuse: () => false,
  };
  fs.p.push(udp);
}
