// /net/udp and /net/ipifc (emu/ip/udp.ts, ipifc.ts): datagrams between
// conversations over the loopback, the "headers" form Go's ListenUDP
// uses, port unreachable, and the loopback interface's status.
import { describe, expect, it } from 'vitest';
import { TestKernel, errof, text } from '../kit/kernelkit.ts';
import { ls, open, read, write } from '../kit/devkit.ts';
import { cclose } from '../../emu/port/chan.ts';
import { ORDWR } from '../../emu/port/dat.ts';
import type { Chan } from '../../emu/port/dev.ts';
import type { Proc } from '../../emu/port/proc.ts';

function setup(): Proc {
  return new TestKernel().proc();
}

const rd = (p: Proc, c: Chan, n = 8192) => text(c.dev.read(p, c, n, 0));
const bytes = (p: Proc, c: Chan, n = 8192) => c.dev.read(p, c, n, 0);

/** A udp conversation after a ctl request: its ctl, number, data file and local port. */
function conv(p: Proc, req: string, headers = false) {
  const ctl = open(p, '/net/udp/clone', ORDWR);
  const n = rd(p, ctl);
  if (headers) write(p, ctl, 'headers');
  write(p, ctl, req);
  const data = open(p, `/net/udp/${n}/data`, ORDWR);
  const port = Number(/!(\d+)\n$/.exec(read(p, `/net/udp/${n}/local`))![1]);
  return { ctl, n, data, port };
}

/** The 52-byte header: remote, local, interface (16 bytes each), remote port, local port. */
function header(raddr: number[], rport: number, laddr: number[] = new Array(16).fill(0)): Uint8Array {
  const h = new Uint8Array(52);
  h.set(raddr, 0);
  h.set(laddr, 16);
  new DataView(h.buffer).setUint16(48, rport);
  return h;
}

const v4 = (a: number, b: number, c: number, d: number) => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d];
const lo4 = v4(127, 0, 0, 1);

describe('/net/udp', () => {
  it('a connected conversation sends to an announced one; each read is one datagram', () => {
    const p = setup();
    const l = conv(p, 'announce 127.0.0.1!0');
    const d = conv(p, `connect 127.0.0.1!${l.port}`);
    write(p, d.data, 'hello');
    write(p, d.data, 'world!');
    // Without headers an announcement takes each new sender as a call: a conversation of its own.
    const a = open(p, `/net/udp/${l.n}/listen`, ORDWR);
    const an = rd(p, a);
    const adata = open(p, `/net/udp/${an}/data`, ORDWR);
    expect(rd(p, adata)).toBe('hello');
    expect(rd(p, adata, 3)).toBe('wor');  // the rest of a datagram is dropped
    expect(read(p, `/net/udp/${an}/remote`)).toBe(`127.0.0.1!${d.port}\n`);
    write(p, adata, 'back');
    expect(rd(p, d.data)).toBe('back');
    expect(read(p, `/net/udp/${d.n}/status`)).toBe('Open qin 0 qout 0\n');
  });

  it('"headers": reads say who sent, writes say where to', () => {
    const p = setup();
    const s = conv(p, 'announce 127.0.0.1!0', true);
    const c = conv(p, 'announce 127.0.0.1!0', true);
    const msg = new TextEncoder().encode('ping');
    expect(write(p, c.data, Uint8Array.from([...header(lo4, s.port), ...msg]))).toBe(56);
    const got = bytes(p, s.data);
    expect(got.length).toBe(56);
    expect([...got.subarray(0, 16)]).toEqual(lo4);  // remote
    expect([...got.subarray(16, 32)]).toEqual(lo4);  // local
    expect([...got.subarray(32, 48)]).toEqual(lo4);  // interface
    const dv = new DataView(got.buffer, got.byteOffset);
    expect([dv.getUint16(48), dv.getUint16(50)]).toEqual([c.port, s.port]);
    expect(text(got.subarray(52))).toBe('ping');
    // A header shorter than 52 bytes sends nothing.
    expect(write(p, c.data, 'short')).toBe(5);
  });

  it('a datagram nobody takes is dropped; a connected sender is told port unreachable', () => {
    const p = setup();
    const d = conv(p, 'connect 127.0.0.1!9');
    write(p, d.data, 'x');
    expect(errof(() => rd(p, d.data))).toBe('port unreachable');
    expect(errof(() => write(p, d.data, 'y'))).toBe('port unreachable');
    const h = conv(p, 'announce 127.0.0.1!0', true);
    expect(write(p, h.data, Uint8Array.from([...header(lo4, 9), 1]))).toBe(53);  // headers mode: no one to tell
  });

  it('a connected conversation takes only its peer; the port alone takes the rest', () => {
    const p = setup();
    const any = conv(p, 'announce 7007', true);
    const a = conv(p, 'announce 127.0.0.1!0');
    const peer = conv(p, `connect 127.0.0.1!7007 127.0.0.1!${a.port}`);
    expect(peer.port).toBe(a.port);
    const other = conv(p, 'connect 127.0.0.1!7007');
    write(p, other.data, 'to the port');
    expect(text(bytes(p, any.data).subarray(52))).toBe('to the port');
  });

  it('close frees the port and the conversation', () => {
    const p = setup();
    const c = conv(p, 'announce 127.0.0.1!7008');
    cclose(p, c.data);
    cclose(p, c.ctl);
    expect(read(p, `/net/udp/${c.n}/status`)).toBe('Closed qin 0 qout 0\n');
    expect(conv(p, 'announce 127.0.0.1!7008').n).toBe(c.n);
  });

  it('unknown requests fail as udpctl does', () => {
    const p = setup();
    const c = conv(p, 'announce 127.0.0.1!0');
    expect(errof(() => write(p, c.ctl, 'keepalive'))).toBe('unknown control request');
  });
});

describe('/net/ipifc', () => {
  it('interface 0 is the loopback, with 127.0.0.1/104 and ::1/128', () => {
    const p = setup();
    expect(ls(p, '/net/ipifc')).toEqual(['0', 'clone', 'stats']);
    const lines = read(p, '/net/ipifc/0/status').split('\n');
    expect(lines[0]).toBe('device /dev/null maxtu 65536 sendra 0 recvra 0 mflag 0 oflag 0 maxraint 600000 minraint 200000'
      + ' linkmtu 0 reachtime 0 rxmitra 0 ttl 255 routerlt 1800000 pktin 0 pktout 0 errin 0 errout 0 speed 0 delay 0');
    expect(lines.slice(1, 3).map((l) => l.split(/\s+/).filter(Boolean))).toEqual([
      ['127.0.0.1', '/104', '127.0.0.0', '4294967295', '4294967295'],
      ['::1', '/128', '::1', '4294967295', '4294967295'],
    ]);
    expect(lines[1]!.startsWith('\t127.0.0.1' + ' '.repeat(31) + ' /104 ')).toBe(true);
  });

  it('the loopback stays when its files close; clone makes an unbound interface', () => {
    const p = setup();
    const c = open(p, '/net/ipifc/0/ctl', ORDWR);
    cclose(p, c);
    expect(ls(p, '/net/ipifc')).toEqual(['0', 'clone', 'stats']);
    const n = open(p, '/net/ipifc/clone', ORDWR);
    expect(rd(p, n)).toBe('1');
    expect(read(p, '/net/ipifc/1/status')).toMatch(/^device  maxtu 0 .*\n\n$/);
    expect(errof(() => write(p, n, 'connect 127.0.0.1!1'))).toBe('connect not supported');
  });
});
