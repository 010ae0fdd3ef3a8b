// Protocols and their conversations (9front ip/ip.h Fs, Proto, Conv and
// the protocol-independent half of ip/devip.c: Fsprotoclone, Fsnewcall,
// closeconv, and the parsing of addresses in connect and announce).

import type { Proc } from '../port/proc.ts';
import { Ebadip, Econinuse, error } from '../port/error.ts';
import { Queue } from '../port/qio.ts';
import { Rendez, wakeup } from '../port/rendez.ts';
import { IPnoaddr, ipcmp, parseip } from './ipaddr.ts';
import { findlocalip, ipforme } from './loopback.ts';

/** What devip knows of a conversation (9front Conv.state). */
export enum Cstate { Idle, Announcing, Announced, Connecting, Connected }

/** Conversations per protocol (9front Nchans). */
export const Nchans = 1024;

/** A protocol: its conversations and the entry points devip calls (9front Proto). */
export interface Proto {
  readonly name: string;
  /** Index in its Fs (p->x), part of every qid under it. */
  readonly x: number;
  /** The conversations made so far (p->conv; p->ac is its length). */
  readonly conv: Conv[];
  /** Next restricted port to try (p->nextrport). */
  nextrport: number;
  /** Set up a new conversation's queues and protocol state. */
  create(c: Conv): void;
  /** The ctl messages: each returns an error string, or null on success. */
  connect(up: Proc, c: Conv, argv: string[]): string | null;
  announce(up: Proc, c: Conv, argv: string[]): string | null;
  ctl(up: Proc, c: Conv, argv: string[]): string | null;
  /** The last close of the conversation's files, or a "close" request. */
  close(c: Conv): void;
  /** Bytes written to data (what 9front queues on c->wq for the protocol to send). */
  write(c: Conv, data: Uint8Array): number;
  /** The status file. */
  state(c: Conv): string;
  /** True while the protocol still holds a conversation nobody has open. */
  inuse(c: Conv): boolean;
}

/** One IP stack, #I<dev> (9front Fs). */
export class Fs {
  readonly p: Proto[] = [];
  constructor(readonly dev: number) {}
}

export class Conv {
  owner = 'network';
  perm = 0o660;
  /** Open ctl, data and err files, and the listen that produced it (c->inuse). */
  inuse = 0;
  state = Cstate.Idle;
  laddr = IPnoaddr;
  lport = 0;
  raddr = IPnoaddr;
  rport = 0;
  /** Local port to come from 600-1023 (the "!r" of a dial string). */
  restricted = false;
  ttl = 255;
  tos = 0;
  /** Why the last connect or announce failed (c->cerr). */
  cerr = '';
  /** Bytes received, read through data. */
  rq!: Queue;
  /** Why writes through data fail, once 9front would have hung up or closed c->wq; null while they may go. */
  werr: string | null = null;
  /** Error messages, read through err; tcp never writes any. */
  readonly eq = new Queue(1024);
  /** Calls made to this announcement that no listen has taken yet. */
  incall: Conv[] = [];
  /** A listen waits here for an incall or a hangup. */
  readonly listenr = new Rendez();
  /** The protocol's own state (c->ptcl). */
  ptcl: unknown;

  constructor(readonly p: Proto, readonly x: number) {
    p.create(this);
  }
}

/**
 * A free conversation of p, owned by user: the first one nobody uses, or a
 * new one; null when all Nchans are busy (9front Fsprotoclone).
 */
export function Fsprotoclone(p: Proto, user: string): Conv | null {
  let c = p.conv.find((cv) => cv.inuse === 0 && !p.inuse(cv));
  if (!c) {
    if (p.conv.length >= Nchans) return null;
    c = new Conv(p, p.conv.length);
    p.conv.push(c);
  }
  c.inuse = 1;
  c.owner = user;
  c.perm = 0o660;
  c.state = Cstate.Idle;
  c.laddr = c.raddr = IPnoaddr;
  c.lport = c.rport = 0;
  c.restricted = false;
  c.ttl = 255;
  c.tos = 0;
  c.cerr = '';
  c.rq.reopen();
  c.werr = null;
  c.eq.reopen();
  return c;
}

/** The end of a connect or announce: its state moves on, and any error is kept for the caller (9front Fsconnected). */
export function Fsconnected(c: Conv, msg: string | null): void {
  if (msg) c.cerr = msg;
  if (c.state === Cstate.Announcing) c.state = Cstate.Announced;
  else if (c.state === Cstate.Connecting) c.state = Cstate.Connected;
}

/** A call arriving at announcement c: a new, connected conversation on its incall list (9front Fsnewcall). */
export function Fsnewcall(c: Conv, raddr: Uint8Array, rport: number, laddr: Uint8Array, lport: number): Conv | null {
  const nc = Fsprotoclone(c.p, c.owner);
  if (!nc) return null;
  nc.raddr = raddr;
  nc.rport = rport;
  nc.laddr = laddr;
  nc.lport = lport;
  nc.state = Cstate.Connected;
  c.incall.push(nc);
  wakeup(c.listenr);
  return nc;
}

/** Drop one use; the last one closes the calls never listened for, then the conversation (9front closeconv). */
export function closeconv(c: Conv): void {
  if (--c.inuse > 0) return;
  for (const nc of c.incall.splice(0)) closeconv(nc);
  c.owner = 'network';
  c.perm = 0o660;
  c.p.close(c);
  c.state = Cstate.Idle;
}

// Addresses in ctl messages: "addr!port" with the port as a number,
// "*" for any address, and a trailing "!r" for a restricted port.

/** strtol(s, &end, 10) stored in a ushort; null unless digits end where a port may end (at "!" or the end). */
function portnum(s: string): number | null {
  const m = /^[ \t]*([+-]?[0-9]+)/.exec(s);
  if (!m || !(m[0].length === s.length || s[m[0].length] === '!')) return null;
  const v = BigInt(m[1]!);
  const clamped = v > 0x7fffffffn ? 0x7fffffffn : v < -0x80000000n ? -0x80000000n : v;  // strtol saturates
  return Number(BigInt.asUintN(16, clamped));
}

/** Is lport taken by any conversation of p (9front lportinuse)? */
function lportinuse(p: Proto, lport: number): boolean {
  return p.conv.some((c) => c.lport === lport);
}

/** Pick a local port: 600-1023 in turn when restricted, else at random in 32768-65535 (9front setlport). */
function setlport(up: Proc, c: Conv): string | null {
  const p = c.p;
  if (c.restricted) {
    for (let i = 0; i < 1024 - 600; i++) {
      if (p.nextrport >= 1024 || p.nextrport < 600) p.nextrport = 600;
      const port = p.nextrport++;
      if (!lportinuse(p, port)) { c.lport = port; return null; }
    }
  } else {
    const r = up.kernel.random(2 * 64);  // 64 probes, as 9front's unusedlport makes
    for (let i = 0; i < 64; i++) {
      const port = (1 << 15) + (((r[2 * i]! << 8) | r[2 * i + 1]!) & 0x7fff);
      if (!lportinuse(p, port)) { c.lport = port; return null; }
    }
  }
  return 'no ports available';
}

/** Use lport unless another conversation has the same four addresses and ports (9front setluniqueport). */
function setluniqueport(c: Conv, lport: number): string | null {
  const clash = c.p.conv.some((x) => x !== c
    && (x.state === Cstate.Connected || x.state === Cstate.Announced)
    && x.lport === lport && x.rport === c.rport
    && ipcmp(x.raddr, c.raddr) === 0 && ipcmp(x.laddr, c.laddr) === 0);
  if (clash) return 'address in use';
  c.lport = lport;
  return null;
}

/** The local side from "[addr!]port[!r]"; port 0 picks one, and an announcement may name port "*" (9front setladdrport). */
function setladdrport(up: Proc, c: Conv, str: string, announcing: boolean): string | null {
  const bang = str.indexOf('!');
  let addr = str, port: string | null = null;
  if (bang >= 0) {
    addr = str.slice(0, bang);
    port = str.slice(bang + 1);
    if (port === 'r') port = null;  // "restricted" means nothing for a local port
  }
  c.lport = 0;
  if (port === null) {
    c.laddr = announcing ? IPnoaddr : findlocalip(c.raddr);
    port = addr;
  } else if (addr === '*') {
    c.laddr = IPnoaddr;
  } else {
    const ip = parseip(addr);
    if (!ip) return Ebadip;
    if (!ipforme(ip)) return 'not a local IP address';
    c.laddr = ip;
  }
  // one process can get all connections (only eve may; every guest user here is eve)
  if (announcing && port === '*') return setluniqueport(c, 0);
  const lport = portnum(port);
  if (lport === null) return 'bad numeric port';
  return lport === 0 ? setlport(up, c) : setluniqueport(c, lport);
}

/** The remote side from "addr!port[!r]" (9front setraddrport). */
function setraddrport(c: Conv, str: string): string | null {
  const bang = str.indexOf('!');
  if (bang < 0) return 'malformed address';
  const ip = parseip(str.slice(0, bang));
  if (!ip) return Ebadip;
  c.raddr = ip;
  const rest = str.slice(bang + 1);
  const rport = portnum(rest);
  if (rport === null) return 'bad numeric port';
  c.rport = rport;
  if (rest.includes('!r')) c.restricted = true;
  return null;
}

/** "connect raddr!rport [laddr!lport]" (9front Fsstdconnect). */
export function Fsstdconnect(up: Proc, c: Conv, argv: string[]): string | null {
  if (argv.length !== 2 && argv.length !== 3) return 'bad args to connect';
  const e = setraddrport(c, argv[1]!);
  if (e) return e;
  if (argv.length === 3) return setladdrport(up, c, argv[2]!, false);
  c.laddr = findlocalip(c.raddr);
  return setlport(up, c);
}

/** "announce [laddr!]lport" (9front Fsstdannounce). */
export function Fsstdannounce(up: Proc, c: Conv, argv: string[]): string | null {
  c.raddr = IPnoaddr;
  c.rport = 0;
  if (argv.length !== 2) return 'bad args to announce';
  return setladdrport(up, c, argv[1]!, true);
}

/** "bind [laddr!]lport" (9front Fsstdbind). */
export function Fsstdbind(up: Proc, c: Conv, argv: string[]): string | null {
  if (argv.length !== 2) return 'bad args to bind';
  return setladdrport(up, c, argv[1]!, false);
}

/** The connect and announce requests (9front connectctlmsg, announcectlmsg); here they complete at once. */
export function connectctlmsg(up: Proc, c: Conv, argv: string[], announce: boolean): void {
  if (c.state !== Cstate.Idle) error(Econinuse);
  c.state = announce ? Cstate.Announcing : Cstate.Connecting;
  c.cerr = '';
  const e = announce ? c.p.announce(up, c, argv) : c.p.connect(up, c, argv);
  if (e) error(e);
  if (c.cerr) error(c.cerr);
}
