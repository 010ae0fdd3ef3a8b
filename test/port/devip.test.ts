import { describe, expect, it } from 'vitest';
import { TestKernel, call, errof, text } from '../kit/kernelkit.ts';
import { ls, open, read, write } from '../kit/devkit.ts';
import { cclose } from '../../emu/port/chan.ts';
import { ORDWR, OREAD } from '../../emu/port/dat.ts';
import type { Chan } from '../../emu/port/dev.ts';
import type { Proc } from '../../emu/port/proc.ts';
import { sysopen } from '../../emu/port/sysfile.ts';

function setup() {
  const k = new TestKernel();
  const p = k.proc();
  return { k, p };
}

const rd = (p: Proc, c: Chan, n = 8192) => text(c.dev.read(p, c, n, 0));

/** Open clone: the new conversation's ctl, and its number. */
function clone(p: Proc): { ctl: Chan; n: string } {
  const ctl = open(p, '/net/tcp/clone', ORDWR);
  return { ctl, n: rd(p, ctl) };
}

/** An announcement on 127.0.0.1 at a port chosen by the kernel. */
function announce(p: Proc, addr = '127.0.0.1!0') {
  const a = clone(p);
  write(p, a.ctl, `announce ${addr}`);
  const port = /!(\d+)\n$/.exec(read(p, `/net/tcp/${a.n}/local`))![1]!;
  return { ...a, port };
}

/** A connected pair: the dialler's ctl and data, and the accepted side's. */
function pair(p: Proc) {
  const l = announce(p);
  const d = clone(p);
  write(p, d.ctl, `connect 127.0.0.1!${l.port}`);
  const ddata = open(p, `/net/tcp/${d.n}/data`, ORDWR);
  const actl = open(p, `/net/tcp/${l.n}/listen`, ORDWR);
  const an = rd(p, actl);
  const adata = open(p, `/net/tcp/${an}/data`, ORDWR);
  return { l, d, ddata, actl, an, adata };
}

/** A fresh kernel's process and a connected pair. */
function conn() {
  const { p } = setup();
  return { p, ...pair(p) };
}

const status = (p: Proc, n: string) => read(p, `/net/tcp/${n}/status`).split(' ')[0];

describe('#I: files', () => {
  it('/net holds tcp, udp, ipifc and iproute from #I, then cs', () => {
    const { p } = setup();
    expect(ls(p, '/net')).toEqual(['tcp', 'udp', 'ipifc', 'iproute', 'cs']);
    expect(ls(p, '#I')).toEqual(['tcp', 'udp', 'ipifc', 'iproute']);
  });

  it('iproute lists the loopback routes, IPv4 ("4i") and IPv6 ("6i")', () => {
    const { p } = setup();
    const lines = read(p, '/net/iproute').trimEnd().split('\n').map((l) => l.split(/ +/));
    expect(lines.map((f) => [f[0], f[1], f[3]])).toEqual([['127.0.0.0', '/104', '4i'], ['::1', '/128', '6i']]);
  });

  it('opening clone makes a conversation and gives its ctl, which reads as its number', () => {
    const { p } = setup();
    expect(clone(p).n).toBe('0');
    expect(clone(p).n).toBe('1');
    expect(ls(p, '/net/tcp')).toEqual(['0', '1', 'clone', 'stats']);
    expect(ls(p, '/net/tcp/1')).toEqual(['ctl', 'data', 'err', 'listen', 'local', 'remote', 'status']);
    expect(status(p, '1')).toBe('Closed');
  });

  it('a conversation directory belongs to whoever opened it; local and remote are read-only', () => {
    const { p } = setup();
    clone(p);
    const ctl = open(p, '/net/tcp/0/ctl');
    expect(ctl.dev.stat(p, ctl)).toMatchObject({ name: 'ctl', uid: 'glenda', mode: 0o660 });
    expect(errof(() => open(p, '/net/tcp/0/local', ORDWR))).toBe("permission denied: '/net/tcp/0/local'");
    expect(errof(() => read(p, '/net/tcp/stats'))).toBe('stats not implemented');
  });

  it('a conversation nobody holds any more is handed out again', () => {
    const { p } = setup();
    const a = clone(p);
    cclose(p, a.ctl);
    expect(clone(p).n).toBe('0');
  });

  it('#I1 is a stack of its own; #I128 does not exist', () => {
    const { p } = setup();
    clone(p);
    expect(ls(p, '#I1/tcp')).toEqual(['clone', 'stats']);
    expect(errof(() => open(p, '#I128'))).toBe('no free devices');
  });
});

describe('#I: announce, connect, listen', () => {
  it('announce picks a port in 32768-65535; status says Listen', () => {
    const { p } = setup();
    const a = announce(p);
    expect(Number(a.port)).toBeGreaterThanOrEqual(32768);
    expect(read(p, `/net/tcp/${a.n}/local`)).toBe(`127.0.0.1!${a.port}\n`);
    expect(read(p, `/net/tcp/${a.n}/remote`)).toBe('::!0\n');
    expect(status(p, a.n)).toBe('Listen');
  });

  it('announce of a port alone is on every address, written ::', () => {
    const { p } = setup();
    const a = clone(p);
    write(p, a.ctl, 'announce 5640');
    expect(read(p, `/net/tcp/${a.n}/local`)).toBe('::!5640\n');
  });

  it('a listen waits for a call', () => {
    const { p } = setup();
    const a = announce(p);
    expect(errof(() => open(p, `/net/tcp/${a.n}/listen`))).toBe('sleep');
  });

  it('connect pairs with the announcement; listen gives the new conversation with the addresses swapped', () => {
    const { p } = setup();
    const { l, d, an } = pair(p);
    const dport = /!(\d+)\n$/.exec(read(p, `/net/tcp/${d.n}/local`))![1]!;
    expect(read(p, `/net/tcp/${d.n}/remote`)).toBe(`127.0.0.1!${l.port}\n`);
    expect(an).toBe('2');
    expect(read(p, `/net/tcp/${an}/local`)).toBe(`127.0.0.1!${l.port}\n`);
    expect(read(p, `/net/tcp/${an}/remote`)).toBe(`127.0.0.1!${dport}\n`);
    expect([status(p, d.n), status(p, an), status(p, l.n)]).toEqual(['Established', 'Established', 'Listen']);
  });

  it('an announcement on * takes calls to ::1 too', () => {
    const { p } = setup();
    const l = announce(p, '*!7000');
    const d = clone(p);
    write(p, d.ctl, 'connect ::1!7000');
    expect(read(p, `/net/tcp/${d.n}/local`)).toMatch(/^::1!\d+\n$/);
    const a = open(p, `/net/tcp/${l.n}/listen`);
    expect(read(p, `/net/tcp/${rd(p, a)}/remote`)).toMatch(/^::1!\d+\n$/);
  });

  it('connect with a local address, and a restricted port from 600', () => {
    const { p } = setup();
    const l = announce(p);
    const d = clone(p);
    write(p, d.ctl, `connect 127.0.0.1!${l.port} 127.0.0.1!4321`);
    expect(read(p, `/net/tcp/${d.n}/local`)).toBe('127.0.0.1!4321\n');
    const r = clone(p);
    write(p, r.ctl, `connect 127.0.0.1!${l.port}!r`);
    expect(read(p, `/net/tcp/${r.n}/local`)).toBe('127.0.0.1!600\n');
  });

  it('no announcement on the port: connection refused', () => {
    const { p } = setup();
    const d = clone(p);
    expect(errof(() => write(p, d.ctl, 'connect 127.0.0.1!1'))).toBe('connection refused');
    expect(status(p, d.n)).toBe('Closed');
  });

  it('an address other than loopback has no route', () => {
    const { p } = setup();
    const d = clone(p);
    expect(errof(() => write(p, d.ctl, 'connect 10.0.0.1!80'))).toBe('no route');
  });

  it('two announcements of one address and port: address in use', () => {
    const { p } = setup();
    const a = announce(p);
    const b = clone(p);
    expect(errof(() => write(p, b.ctl, `announce 127.0.0.1!${a.port}`))).toBe('address in use');
  });

  it('bad requests fail with devip and tcp errors', () => {
    const { p } = setup();
    const c = clone(p).ctl;
    const e = (s: string) => errof(() => write(p, c, s));
    expect(e('')).toBe('short control request');
    expect(e('frob')).toBe('unknown control request');
    expect(e('connect')).toBe('bad args to connect');
    expect(e('connect 127.0.0.1!1')).toBe('connection in use');  // the failed connect left it Connecting
    const c2 = clone(p).ctl;
    const e2 = (s: string) => errof(() => write(p, c2, s));
    expect(e2('keepalive')).toBe('connection must be in Establised state');
    for (const [req, err] of [
      ['connect', 'bad args to connect'],
      ['connect 127.0.0.1', 'malformed address'],
      ['connect x!80', 'bad ip address syntax'],
      ['connect 127.0.0.1!http', 'bad numeric port'],
      ['announce 10.1.1.1!80', 'not a local IP address'],
      ['announce', 'bad args to announce'],
    ]) {
      expect(errof(() => write(p, clone(p).ctl, req!)), req).toBe(err);
    }
  });
});

describe('#I: data', () => {
  it('carries bytes both ways; a read takes what several writes queued', () => {
    const { p, ddata, adata } = conn();
    write(p, ddata, 'hello, ');
    write(p, ddata, 'world');
    expect(rd(p, adata)).toBe('hello, world');
    write(p, adata, 'back');
    expect(rd(p, ddata, 2)).toBe('ba');
    expect(rd(p, ddata)).toBe('ck');
  });

  it('a read with nothing queued waits; a writer waits once 64K are unread', () => {
    const { p, ddata, adata } = conn();
    expect(errof(() => rd(p, adata))).toBe('sleep');
    write(p, ddata, new Uint8Array(64 * 1024));
    expect(errof(() => write(p, ddata, 'x'))).toBe('sleep');
    expect(adata.dev.stat(p, adata)).toMatchObject({ name: 'data', length: 64 * 1024 });
  });

  it('close: the other side reads what is left, then EOF; it closes too and both end', () => {
    const { p, d, ddata, an, adata } = conn();
    write(p, ddata, 'last');
    write(p, d.ctl, 'close');
    expect([status(p, d.n), status(p, an)]).toEqual(['Finwait2', 'Close_wait']);
    expect(rd(p, adata)).toBe('last');
    expect([rd(p, adata), rd(p, adata), rd(p, adata)]).toEqual(['', '', '']);
    expect(errof(() => rd(p, adata))).toBe('i/o on hungup channel');
    expect(errof(() => write(p, ddata, 'x'))).toBe('i/o on hungup channel');
    write(p, adata, 'after');  // to a closed peer: gone, and its reset ends this side
    expect([status(p, d.n), status(p, an)]).toEqual(['Closed', 'Closed']);
  });

  it('closing the last file of a conversation closes it', () => {
    const { p, d, ddata, actl, an, adata } = conn();
    cclose(p, ddata);
    cclose(p, d.ctl);
    expect(status(p, an)).toBe('Close_wait');
    cclose(p, adata);
    cclose(p, actl);
    expect([status(p, d.n), status(p, an)]).toEqual(['Closed', 'Closed']);
  });

  it('hangup resets the peer: what it had not read is gone', () => {
    const { p, d, ddata, an, adata } = conn();
    write(p, ddata, 'unread');
    write(p, adata, 'x');
    write(p, d.ctl, 'hangup');
    expect([status(p, d.n), status(p, an)]).toEqual(['Closed', 'Closed']);
    expect(rd(p, adata)).toBe('');
  });

  it('hangup of an announcement ends a waiting listen; calls never taken are closed with it', () => {
    const { p } = setup();
    const l = announce(p);
    const d = clone(p);
    write(p, d.ctl, `connect 127.0.0.1!${l.port}`);
    write(p, l.ctl, 'hangup');
    expect(errof(() => open(p, `/net/tcp/${l.n}/listen`))).toBe(`listen hungup: '/net/tcp/${l.n}/listen'`);
    cclose(p, l.ctl);
    expect(status(p, d.n)).toBe('Close_wait');
    expect(errof(() => open(p, `/net/tcp/${l.n}/listen`))).toBe(`not announced: '/net/tcp/${l.n}/listen'`);
  });
});

describe('#I: a waiting listen holds its announcement (devip.c ipopen Qlisten: inuse++ while it waits)', () => {
  // Go's Listener.Close writes "hangup" and closes ctl while its Accept
  // sleeps in open(listen); the open reruns when woken.

  /** An announcement and another process's open of its listen, which sleeps; listen() reruns that call. */
  function waiting() {
    const { k, p } = setup();
    const l = announce(p);
    const m = k.proc('m', p);
    const listen = () => call(sysopen, m, [k.str(m, `/net/tcp/${l.n}/listen`), ORDWR]);
    expect(listen()).toBe('sleep');
    return { p, l, listen };
  }

  it('closing the announcement does not free its number while the listen waits; the rerun fails, then it is free', () => {
    const { p, l, listen } = waiting();
    write(p, l.ctl, 'hangup');
    cclose(p, l.ctl);
    const again = announce(p);
    expect(again.n).not.toBe(l.n);  // the number is still in use by the listen
    const d = clone(p);
    write(p, d.ctl, `connect 127.0.0.1!${again.port}`);
    expect(listen()).toBe(`listen hungup: '/net/tcp/${l.n}/listen'`);
    const an = rd(p, open(p, `/net/tcp/${again.n}/listen`));  // the call waited for its own listener
    expect(read(p, `/net/tcp/${an}/remote`)).toBe(read(p, `/net/tcp/${d.n}/local`));
    expect(clone(p).n).toBe(l.n);  // the listen has ended: its announcement is closed and free
  });

  it('a listen woken by a call takes it and lets go of the announcement', () => {
    const { p, l, listen } = waiting();
    const d = clone(p);
    write(p, d.ctl, `connect 127.0.0.1!${l.port}`);
    expect(typeof listen()).toBe('number');
    write(p, l.ctl, 'hangup');
    cclose(p, l.ctl);
    expect(status(p, l.n)).toBe('Closed');
    expect(clone(p).n).toBe(l.n);
  });
});

describe('/net/cs', () => {
  function cs(p: Proc, q: string): string[] {
    const c = open(p, '/net/cs', ORDWR);
    write(p, c, q);
    const out: string[] = [];
    for (let off = 0; ; ) {
      const b = c.dev.read(p, c, 128, off);
      if (b.length === 0) return out;
      out.push(text(b));
      off += b.length;
    }
  }
  const cserr = (p: Proc, q: string) => errof(() => cs(p, q));

  it('translates addresses, names in the database, ports and services', () => {
    const { p } = setup();
    expect(cs(p, 'tcp!127.0.0.1!0')).toEqual(['/net/tcp/clone 127.0.0.1!0']);
    expect(cs(p, 'tcp!*!0')).toEqual(['/net/tcp/clone 0']);
    expect(cs(p, 'tcp!localhost!http')).toEqual(['/net/tcp/clone 127.0.0.1!80']);
    expect(cs(p, 'tcp![::1]!80')).toEqual(['/net/tcp/clone ::1!80']);
    expect(cs(p, 'net!localhost!1')).toEqual(['/net/tcp/clone 127.0.0.1!1']);
    expect(cs(p, 'tcp!127.0.0.1!login')).toEqual(['/net/tcp/clone 127.0.0.1!513!r']);
    expect(cs(p, 'tcp!127.0.0.1!513')).toEqual(['/net/tcp/clone 127.0.0.1!513!r']);
    expect(cs(p, 'udp!127.1!domain')).toEqual(['/net/udp/clone 127.0.0.1!53']);
    expect(cs(p, 'foo!bar!baz')).toEqual(['/net/foo/clone bar!baz']);
    expect(cs(p, '!protocol=tcp')).toEqual(['protocol=tcp ipv4proto=6']);
  });

  it('fails as cs does: no DNS server, unknown service, bad queries', () => {
    const { p } = setup();
    expect(cserr(p, 'tcp!example.com!80')).toBe('temporary problem: dns failure');
    expect(cserr(p, 'net!gnot!1')).toBe('temporary problem: dns failure');
    expect(cserr(p, 'tcp!localhost!nosuch')).toBe("can't translate service");
    expect(cserr(p, 'localhost')).toBe("can't translate service");
    expect(cserr(p, 'icmpv6!127.0.0.1!1')).toBe("can't translate address");
    expect(cserr(p, '!nopair')).toBe('bad query');
    expect(cserr(p, '!protocol=xyz')).toBe('no match');
    expect(cserr(p, 'tcp!' + 'a'.repeat(130) + '!1')).toBe('request too long');
  });

  it('each open keeps its own answers; the directory lists cs', () => {
    const { p } = setup();
    const a = open(p, '/net/cs', ORDWR);
    write(p, a, 'tcp!127.0.0.1!1');
    const b = open(p, '/net/cs', ORDWR);
    write(p, b, 'tcp!127.0.0.1!2');
    expect([rd(p, a), rd(p, b)]).toEqual(['/net/tcp/clone 127.0.0.1!1', '/net/tcp/clone 127.0.0.1!2']);
    expect(open(p, '/net', OREAD).dev.name).toBe('union');
  });
});

