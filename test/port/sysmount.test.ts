// unmount on the mount table, and the argument checks of mount, fversion
// and fauth before they speak 9P (emu/port/sysmount.ts).
import { describe, expect, it } from 'vitest';
import { TestKernel, call } from '../kit/kernelkit.ts';
import { sysbind, sysopen, syspipe, syspread } from '../../emu/port/sysfile.ts';
import { sysfauth, sysfversion, sysmount, sysunmount } from '../../emu/port/sysmount.ts';
import { OREAD } from '../../emu/port/dat.ts';
import { unpackdirs } from '../../emu/port/stat.ts';

function setup(flavor: '9front' | '4e' = '9front') {
  const k = new TestKernel({ flavor });
  const p = k.proc();
  const s = (str: string) => k.str(p, str);
  const ls = (path: string): string[] => {
    const fd = call(sysopen, p, [s(path), OREAD]) as number;
    const b = k.alloc(p, 8192);
    const n = call(syspread, p, [fd, b, 8192, 0, 0]) as number;
    return unpackdirs(p.as.read(b, n)).map((d) => d.name);
  };
  /** Both ends of a new pipe: ORDWR fds, as mount wants. */
  const pipe = (): [number, number] => {
    const b = k.alloc(p, 8);
    call(syspipe, p, [b]);
    const v = new DataView(p.as.read(b, 8).buffer);
    return [v.getInt32(0, true), v.getInt32(4, true)];
  };
  return { k, p, s, ls, pipe };
}

describe('unmount', () => {
  it('with no name, takes everything off the mount point', () => {
    const t = setup();
    const before = t.ls('/mnt');
    call(sysbind, t.p, [t.s('#c'), t.s('/mnt'), 0]);
    expect(t.ls('/mnt')).toContain('pid');
    expect(call(sysunmount, t.p, [0, t.s('/mnt')])).toBe(0);
    expect(t.ls('/mnt')).toEqual(before);
  });

  it('with a name, takes just that member off a union', () => {
    const t = setup();
    call(sysbind, t.p, [t.s('#c'), t.s('/mnt'), 2]);  // MAFTER
    call(sysbind, t.p, [t.s('#|'), t.s('/mnt'), 2]);
    expect(t.ls('/mnt')).toContain('pid');
    expect(call(sysunmount, t.p, [t.s('#c'), t.s('/mnt')])).toBe(0);
    expect(t.ls('/mnt')).not.toContain('pid');
    expect(t.ls('/mnt')).toContain('data1');  // #| stays
  });

  it('fails on a directory nothing is mounted on, and for a member not in the union', () => {
    const t = setup();
    expect(call(sysunmount, t.p, [0, t.s('/mnt')])).toBe('not mounted');
    call(sysbind, t.p, [t.s('#c'), t.s('/mnt'), 0]);
    expect(call(sysunmount, t.p, [t.s('#|'), t.s('/mnt')])).toBe('not in union');
    expect(call(sysunmount, t.p, [0, t.s('/nonexistent')])).toBe("file does not exist: '/nonexistent'");
  });
});

describe('mount, fversion, fauth: the checks before the 9P exchange', () => {
  it('mount: flags, then the fds (ORDWR), then the exchange starts', () => {
    const t = setup('4e');
    const [fd] = t.pipe();
    const ro = call(sysopen, t.p, [t.s('/dev/pid'), OREAD]) as number;
    expect(call(sysmount, t.p, [fd, -1, t.s('/mnt'), 3, t.s('')])).toBe('bad arg in system call');  // MBEFORE|MAFTER
    expect(call(sysmount, t.p, [-1, -1, t.s('/mnt'), 0, t.s('')])).toBe('fd out of range or not open');
    expect(call(sysmount, t.p, [ro, -1, t.s('/mnt'), 0, t.s('')])).toBe('inappropriate use of fd');
    expect(call(sysmount, t.p, [fd, 99, t.s('/mnt'), 0, t.s('')])).toBe('fd out of range or not open');
    expect(call(sysmount, t.p, [fd, -1, t.s('/mnt'), 0, t.s('')])).toBe('sleep');  // Tversion sent, waiting for the server
  });

  it('mount: a bad specifier is Ebadspec after the fds in 4e, and validname\'s own error first in 9front', () => {
    const bad = 'a\x01b';
    const e4 = setup('4e');
    expect(call(sysmount, e4.p, [-1, -1, e4.s('/mnt'), 0, e4.s(bad)])).toBe('fd out of range or not open');
    expect(call(sysmount, e4.p, [e4.pipe()[0], -1, e4.s('/mnt'), 0, e4.s(bad)])).toBe('bad attach specifier');
    const f9 = setup('9front');
    expect(call(sysmount, f9.p, [-1, -1, f9.s('/mnt'), 0, f9.s(bad)])).toMatch(/^bad character in file name: /);
  });

  it('mount in a name space made with RFNOMNT: mount/attach disallowed', () => {
    const t = setup();
    t.p.pgrp.noattach = true;
    expect(call(sysmount, t.p, [t.pipe()[0], -1, t.s('/mnt'), 0, t.s('')])).toBe('mount/attach disallowed');
  });

  it('fversion: the version must hold a NUL within its length; then the fd', () => {
    const t = setup();
    const [fd] = t.pipe();
    const v = t.s('9P2000');
    expect(call(sysfversion, t.p, [fd, 8192, v, 0])).toBe('bad arg in system call');
    expect(call(sysfversion, t.p, [fd, 8192, v, 6])).toBe('bad arg in system call');  // "9P2000" without its NUL
    expect(call(sysfversion, t.p, [-1, 8192, v, 7])).toBe('fd out of range or not open');
    expect(call(sysfversion, t.p, [fd, 8192, v, 7])).toBe('sleep');
  });

  it('fauth: the name, then the fd', () => {
    const t = setup();
    expect(call(sysfauth, t.p, [-1, t.s('')])).toBe('fd out of range or not open');
    expect(call(sysfauth, t.p, [t.pipe()[0], t.s('x\x02')])).toMatch(/^bad character in file name: /);
    expect(call(sysfauth, t.p, [t.pipe()[0], t.s('')])).toBe('sleep');
  });
});
