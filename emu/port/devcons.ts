// #c, the console device (9front port/devcons.c), usually bound at /dev:
// the console streams, the caller's identity (pid, ppid, user), the
// clocks, and the null/zero/random sources. Formats per facts §12.
//
// cons: 9front's kernel answers a read with Egreg, because its /dev/cons
// is served by kbdfs or rio. There is no user-space console server here,
// so both flavors keep 4e's behaviour and read the host's input.

import { cputimes } from './cputime.ts';
import { Chan, devdefaults, type Dev, type Dirtab } from './dev.ts';
import type { Proc } from './proc.ts';
import { DMDIR, NUMSIZE, OREAD, OWRITE } from './dat.ts';
import { devattach, devdir, dirtab, eve, tabopen, tabread, tabstat, tabwalk } from './devdir.ts';
import { Ebadctl, Egreg, Eperm, error } from './error.ts';
import { numfield, readnum, readstr } from './readnum.ts';
import { sleep } from './rendez.ts';
import { words64 } from './vlong.ts';

enum Q {
  dir, bintime, cons, consctl, cputime, drivers, hostdomain, hostowner, null_,
  osversion, pid, ppid, random, swap, sysname, sysstat, time, user, zero,
  /** fd 0 when the host's input is a pipe or file: cons's input under another qid (consfd). */
  stdin,
}

const VLNUMSIZE = 22;

const consdir9front = [
  dirtab('.', Q.dir, 0, DMDIR | 0o555),
  dirtab('bintime', Q.bintime, 24, 0o664),
  dirtab('cons', Q.cons, 0, 0o660),
  dirtab('consctl', Q.consctl, 0, 0o220),
  dirtab('cputime', Q.cputime, 6 * NUMSIZE, 0o444),
  dirtab('drivers', Q.drivers, 0, 0o444),
  dirtab('hostdomain', Q.hostdomain, 48, 0o664),
  dirtab('hostowner', Q.hostowner, 0, 0o664),
  dirtab('null', Q.null_, 0, 0o666),
  dirtab('osversion', Q.osversion, 0, 0o444),
  dirtab('pid', Q.pid, NUMSIZE, 0o444),
  dirtab('ppid', Q.ppid, NUMSIZE, 0o444),
  dirtab('random', Q.random, 0, 0o444),
  dirtab('sysname', Q.sysname, 0, 0o664),
  dirtab('sysstat', Q.sysstat, 0, 0o664),
  dirtab('time', Q.time, NUMSIZE + 3 * VLNUMSIZE, 0o664),
  dirtab('user', Q.user, 0, 0o666),
  dirtab('zero', Q.zero, 0, 0o444),
];

/** 4e also has swap in #c (9front moved it to #¶). */
const consdir4e = [...consdir9front, dirtab('swap', Q.swap, 0, 0o664)];

function consdir(up: Proc): readonly Dirtab[] {
  return up.kernel.flavor === '4e' ? consdir4e : consdir9front;
}

/** "%11lud %21llud %21llud %21llud ": seconds, ns, ticks, tick frequency (9front readtime). */
function timetext(up: Proc): string {
  const ns = up.kernel.nsec();
  return numfield(Number(ns / 1_000_000_000n)) +
    [ns, BigInt(Math.floor(up.kernel.uptime())), BigInt(FASTHZ)].map((v) => String(v).padStart(VLNUMSIZE - 1) + ' ').join('');
}

/** Our fast clock counts nanoseconds of uptime. */
const FASTHZ = 1e9;

/** Big-endian 64-bit v at b[at]. */
function putbe64(b: Uint8Array, at: number, v: bigint | number): void {
  const [lo, hi] = words64(v);
  for (let i = 0; i < 4; i++) {
    b[at + i] = hi >>> (24 - 8 * i);
    b[at + 4 + i] = lo >>> (24 - 8 * i);
  }
}

/**
 * nsec, ticks, fasthz as big-endian vlongs; only whole values fit (9front
 * readbintime). Go from 1.24 reads it for every nanotime (vlong.ts).
 */
function bintime(up: Proc, n: number): Uint8Array {
  const k = n >= 24 ? 3 : n >= 16 ? 2 : n >= 8 ? 1 : 0;
  const b = new Uint8Array(8 * k);
  if (k > 0) putbe64(b, 0, up.kernel.nsec());
  if (k > 1) putbe64(b, 8, Math.floor(up.kernel.uptime()));
  if (k > 2) putbe64(b, 16, FASTHZ);
  return b;
}

/** User, sys, real, and the children's three, in ms (libc times()). */
function cputime(up: Proc): string {
  return cputimes(up).map((v) => numfield(v)).join('');
}

/** One line per CPU: its number and nine counters we do not keep. */
function sysstat(up: Proc): string {
  let s = '';
  for (let id = 0; id < up.kernel.config.ncpu; id++) {
    s += numfield(id) + numfield(0).repeat(9) + '\n';
  }
  return s;
}

function swaptext(): string {
  const mem = 256 * 1024 * 1024, pg = 4096;
  return `${mem} memory\n${pg} pagesize\n0 kernel\n0/${mem / pg} user\n0/0 swap\n` +
    '0/0 kernel malloc\n0/0 kernel draw\n';
}

function consread(up: Proc, c: Chan, n: number, off: number): Uint8Array {
  if (n <= 0) return new Uint8Array(0);
  const cfg = up.kernel.config;
  switch (Number(c.qid.path)) {
    case Q.dir: return tabread(up, c, consdir(up), n, off);
    case Q.cons:
    case Q.stdin: {
      let data: Uint8Array | null = null;
      sleep(cfg.console.rin, () => (data = cfg.console.read(n)) !== null);
      return data!;
    }
    case Q.cputime: return readstr(cputime(up), n, off);
    case Q.pid: return readnum(up.pid, n, off);
    case Q.ppid: return readnum(up.ppid, n, off);
    case Q.time: return readstr(timetext(up), n, off);
    case Q.bintime: return bintime(up, n);
    case Q.hostowner: return readstr(eve(up), n, off);
    case Q.hostdomain: return readstr('', n, off);
    case Q.user: return readstr(up.user, n, off);
    case Q.null_: return new Uint8Array(0);
    case Q.sysstat: return readstr(sysstat(up), n, off);
    case Q.sysname: return readstr(cfg.sysname, n, off);
    case Q.random: return up.kernel.random(n);
    case Q.zero: return new Uint8Array(n);
    case Q.osversion: return readstr('2000', n, off);
    case Q.drivers: return readstr(drivers(up), n, off);
    case Q.swap: return readstr(swaptext(), n, off);
    default: return error(Egreg);
  }
}

/** One line per device of the machine, '#c cons' (devcons.c Qdrivers). */
function drivers(up: Proc): string {
  return up.kernel.conf.devtab.map((d) => `#${d.dc} ${d.name}\n`).join('');
}

/**
 * rawon and rawoff (4e devcons; in 9front kbdfs serves the same file, and
 * p9emu stands in for it as for cons): the host terminal's raw mode. As in
 * 4e, closing the consctl that turned raw on turns it off.
 */
function consctl(up: Proc, c: Chan, msg: string): void {
  const cons = up.kernel.config.console;
  for (const line of msg.split('\n')) {
    const cmd = line.trim();
    if (cmd === 'rawon' || cmd === 'rawoff') {
      cons.raw?.(cmd === 'rawon');
      c.aux = cmd === 'rawon' ? RAW : undefined;
    } else if (cmd !== '' && cmd !== 'holdon' && cmd !== 'holdoff') {
      error(Ebadctl);
    }
  }
}

/** c.aux of a consctl that turned raw mode on. */
const RAW = 'raw';

function consclose(up: Proc, c: Chan): void {
  if (Number(c.qid.path) === Q.consctl && c.aux === RAW) up.kernel.config.console.raw?.(false);
}

function conswrite(up: Proc, c: Chan, data: Uint8Array): number {
  switch (Number(c.qid.path)) {
    case Q.cons:
      up.kernel.config.console.write(c.aux === 2 ? 2 : 1, data);
      return data.length;
    case Q.consctl:
      consctl(up, c, new TextDecoder().decode(data));
      return data.length;
    case Q.null_:
    case Q.sysstat:
      return data.length;
    case Q.time:
    case Q.bintime:
      // Only the host owner may set the clock; the emulator's clock is the host's, so it is ignored.
      if (up.user !== eve(up)) error(Eperm);
      return data.length;
    default:
      return error(Eperm);
  }
}

export const devcons: Dev = {
  ...devdefaults,
  dc: 'c',
  name: 'cons',
  attach: (_up, spec) => devattach(devcons, spec),
  walk: (up, c, name) => tabwalk(c, consdir(up), name),
  stat: (up, c) => (Number(c.qid.path) === Q.stdin ? devdir(up, c, c.qid, 'stdin', 0, eve(up), 0o440) : tabstat(up, c, consdir(up))),
  open: (up, c, omode) => tabopen(up, c, consdir(up), omode),
  close: consclose,
  read: consread,
  write: (up, c, data) => conswrite(up, c, data),
};

/**
 * The Chan behind fd 0, 1 or 2 of the first process: /dev/cons opened for
 * reading (0) or writing (1, 2). The one for fd 2 writes to the host's
 * stderr, so a guest's diagnostics stay apart from its output.
 */
export function consfd(up: Proc, fd: 0 | 1 | 2): Chan {
  const c = devcons.walk(up, devattach(devcons, ''), 'cons')!;
  if (fd === 0 && up.kernel.config.console.interactive === false) {
    c.qid = { ...c.qid, path: Q.stdin };
    c.path = '#c/stdin';
  } else {
    c.path = '/dev/cons';
  }
  if (fd === 2) c.aux = 2;
  c.mode = fd === 0 ? OREAD : OWRITE;
  c.open = true;
  return c;
}
