import { describe, expect, it } from 'vitest';
import { TestKernel, call, text, DATA, DATASIZE, NOWNS } from '../kit/kernelkit.ts';
import { sysnsec } from '../../emu/port/sysproc.ts';
import {
  closeOnExec, sys_fwstat, sys_read, sys_write, sys_wstat, sysbind, syschdir, sysclose, syscreate, sysdup,
  sysfd2path, sysfstat, sysfwstat, sysopen, sysoseek, syspipe, syspread, syspwrite, sysremove, sysseek,
  sysstat, syswstat,
} from '../../emu/port/sysfile.ts';
import { DMDIR, NDebug, OCEXEC, OEXCL, OREAD, ORCLOSE, ORDWR, OTRUNC, OWRITE } from '../../emu/port/dat.ts';
import { convD2M, convM2D, unpackdirs } from '../../emu/port/stat.ts';
import type { Dir } from '../../emu/port/dat.ts';

function setup(flavor: '9front' | '4e' = '9front') {
  const k = new TestKernel({ flavor });
  const p = k.proc();
  const s = (str: string) => k.str(p, str);
  const open = (path: string, mode = OREAD) => call(sysopen, p, [s(path), mode]);
  const create = (path: string, mode: number, perm: number) => call(syscreate, p, [s(path), mode, perm]);
  const buf = (n: number) => k.alloc(p, n);
  const pread = (fd: number, n: number, off = -1): string | number => {
    const b = buf(Math.max(n, 1));
    const r = call(syspread, p, [fd, b, n, off, off < 0 ? -1 : 0]);
    return typeof r === 'string' ? r : text(p.as.read(b, r));
  };
  const pwrite = (fd: number, data: string, off = -1) =>
    call(syspwrite, p, [fd, k.str(p, data), new TextEncoder().encode(data).length, off, off < 0 ? -1 : 0]);
  return { k, p, s, open, create, buf, pread, pwrite };
}

describe('open', () => {
  it('returns the lowest free fd', () => {
    const { open } = setup();
    expect(open('/dev/pid')).toBe(0);
    expect(open('/dev/pid')).toBe(1);
  });

  it.each([
    [OREAD, 0], [OWRITE, 0], [ORDWR, 0], [3, "permission denied: '/dev/null'"], [OREAD | OTRUNC | OCEXEC | ORCLOSE, 0],
    [4, 'bad arg in system call'], [OEXCL, 'bad arg in system call'],
  ])('checks mode %i', (mode, want) => {
    const { open } = setup();
    const r = open('/dev/null', mode);
    expect(typeof want === 'string' ? r : typeof r).toBe(typeof want === 'string' ? want : 'number');
  });

  it('names the missing path in 9front style', () => {
    expect(setup('9front').open('/tmp/x')).toBe("file does not exist: '/tmp/x'");
  });

  it('names the missing path in 4e style', () => {
    expect(setup('4e').open('/tmp/x')).toBe("'/tmp/x' file does not exist");
  });

  it('shows only the path up to the element that failed', () => {
    expect(setup().open('/tmp/a/b/c')).toBe("file does not exist: '/tmp/a'");
  });

  it('fails with a bad address when the name is unmapped', () => {
    const { p, k } = setup();
    expect(call(sysopen, p, [0x100, OREAD])).toBe('bad arg in system call');
    expect(k.posted.at(-1)).toMatchObject({ msg: 'sys: bad address in syscall', flag: NDebug });
  });

  it('refuses to write a read-only file, naming it', () => {
    expect(setup().open('/dev/pid', OWRITE)).toBe("permission denied: '/dev/pid'");
  });

  it('hands out 5000 fds, then "no free file descriptors" (growfd stops at 5000, 4e and 9front)', () => {
    const { p, s } = setup();
    const name = s('/dev/null');
    for (let i = 0; i < 5000; i++) expect(call(sysopen, p, [name, OREAD])).toBe(i);
    expect(call(sysopen, p, [name, OREAD])).toBe('no free file descriptors');
  });

  it('refuses to exec a directory', () => {
    expect(setup().open('/dev', 3)).toBe("cannot exec directory: '/dev'");
  });

  it('records OCEXEC so exec closes the fd', () => {
    const { p, open } = setup();
    open('/dev/null');
    const fd = open('/dev/null', OREAD | OCEXEC) as number;
    closeOnExec(p);
    expect(p.fgrp.fd[fd]).toBeUndefined();
    expect(p.fgrp.fd[0]).toBeDefined();
  });
});

describe('close', () => {
  it('frees the fd for reuse', () => {
    const { p, open } = setup();
    open('/dev/null');
    expect(call(sysclose, p, [0])).toBe(0);
    expect(open('/dev/null')).toBe(0);
  });

  it.each([[5], [-1], [100000]])('fails on bad fd %i', (fd) => {
    expect(call(sysclose, setup().p, [fd])).toBe('fd out of range or not open');
  });

  it('removes an ORCLOSE file on the last close', () => {
    const { p, create, open } = setup();
    const fd = create('/tmp/gone', ORDWR | ORCLOSE, 0o666) as number;
    expect(call(sysclose, p, [fd])).toBe(0);
    expect(open('/tmp/gone')).toBe("file does not exist: '/tmp/gone'");
  });
});

describe('read and write', () => {
  it('pread at -1 uses and advances the fd offset', () => {
    const { create, pread, pwrite } = setup();
    const fd = create('/tmp/f', ORDWR, 0o666) as number;
    expect(pwrite(fd, 'hello world')).toBe(11);
    expect(pread(fd, 5, 0)).toBe('hello');
    expect(pread(fd, 5)).toBe('');  // the offset is at the end after the write
  });

  it('_read and _write use the channel offset', () => {
    const { p, k, create, buf } = setup();
    const fd = create('/tmp/f', ORDWR, 0o666) as number;
    expect(call(sys_write, p, [fd, k.str(p, 'abcdef'), 6])).toBe(6);
    p.fgrp.fd[fd]!.offset = 2;
    const b = buf(8);
    expect(call(sys_read, p, [fd, b, 3])).toBe(3);
    expect(text(p.as.read(b, 3))).toBe('cde');
    expect(p.fgrp.fd[fd]!.offset).toBe(5);
  });

  it('pread at an explicit offset leaves the fd offset alone', () => {
    const { p, create, pread, pwrite } = setup();
    const fd = create('/tmp/f', ORDWR, 0o666) as number;
    pwrite(fd, 'abcdef', 0);
    expect(pread(fd, 2, 3)).toBe('de');
    expect(p.fgrp.fd[fd]!.offset).toBe(0);
  });

  it.each([
    ['a bad fd', (t: ReturnType<typeof setup>) => t.pread(9, 4), 'fd out of range or not open'],
    ['reading a write-only fd', (t: ReturnType<typeof setup>) => t.pread(t.open('/dev/null', OWRITE) as number, 4), 'inappropriate use of fd'],
    ['writing a read-only fd', (t: ReturnType<typeof setup>) => t.pwrite(t.open('/dev/null') as number, 'x'), 'inappropriate use of fd'],
    ['a negative offset', (t: ReturnType<typeof setup>) => t.pread(t.open('/dev/zero') as number, 4, -2), 'negative i/o offset'],
    ['writing a directory', (t: ReturnType<typeof setup>) => call(syspwrite, t.p, [t.open('/tmp', OREAD) as number, t.s('x'), 1, 0, 0]), 'inappropriate use of fd'],
  ])('fails on %s', (_, f, want) => {
    expect(f(setup())).toBe(want);
  });

  it('writing a directory opened for writing is Eisdir', () => {
    const t = setup();
    // No device lets a directory be opened for writing, so use a Chan as dup'd from a tmp dir.
    const fd = t.open('/tmp') as number;
    t.p.fgrp.fd[fd]!.mode = OWRITE;
    expect(t.pwrite(fd, 'x', 0)).toBe('file is a directory');
  });

  it('a negative count is a bad address', () => {
    const { p, k, open, buf } = setup();
    const fd = open('/dev/zero') as number;
    expect(call(syspread, p, [fd, buf(4), -1, 0, 0])).toBe('bad arg in system call');
    expect(k.posted.at(-1)!.msg).toBe('sys: bad address in syscall');
  });

  it('an unmapped buffer is a bad address', () => {
    const { p, open } = setup();
    const fd = open('/dev/zero') as number;
    expect(call(syspread, p, [fd, DATA + DATASIZE - 2, 4, 0, 0])).toBe('bad arg in system call');
  });

  it('reads a directory in whole entries and continues where it stopped', () => {
    const { p, open, buf } = setup();
    const fd = open('/dev') as number;
    const b = buf(4096);
    const first = call(syspread, p, [fd, b, 100, -1, -1]) as number;
    const d1 = unpackdirs(p.as.read(b, first));
    expect(d1).toHaveLength(1);
    const rest = call(syspread, p, [fd, b, 4096, -1, -1]) as number;
    const names = [...d1, ...unpackdirs(p.as.read(b, rest))].map((d) => d.name);
    expect(names).toContain('pid');
    expect(names).toContain('cons');
    expect(new Set(names).size).toBe(names.length);
  });

  it('a directory read at another offset is a seek in directory', () => {
    const { p, open, buf } = setup();
    const fd = open('/dev') as number;
    expect(call(syspread, p, [fd, buf(100), 100, 7, 0])).toBe('seek in directory');
  });

  it('a directory read too small for one entry fails', () => {
    const { p, open, buf } = setup();
    expect(call(syspread, p, [open('/dev') as number, buf(8), 8, 0, 0])).toBe('i/o count too small');
  });
});

describe('seek', () => {
  function seek(t: ReturnType<typeof setup>, fd: number, off: number, type: number): number | string {
    const ret = t.buf(8);
    const r = call(sysseek, t.p, [ret, fd, off, off < 0 ? -1 : 0, type]);
    return typeof r === 'string' ? r : Number(new DataView(t.p.as.read(ret, 8).buffer).getBigInt64(0, true));
  }

  it.each([[0, 3, 3], [1, 2, 7], [2, -1, 9]])('type %i moves the offset', (type, off, want) => {
    const t = setup();
    const fd = t.create('/tmp/f', ORDWR, 0o666) as number;
    t.pwrite(fd, '0123456789', 0);
    t.p.fgrp.fd[fd]!.offset = 5;
    expect(seek(t, fd, off, type)).toBe(want);
    expect(t.p.fgrp.fd[fd]!.offset).toBe(want);
  });

  it.each([
    ['a negative result', 0, -1, 'negative i/o offset'],
    ['an unknown type', 5, 0, 'bad arg in system call'],
  ])('fails on %s', (_, type, off, want) => {
    const t = setup();
    expect(seek(t, t.create('/tmp/f', ORDWR, 0o666) as number, off, type)).toBe(want);
  });

  it('refuses to seek a pipe', () => {
    const t = setup();
    const fds = t.buf(8);
    call(syspipe, t.p, [fds]);
    expect(seek(t, 0, 0, 0)).toBe('seek on a stream');
  });

  it.each([[0, 0, 0], [0, 5, 'file is a directory'], [1, 0, 'file is a directory'], [2, 0, 'file is a directory']])(
    'on a directory, type %i offset %i gives %s', (type, off, want) => {
      const t = setup();
      expect(seek(t, t.open('/dev') as number, off, type)).toBe(want);
    });

  it('returns a 64-bit offset whole, through the hidden result pointer', () => {
    const t = setup();
    const fd = t.create('/tmp/f', ORDWR, 0o666) as number;
    const ret = t.buf(8);
    expect(call(sysseek, t.p, [ret, fd, 0x89abcdef, 0x123, 0])).toBe(0);
    expect(new DataView(t.p.as.read(ret, 8).buffer).getBigInt64(0, true)).toBe(0x123_89abcdefn);
    expect(t.p.fgrp.fd[fd]!.offset).toBe(0x123_89abcdef);
  });

  it('oseek returns the offset directly', () => {
    const t = setup();
    const fd = t.create('/tmp/f', ORDWR, 0o666) as number;
    expect(call(sysoseek, t.p, [fd, 42, 0])).toBe(42);
  });
});

describe('create', () => {
  it('creates and opens a new file', () => {
    const t = setup();
    const fd = t.create('/tmp/new', ORDWR, 0o644) as number;
    expect(t.pwrite(fd, 'data', 0)).toBe(4);
    expect(t.pread(t.open('/tmp/new') as number, 10, 0)).toBe('data');
  });

  it('truncates an existing file without OEXCL', () => {
    const t = setup();
    t.pwrite(t.create('/tmp/f', ORDWR, 0o666) as number, 'old contents', 0);
    t.create('/tmp/f', ORDWR, 0o666);
    expect(t.pread(t.open('/tmp/f') as number, 20, 0)).toBe('');
  });

  it('fails with OEXCL on an existing file', () => {
    const t = setup();
    t.create('/tmp/f', ORDWR, 0o666);
    expect(t.create('/tmp/f', ORDWR | OEXCL, 0o666)).toBe("file already exists: '/tmp/f'");
  });

  it('needs DMDIR for a name ending in a slash', () => {
    expect(setup().create('/tmp/d/', OREAD, 0o777)).toBe("create without DMDIR: '/tmp/d'");
  });

  it('makes directories', () => {
    const t = setup();
    expect(typeof t.create('/tmp/d', OREAD, DMDIR | 0o777)).toBe('number');
    expect(typeof t.create('/tmp/d/f', OWRITE, 0o666)).toBe('number');
  });

  it('fails in a directory that does not allow creation', () => {
    expect(setup().create('/dev/new', OWRITE, 0o666)).toBe("permission denied: '/dev/new'");
  });

  it('checks the mode', () => {
    expect(setup().create('/tmp/f', 7, 0o666)).toBe('bad arg in system call');
  });
});

describe('remove', () => {
  it('removes a file', () => {
    const t = setup();
    t.create('/tmp/f', OWRITE, 0o666);
    expect(call(sysremove, t.p, [t.s('/tmp/f')])).toBe(0);
    expect(t.open('/tmp/f')).toBe("file does not exist: '/tmp/f'");
  });

  it('refuses a mount point', () => {
    const t = setup();
    expect(call(sysremove, t.p, [t.s('/dev')])).toBe('is a mount point');
  });

  it('refuses a device file', () => {
    const t = setup();
    expect(call(sysremove, t.p, [t.s('/dev/null')])).toBe('permission denied');
  });
});

describe('stat and fstat', () => {
  function statof(t: ReturnType<typeof setup>, path: string): Dir | string {
    const b = t.buf(512);
    const r = call(sysstat, t.p, [t.s(path), b, 512]);
    return typeof r === 'string' ? r : convM2D(t.p.as.read(b, r))!;
  }

  it('describes a device file', () => {
    const d = statof(setup(), '/dev/pid') as Dir;
    expect(d).toMatchObject({ name: 'pid', type: 'c'.charCodeAt(0), mode: 0o444, length: 12, uid: 'glenda' });
  });

  it('names a directory by the path it was reached by', () => {
    expect((statof(setup(), '/dev') as Dir).name).toBe('dev');
    expect((statof(setup(), '#c') as Dir).name).toBe('#c');
  });

  it('gives just the size when the buffer is too small', () => {
    const t = setup();
    const b = t.buf(8);
    expect(call(sysstat, t.p, [t.s('/dev/pid'), b, 8])).toBe(2);
    const size = t.p.as.read(b, 2);
    expect(size[0]! | (size[1]! << 8)).toBeGreaterThan(40);
  });

  it('fails with Ebadarg when the buffer cannot hold the size', () => {
    const t = setup();
    expect(call(sysstat, t.p, [t.s('/dev/pid'), t.buf(1), 1])).toBe('bad arg in system call');
  });

  it('fstat describes an open fd', () => {
    const t = setup();
    const fd = t.create('/tmp/f', ORDWR, 0o640) as number;
    t.pwrite(fd, 'xyz', 0);
    const b = t.buf(512);
    const n = call(sysfstat, t.p, [fd, b, 512]) as number;
    expect(convM2D(t.p.as.read(b, n))).toMatchObject({ name: 'f', length: 3, mode: 0o640 });
  });

  it('fstat of a bad fd fails', () => {
    const t = setup();
    expect(call(sysfstat, t.p, [7, t.buf(100), 100])).toBe('fd out of range or not open');
  });
});

describe('wstat and fwstat', () => {
  const keep: Dir = {
    type: 0xffff, dev: 0xffffffff, qid: { type: 0xff, vers: 0xffffffff, path: 0xffffffffffffffffn },
    mode: 0xffffffff, atime: 0xffffffff, mtime: 0xffffffff, length: 0xffffffffffffffffn,
    name: '', uid: '', gid: '', muid: '',
  };
  const put = (t: ReturnType<typeof setup>, d: Partial<Dir>) => {
    const b = convD2M({ ...keep, ...d }, 1000);
    return [t.k.bytes(t.p, b), b.length];
  };

  it('renames a file', () => {
    const t = setup();
    t.create('/tmp/a', OWRITE, 0o666);
    expect(call(syswstat, t.p, [t.s('/tmp/a'), ...put(t, { name: 'b' })])).toBeGreaterThan(0);
    expect(typeof t.open('/tmp/b')).toBe('number');
  });

  it('truncates through fwstat', () => {
    const t = setup();
    const fd = t.create('/tmp/a', ORDWR, 0o666) as number;
    t.pwrite(fd, 'abcdef', 0);
    call(sysfwstat, t.p, [fd, ...put(t, { length: 2 })]);
    expect(t.pread(fd, 10, 0)).toBe('ab');
  });

  it('rejects a malformed buffer', () => {
    const t = setup();
    expect(call(syswstat, t.p, [t.s('/tmp'), t.k.bytes(t.p, new Uint8Array(10)), 10])).toBe('malformed stat buffer');
  });

  it('rejects a name with a slash', () => {
    const t = setup();
    t.create('/tmp/a', OWRITE, 0o666);
    expect(call(syswstat, t.p, [t.s('/tmp/a'), ...put(t, { name: 'x/y' })])).toBe("bad character in file name: x/y");
  });

  it('the old calls tell the caller to recompile', () => {
    const t = setup();
    expect(call(sys_wstat, t.p, [])).toBe('old wstat system call - recompile');
    expect(call(sys_fwstat, t.p, [])).toBe('old fwstat system call - recompile');
  });
});

describe('dup', () => {
  it('with -1 takes the lowest free fd and shares the offset', () => {
    const t = setup();
    const fd = t.create('/tmp/f', ORDWR, 0o666) as number;
    expect(call(sysdup, t.p, [fd, -1])).toBe(1);
    t.pwrite(fd, 'abc');
    expect(t.p.fgrp.fd[1]!.offset).toBe(3);
  });

  it('onto an open fd closes what was there', () => {
    const t = setup();
    t.open('/dev/null');
    const fd = t.create('/tmp/f', ORDWR | ORCLOSE, 0o666) as number;
    expect(call(sysdup, t.p, [0, fd])).toBe(fd);
    expect(t.open('/tmp/f')).toBe("file does not exist: '/tmp/f'");
  });

  it('onto itself keeps the fd open', () => {
    const t = setup();
    t.open('/dev/null');
    expect(call(sysdup, t.p, [0, 0])).toBe(0);
    expect(call(sysclose, t.p, [0])).toBe(0);
  });

  it.each([[[3, -1]], [[0, -5]]])('fails on bad fds %j', (args) => {
    const t = setup();
    t.open('/dev/null');
    expect(call(sysdup, t.p, args)).toBe('fd out of range or not open');
  });
});

describe('pipe', () => {
  it('returns two fds joined to each other', () => {
    const t = setup();
    const fds = t.buf(8);
    expect(call(syspipe, t.p, [fds])).toBe(0);
    const v = new DataView(t.p.as.read(fds, 8).buffer);
    expect([v.getInt32(0, true), v.getInt32(4, true)]).toEqual([0, 1]);
    t.pwrite(1, 'ping');
    expect(t.pread(0, 10)).toBe('ping');
  });

  it('fails with a bad address for an unmapped array', () => {
    expect(call(syspipe, setup().p, [0x10])).toBe('bad arg in system call');
  });
});

describe('fd2path', () => {
  it('gives the name the file was opened by', () => {
    const t = setup();
    const fd = t.open('/dev/../dev/./pid') as number;
    const b = t.buf(64);
    expect(call(sysfd2path, t.p, [fd, b, 64])).toBe(0);
    expect(t.p.as.str(b, 64)).toBe('/dev/pid');
  });

  it('cuts the name to fit, NUL included', () => {
    const t = setup();
    const fd = t.open('/dev/pid') as number;
    const b = t.buf(8);
    call(sysfd2path, t.p, [fd, b, 5]);
    expect(t.p.as.str(b, 8)).toBe('/dev');
  });

  it('fails on a bad fd', () => {
    const t = setup();
    expect(call(sysfd2path, t.p, [4, t.buf(8), 8])).toBe('fd out of range or not open');
  });
});

describe('chdir', () => {
  it('makes relative names start there', () => {
    const t = setup();
    expect(call(syschdir, t.p, [t.s('/dev')])).toBe(0);
    expect(t.p.dot).toBe('/dev');
    expect(t.pread(t.open('pid') as number, 12, 0)).toBe('          1 ');
  });

  it('refuses a file', () => {
    const t = setup();
    expect(call(syschdir, t.p, [t.s('/dev/pid')])).toBe("not a directory: '/dev/pid'");
  });

  it('refuses a missing directory', () => {
    const t = setup('4e');
    expect(call(syschdir, t.p, [t.s('/nope')])).toBe("'/nope' file does not exist");
  });
});

describe('bind', () => {
  function bind(t: ReturnType<typeof setup>, from: string, to: string, flag: number) {
    return call(sysbind, t.p, [t.s(from), t.s(to), flag]);
  }
  function ls(t: ReturnType<typeof setup>, path: string): string[] {
    const fd = t.open(path) as number;
    const b = t.buf(8192);
    const n = call(syspread, t.p, [fd, b, 8192, 0, 0]) as number;
    return unpackdirs(t.p.as.read(b, n)).map((d) => d.name);
  }

  it('MREPL replaces a directory', () => {
    const t = setup();
    expect(bind(t, '#c', '/mnt', 0)).toBeGreaterThan(0);
    expect(ls(t, '/mnt')).toContain('pid');
  });

  it('MBEFORE and MAFTER make a union searched in order', () => {
    const t = setup();
    t.create('/tmp/pid', OWRITE, 0o666);
    expect(bind(t, '/dev', '/tmp', 1)).toBeGreaterThan(0);      // MBEFORE: #c's pid wins
    expect(t.pread(t.open('/tmp/pid') as number, 12, 0)).toBe('          1 ');
    const names = ls(t, '/tmp');
    expect(names).toContain('cons');
    expect(names.filter((n) => n === 'pid')).toHaveLength(1);
  });

  it('MAFTER leaves the original first', () => {
    const t = setup();
    const fd = t.create('/tmp/pid', ORDWR, 0o666) as number;
    t.pwrite(fd, 'mine', 0);
    bind(t, '/dev', '/tmp', 2);
    expect(t.pread(t.open('/tmp/pid') as number, 12, 0)).toBe('mine');
    expect(typeof t.open('/tmp/cons')).toBe('number');
  });

  it('MCREATE lets create use a union member', () => {
    const t = setup();
    bind(t, '/tmp', '/mnt', 2 | 4);
    expect(typeof t.create('/mnt/x', OWRITE, 0o666)).toBe('number');
    expect(typeof t.open('/tmp/x')).toBe('number');
  });

  it('rejects both MBEFORE and MAFTER', () => {
    expect(bind(setup(), '/dev', '/mnt', 3)).toBe('bad arg in system call');
  });

  it('rejects a file onto a directory', () => {
    expect(bind(setup(), '/dev/pid', '/mnt', 0)).toBe('inconsistent mount');
  });

  it('only changes the name space it was made in', () => {
    const t = setup();
    const q = t.k.proc('other');
    q.pgrp = t.p.pgrp.dup();
    bind(t, '#c', '/mnt', 0);
    expect(call(sysopen, q, [t.k.str(q, '/mnt/pid'), OREAD])).toBe("file does not exist: '/mnt/pid'");
  });
});

describe('a blocked read keeps its Chan across reruns (emu/port/syschan.ts)', () => {
  it('closing its fd and opening another on the same number does not hand it the new file', () => {
    // Go on Plan 9 closes a conn's data fd while another M, sharing the fd
    // table, still sleeps in read on it; the next dial's data fd may get
    // the same number.
    const t = setup();
    const m = t.k.proc('m', t.p);
    m.fgrp = t.p.fgrp;
    t.p.fgrp.ref++;
    const b = t.k.alloc(m, 16);
    const mread = (fd: number) => {
      const r = call(syspread, m, [fd, b, 10, -1, -1]);
      return typeof r === 'string' ? r : text(m.as.read(b, r));
    };
    const fds = t.buf(8);
    expect(call(syspipe, t.p, [fds])).toBe(0);
    const [r0, w0] = [t.p.as.u32(fds), t.p.as.u32(fds + 4)];
    expect(mread(r0)).toBe('sleep');
    expect(call(sysclose, t.p, [r0])).toBe(0);
    expect(call(syspipe, t.p, [fds])).toBe(0);
    const [r1, w1] = [t.p.as.u32(fds), t.p.as.u32(fds + 4)];
    expect(r1).toBe(r0);
    expect(t.pwrite(w1, 'fresh')).toBe(5);
    expect(mread(r0)).toBe('sleep');  // the rerun: still on the first pipe, which is empty
    expect(call(sysclose, t.p, [w0])).toBe(0);
    expect(mread(r0)).toBe('');  // its writer gone: end of file, and the call lets go of it
    expect(t.pread(r1, 10)).toBe('fresh');  // the new pipe's bytes were left for their own reader
  });
});

describe('nsec', () => {
  it('stores the clock to the nanosecond through the hidden result pointer, and returns 0', () => {
    const t = setup();
    const ret = t.buf(8);
    expect(call(sysnsec, t.p, [ret])).toBe(0);
    expect(new DataView(t.p.as.read(ret, 8).buffer).getBigInt64(0, true)).toBe(NOWNS);
  });

  it('fails on a pointer it cannot write (9front validaddr: Ebadarg)', () => {
    const t = setup();
    expect(call(sysnsec, t.p, [8])).toBe('bad arg in system call');
  });
});
