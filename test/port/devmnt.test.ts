// The mount driver (emu/port/devmnt.ts) against a 9P server written in
// the test (test/kit/srv9p.ts): every call that needs the server blocks
// ('sleep'), the server answers what is queued, and the call is run again
// as trap.ts would, replaying the RPCs it already made.
import { describe, expect, it } from 'vitest';
import { TestKernel, call, text } from '../kit/kernelkit.ts';
import { Srv9p } from '../kit/srv9p.ts';
import type { Proc } from '../../emu/port/proc.ts';
import type { Sysfn } from '../../emu/port/sysarg.ts';
import { cclose } from '../../emu/port/chan.ts';
import { postnote } from '../../emu/port/note.ts';
import { NUser, OREAD, ORDWR, OTRUNC, OWRITE } from '../../emu/port/dat.ts';
import * as F from '../../emu/port/fcall.ts';
import {
  syscreate, sysbind, sysclose, sysopen, syspipe, syspread, syspwrite, sysremove, sysstat, syswstat,
} from '../../emu/port/sysfile.ts';
import { sysfversion, sysmount, sysunmount } from '../../emu/port/sysmount.ts';
import { convD2M, convM2D, unpackdirs } from '../../emu/port/stat.ts';
import { MAFTER, MBEFORE, MCREATE, MREPL } from '../../emu/port/union.ts';

function setup() {
  const k = new TestKernel();
  const p = k.proc('client');
  const s = k.proc('srv');
  const b = k.alloc(p, 8);
  call(syspipe, p, [b]);
  const v = new DataView(p.as.read(b, 8).buffer);
  const cfd = v.getInt32(0, true), sfd = v.getInt32(4, true);
  const sc = p.fgrp.get(sfd);
  sc.ref++;
  call(sysclose, p, [sfd]);
  const srv = new Srv9p(s, sc);
  const str = (q: Proc, x: string) => k.str(q, x);
  /** Run a call to completion, letting the server answer whenever it blocks. */
  const run = (fn: Sysfn, q: Proc, args: number[]): number | string => {
    for (let i = 0; i < 100; i++) {
      const r = call(fn, q, args);
      if (r !== 'sleep' || srv.serve() === 0) return r;
    }
    throw new Error('no progress');
  };
  const mount = (q: Proc, old: string, flag = MREPL) => run(sysmount, q, [cfd, -1, str(q, old), flag, str(q, '')]);
  const open = (q: Proc, path: string, mode = OREAD) => run(sysopen, q, [str(q, path), mode]);
  const read = (q: Proc, fd: number, n = 4096, off = 0): string | number => {
    const buf = k.alloc(q, n);
    const r = run(syspread, q, [fd, buf, n, off, 0]);
    return typeof r === 'number' ? text(q.as.read(buf, r)) : r;
  };
  const write = (q: Proc, fd: number, s: string, off = 0) => {
    const d = new TextEncoder().encode(s);
    return run(syspwrite, q, [fd, k.bytes(q, d), d.length, off, 0]);
  };
  const ls = (q: Proc, path: string): string[] => {
    const fd = open(q, path) as number;
    const buf = k.alloc(q, 8192);
    const n = run(syspread, q, [fd, buf, 8192, 0, 0]) as number;
    run(sysclose, q, [fd]);
    return unpackdirs(q.as.read(buf, n)).map((d) => d.name);
  };
  const stat = (q: Proc, path: string) => {
    const buf = k.alloc(q, 512);
    const n = run(sysstat, q, [str(q, path), buf, 512]);
    return typeof n === 'number' ? convM2D(q.as.read(buf, n))! : n;
  };
  return { k, p, s, srv, sc, cfd, str, run, mount, open, read, write, ls, stat };
}

const types = (t: Srv9p) => t.log.map((f) => f.type);

describe('mount over a pipe', () => {
  it('speaks Tversion, then Tattach with the user and the specifier, and closes the fd', () => {
    const t = setup();
    t.srv.mk('a/b/c', 'hello');
    expect(t.mount(t.p, '/n')).toBeGreaterThan(0);
    expect(types(t.srv)).toEqual([F.Tversion, F.Tattach]);
    expect(t.srv.log[0]).toMatchObject({ tag: F.NOTAG, msize: F.IOHDRSZ + 32768, version: '9P2000' });
    expect(t.srv.log[1]).toMatchObject({ uname: 'glenda', aname: '', afid: F.NOFID });
    expect(() => t.p.fgrp.get(t.cfd)).toThrow();  // mount closed its fd
    expect(t.ls(t.p, '/n')).toEqual(['a']);
  });

  it('walks several elements in one Twalk, and opens the walked fid (nothing else holds it)', () => {
    const t = setup();
    t.srv.mk('a/b/c', 'hello');
    t.mount(t.p, '/n');
    t.srv.log.length = 0;
    const fd = t.open(t.p, '/n/a/b/c') as number;
    expect(t.read(t.p, fd)).toBe('hello');
    const walks = t.srv.log.filter((f) => f.type === F.Twalk);
    expect(walks.map((f) => f.wname)).toEqual([['a', 'b', 'c']]);
    expect(types(t.srv)).toEqual([F.Twalk, F.Topen, F.Tread]);  // a short Rread ends the read
    expect(t.srv.log[1]!.fid).toBe(walks[0]!.newfid);
    // The mount's root fid, shared with the mount table, is opened through a clone.
    t.srv.log.length = 0;
    const root = t.open(t.p, '/n') as number;
    expect(types(t.srv)).toEqual([F.Twalk, F.Topen]);
    expect(t.srv.log[0]!.wname).toEqual([]);
    expect(t.srv.log[1]!.fid).toBe(t.srv.log[0]!.newfid);
    expect(root).toBeGreaterThanOrEqual(0);
  });

  it('a partial walk names the element that is missing, a walk through a file is Enotdir', () => {
    const t = setup();
    t.srv.mk('a/b/c', 'hello');
    t.mount(t.p, '/n');
    expect(t.open(t.p, '/n/a/x/y')).toBe("file does not exist: '/n/a/x'");
    expect(t.open(t.p, '/n/zz')).toBe("file does not exist: '/n/zz'");
    expect(t.open(t.p, '/n/a/b/c/d')).toBe("not a directory: '/n/a/b/c'");
    expect(t.open(t.p, '/n/a/b/../b/c')).toBeGreaterThanOrEqual(0);
  });

  it("Rerror's string is the call's error", () => {
    const t = setup();
    t.srv.mk('secret', 'x');
    t.mount(t.p, '/n');
    expect(t.open(t.p, '/n/secret')).toBe("permission denied: '/n/secret'");
  });

  it('create, write, read back, stat, wstat (rename), remove', () => {
    const t = setup();
    t.mount(t.p, '/n', MREPL | MCREATE);
    const fd = t.run(syscreate, t.p, [t.str(t.p, '/n/new'), ORDWR, 0o644]) as number;
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(t.write(t.p, fd, 'some bytes')).toBe(10);
    expect(t.read(t.p, fd, 100, 5)).toBe('bytes');
    const d = t.stat(t.p, '/n/new');
    expect(d).toMatchObject({ name: 'new', length: 10, mode: 0o644, type: 'M'.charCodeAt(0), dev: 1 });  // the kernel's first attach
    const w = convD2M({ ...(d as object as ReturnType<typeof convM2D> & object), type: 0xffff, dev: 0xffffffff,
      qid: { type: 0xff, vers: 0xffffffff, path: 0xffffffffffffffffn }, mode: 0xffffffff, atime: 0xffffffff,
      mtime: 0xffffffff, length: 0xffffffffffffffffn, name: 'renamed', uid: '', gid: '', muid: '' }, 512);
    expect(t.run(syswstat, t.p, [t.str(t.p, '/n/new'), t.k.bytes(t.p, w), w.length])).toBe(w.length);
    expect(t.ls(t.p, '/n')).toEqual(['renamed']);
    expect(t.run(sysremove, t.p, [t.str(t.p, '/n/renamed')])).toBe(0);
    expect(t.ls(t.p, '/n')).toEqual([]);
    expect(t.run(sysremove, t.p, [t.str(t.p, '/n/renamed')])).toBe("file does not exist: '/n/renamed'");
  });

  it('open with OTRUNC truncates on the server; close clunks without waiting', () => {
    const t = setup();
    t.srv.mk('f', 'old contents');
    t.mount(t.p, '/n');
    const fd = t.open(t.p, '/n/f', OWRITE | OTRUNC) as number;
    expect(t.srv.log.find((f) => f.type === F.Topen)!.mode).toBe(OWRITE | OTRUNC);
    expect(t.run(sysclose, t.p, [fd])).toBe(0);
    t.srv.serve();
    expect(t.srv.log[t.srv.log.length - 1]!.type).toBe(F.Tclunk);
    expect(t.read(t.p, t.open(t.p, '/n/f') as number)).toBe('');
  });

  it('gives every fid back: walks, opens, refused opens, stats, create, remove, a union, unmount', () => {
    const t = setup();
    t.srv.mk('a/b/c', 'hello');
    t.srv.mk('a/secret', 'x');
    t.srv.root.kids!.find((n) => n.name === 'a')!.kids!.find((n) => n.name === 'secret')!.mode = 0;
    t.mount(t.p, '/n', MREPL | MCREATE);
    expect(t.srv.nfid).toBe(1);  // the root, held by the mount table
    const fd = t.open(t.p, '/n/a/b/c') as number;
    expect(t.read(t.p, fd)).toBe('hello');
    t.run(sysclose, t.p, [fd]);
    expect(t.open(t.p, '/n/a/nosuch')).toMatch(/does not exist/);
    expect(t.open(t.p, '/n/a/secret')).toMatch(/permission denied/);
    expect(t.stat(t.p, '/n/a/b')).toMatchObject({ name: 'b' });
    const nfd = t.run(syscreate, t.p, [t.str(t.p, '/n/a/new'), OWRITE, 0o644]) as number;
    t.run(sysclose, t.p, [nfd]);
    expect(t.run(sysremove, t.p, [t.str(t.p, '/n/a/new')])).toBe(0);
    t.run(sysbind, t.p, [t.str(t.p, '#|'), t.str(t.p, '/n/a'), MAFTER]);
    expect(t.ls(t.p, '/n/a')).toEqual(['b', 'secret', 'data', 'data1']);
    t.srv.serve();
    expect(t.srv.nfid).toBe(2);  // the root, and /n/a under the union
    expect(t.run(sysunmount, t.p, [0, t.str(t.p, '/n/a')])).toBe(0);
    expect(t.run(sysunmount, t.p, [0, t.str(t.p, '/n')])).toBe(0);
    t.srv.serve();
    expect(t.srv.nfid).toBe(0);
  });

  it('fversion by hand: the agreed version comes back, and later ones must match it', () => {
    const t = setup();
    const v = t.k.alloc(t.p, 16);
    t.p.as.write(v, new TextEncoder().encode('9P2000\0'));
    expect(t.run(sysfversion, t.p, [t.cfd, 8192, v, 16])).toBe(6);
    expect(t.srv.log[0]).toMatchObject({ type: F.Tversion, msize: 8192 });
    t.p.as.write(v, new TextEncoder().encode('9P2000.u\0'));
    expect(t.run(sysfversion, t.p, [t.cfd, 8192, v, 16])).toBe(6);  // "9P2000" is a prefix of it
    t.p.as.write(v, new TextEncoder().encode('9P2001\0'));
    expect(t.run(sysfversion, t.p, [t.cfd, 8192, v, 16])).toBe('bad 9P version specification');
    expect(t.srv.log.length).toBe(1);
  });
});

describe('RPCs that wait', () => {
  it('two processes on one mount: replies go to their owners by tag, in any order', () => {
    const t = setup();
    t.srv.mk('slow');
    t.mount(t.p, '/n');
    const q = t.k.proc('other', t.p);
    const fp = t.open(t.p, '/n/slow') as number;
    const fq = t.open(q, '/n/slow') as number;
    const bp = t.k.alloc(t.p, 64), bq = t.k.alloc(q, 64);
    expect(call(syspread, t.p, [fp, bp, 64, 0, 0])).toBe('sleep');  // p reads the channel for both
    expect(call(syspread, q, [fq, bq, 64, 0, 0])).toBe('sleep');    // q waits for p to hand it its reply
    t.srv.serve();
    const [tp, tq] = [...t.srv.held.keys()];
    expect(tp).not.toBe(tq);
    t.srv.release(tq!, 'for q');
    expect(call(syspread, t.p, [fp, bp, 64, 0, 0])).toBe('sleep');  // p read q's reply and passed it on
    expect(call(syspread, q, [fq, bq, 64, 0, 0])).toBe(5);
    expect(text(q.as.read(bq, 5))).toBe('for q');
    t.srv.release(tp!, 'for p');
    expect(call(syspread, t.p, [fp, bp, 64, 0, 0])).toBe(5);
    expect(text(t.p.as.read(bp, 5))).toBe('for p');
  });

  /** A read of /n/slow held by the server, then a note to the reader: what the two flush tests start from. */
  function interruptedRead() {
    const t = setup();
    t.srv.mk('slow');
    t.mount(t.p, '/n');
    const fd = t.open(t.p, '/n/slow') as number;
    const b = t.k.alloc(t.p, 64);
    expect(call(syspread, t.p, [fd, b, 64, 0, 0])).toBe('sleep');
    t.srv.serve();
    const tag = [...t.srv.held.keys()][0]!;
    postnote(t.p, 'interrupt', NUser);
    return { t, fd, b, tag };
  }

  it('a note while waiting sends Tflush; Rflush fails the call with interrupted', () => {
    const { t, fd, b, tag } = interruptedRead();
    expect(call(syspread, t.p, [fd, b, 64, 0, 0])).toBe('sleep');  // Tflush sent, waiting for Rflush
    t.srv.serve();
    expect(t.srv.log[t.srv.log.length - 1]).toMatchObject({ type: F.Tflush, oldtag: tag });
    expect(call(syspread, t.p, [fd, b, 64, 0, 0])).toBe('interrupted');
    // the mount still works
    expect(t.ls(t.p, '/n')).toEqual(['slow']);
  });

  it('a reply that beats the Rflush completes the call', () => {
    const { t, fd, b, tag } = interruptedRead();
    expect(call(syspread, t.p, [fd, b, 64, 0, 0])).toBe('sleep');
    t.srv.release(tag, 'made it');
    t.srv.serve();  // now the Tflush: Rflush after the Rread
    expect(call(syspread, t.p, [fd, b, 64, 0, 0])).toBe(7);
    expect(text(t.p.as.read(b, 7))).toBe('made it');
  });

  it('a server that dies mid-request: mount rpc error, then i/o on hungup channel', () => {
    const t = setup();
    t.srv.mk('slow');
    t.srv.mk('f', 'x');
    t.mount(t.p, '/n');
    const fd = t.open(t.p, '/n/slow') as number;
    const b = t.k.alloc(t.p, 64);
    expect(call(syspread, t.p, [fd, b, 64, 0, 0])).toBe('sleep');
    t.srv.serve();
    cclose(t.s, t.sc);  // the server's end goes
    expect(call(syspread, t.p, [fd, b, 64, 0, 0])).toBe('mount rpc error');
    expect(call(sysopen, t.p, [t.str(t.p, '/n/f'), OREAD])).toBe("i/o on hungup channel: '/n/f'");
    expect(t.k.posted.filter((n) => n.msg.includes('closed pipe'))).toEqual([]);  // CMSG: no note
  });
});

describe('served files in unions and /srv', () => {
  it('MBEFORE / MAFTER order the members; MCREATE picks where create goes', () => {
    const t = setup();
    t.srv.mk('served');
    t.run(sysbind, t.p, [t.str(t.p, '#|'), t.str(t.p, '/n'), MREPL]);
    t.mount(t.p, '/n', MAFTER | MCREATE);
    expect(t.ls(t.p, '/n')).toEqual(['data', 'data1', 'served']);
    expect(t.run(syscreate, t.p, [t.str(t.p, '/n/made'), OWRITE, 0o600])).toBeGreaterThanOrEqual(0);
    expect(t.srv.root.kids!.map((n) => n.name)).toEqual(['served', 'made']);
    expect(t.open(t.p, '/n/served')).toBeGreaterThanOrEqual(0);
  });

  it('MBEFORE puts the served tree first in the listing', () => {
    const t = setup();
    t.srv.mk('served');
    t.run(sysbind, t.p, [t.str(t.p, '#|'), t.str(t.p, '/n'), MREPL]);
    t.mount(t.p, '/n', MBEFORE);
    expect(t.ls(t.p, '/n')).toEqual(['served', 'data', 'data1']);
    expect(t.run(syscreate, t.p, [t.str(t.p, '/n/x'), OWRITE, 0o600])).toBe("mounted directory forbids creation: '/n/x'");
  });

  it('#s: post the channel by writing its fd; another process opens and mounts it (mount -c /srv/x /n/x)', () => {
    const t = setup();
    t.srv.mk('posted', 'via srv');
    const sfd = t.run(syscreate, t.p, [t.str(t.p, '/srv/x'), OWRITE, 0o600]) as number;
    t.write(t.p, sfd, String(t.cfd));
    t.run(sysclose, t.p, [sfd]);
    t.run(sysclose, t.p, [t.cfd]);
    expect(t.stat(t.p, '/srv/x')).toMatchObject({ name: 'x', mode: 0o600, uid: 'glenda' });
    const q = t.k.proc('other', t.p);
    const fd = t.open(q, '/srv/x', ORDWR) as number;
    expect(t.run(sysmount, q, [fd, -1, t.str(q, '/mnt'), MREPL, t.str(q, '')])).toBeGreaterThan(0);
    expect(t.read(q, t.open(q, '/mnt/posted') as number)).toBe('via srv');
    expect(t.run(syscreate, q, [t.str(q, '/srv/x'), OWRITE | 0x1000, 0o600])).toBe("file already exists: '/srv/x'");
    expect(t.run(sysremove, q, [t.str(q, '/srv/x')])).toBe(0);
    expect(t.open(q, '/srv/x')).toBe("file does not exist: '/srv/x'");
  });

  it('#s: a second post to one file is Ebadusefd; a file with nothing posted is Eshutdown', () => {
    const t = setup();
    const sfd = t.run(syscreate, t.p, [t.str(t.p, '/srv/y'), OWRITE, 0o666]) as number;
    expect(t.open(t.p, '/srv/y', ORDWR)).toBe("device shut down: '/srv/y'");
    t.write(t.p, sfd, String(t.cfd));
    expect(t.write(t.p, sfd, String(t.cfd))).toBe('inappropriate use of fd');
    expect(t.run(syscreate, t.p, [t.str(t.p, '/srv/z'), ORDWR, 0o666])).toBe("permission denied: '/srv/z'");
    expect(t.ls(t.p, '/srv')).toEqual(['y']);
  });
});
