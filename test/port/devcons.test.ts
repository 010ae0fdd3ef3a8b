import { describe, expect, it } from 'vitest';
import { TestKernel, NOW, NOWNS, UPTIME, errof, text } from '../kit/kernelkit.ts';
import { ls, open, read, write } from '../kit/devkit.ts';
import { consfd } from '../../emu/port/devcons.ts';
import { OREAD, OWRITE } from '../../emu/port/dat.ts';

function setup(o: { flavor?: '9front' | '4e'; input?: string; eof?: boolean } = {}) {
  const k = new TestKernel(o);
  const parent = k.proc('rc');
  const p = k.proc('cat', parent);
  return { k, p };
}

describe('#c', () => {
  it('pid and ppid are 12-byte readnum fields', () => {
    const { p } = setup();
    expect(read(p, '/dev/pid')).toBe('          2 ');
    expect(read(p, '/dev/ppid')).toBe('          1 ');
    expect(read(p, '/dev/pid', 4, 10)).toBe('2 ');
    expect(read(p, '/dev/pid', 4, 12)).toBe('');
  });

  it('time is seconds, nanoseconds, ticks and frequency in fixed fields', () => {
    const t = read(setup().p, '/dev/time');
    expect(t).toHaveLength(78);
    const f = t.trim().split(/ +/).map(Number);
    expect(f[0]).toBe(Math.floor(NOW / 1e9));
    expect(f[2]).toBe(UPTIME);
    expect(t.split(/ +/)[2]).toBe(String(NOWNS));
    expect(t.slice(0, 12)).toBe(String(Math.floor(NOW / 1e9)).padStart(11) + ' ');
  });

  it.each([[24, 24], [23, 16], [16, 16], [15, 8], [8, 8], [7, 0]])(
    'bintime gives %i bytes as %i, big-endian, whatever the offset', (n, want) => {
      const { p } = setup();
      const c = open(p, '/dev/bintime');
      const b = c.dev.read(p, c, n, 100);
      expect(b.length).toBe(want);
      if (want >= 8) expect(new DataView(b.buffer).getBigInt64(0)).toBe(NOWNS);
    });

  it('cputime is six readnum fields', () => {
    const t = read(setup().p, '/dev/cputime');
    expect(t).toHaveLength(72);
    expect(t.slice(0, 12)).toBe('          0 ');
  });

  it('sysstat has a line of ten fields per CPU', () => {
    const lines = read(setup().p, '/dev/sysstat').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toHaveLength(120);
    expect(lines[1]!.slice(0, 12)).toBe('          1 ');
  });

  it.each([['user', 'glenda'], ['sysname', 'gnot'], ['hostowner', 'glenda'], ['osversion', '2000'], ['null', '']])(
    '%s reads %j', (f, want) => {
      expect(read(setup().p, '/dev/' + f)).toBe(want);
    });

  it('zero and random give n bytes', () => {
    const { p } = setup();
    expect(read(p, '/dev/zero', 5)).toBe('\0'.repeat(5));
    const c = open(p, '/dev/random');
    expect(c.dev.read(p, c, 16, 0)).toHaveLength(16);
  });

  it('cons writes to stdout, and the fd 2 Chan to stderr', () => {
    const { k, p } = setup();
    write(p, open(p, '/dev/cons', OWRITE), 'out');
    write(p, consfd(p, 2), 'err');
    write(p, consfd(p, 1), '!');
    expect(k.console.stdout()).toBe('out!');
    expect(k.console.stderr()).toBe('err');
  });

  it('cons reads host input, and blocks when there is none yet', () => {
    const { p } = setup({ input: 'hi\n', eof: false });
    const c = consfd(p, 0);
    expect(text(c.dev.read(p, c, 10, 0))).toBe('hi\n');
    expect(errof(() => c.dev.read(p, c, 10, 0))).toBe('sleep');
  });

  it('cons reads 0 bytes at end of input', () => {
    const { p } = setup({ input: '' });
    const c = consfd(p, 0);
    expect(c.dev.read(p, c, 10, 0)).toHaveLength(0);
    expect(c.mode).toBe(OREAD);
  });

  it('consctl rawon/rawoff set the host terminal raw and cooked; closing it turns raw off (4e; kbdfs in 9front)', () => {
    for (const flavor of ['4e', '9front'] as const) {
      const { k, p } = setup({ flavor });
      const c = open(p, '/dev/consctl', OWRITE);
      expect(write(p, c, 'rawon')).toBe(5);
      expect(write(p, c, 'rawoff\nrawon\n')).toBe(13);
      expect(k.console.rawmodes).toEqual([true, false, true]);
      c.dev.close(p, c);
      expect(k.console.rawmodes).toEqual([true, false, true, false]);
      expect(errof(() => write(p, open(p, '/dev/consctl', OWRITE), 'bogus'))).toBe('bad process or channel control request');
    }
  });

  it('fd 0 is #c/stdin, not cons, when the host input is not a terminal (rc does not prompt)', () => {
    const { k, p } = setup({ input: 'x' });
    expect(consfd(p, 0).path).toBe('/dev/cons');
    k.console.interactive = false;
    const c = consfd(p, 0);
    expect(c.path).toBe('#c/stdin');
    expect(c.qid.path).not.toBe(open(p, '/dev/cons', OREAD).qid.path);
    expect(c.dev.stat(p, c).name).toBe('stdin');
    expect(text(c.dev.read(p, c, 10, 0))).toBe('x');
  });

  it('swap is only in 4e', () => {
    expect(ls(setup({ flavor: '9front' }).p, '/dev')).not.toContain('swap');
    const { p } = setup({ flavor: '4e' });
    expect(read(p, '/dev/swap')).toMatch(/^\d+ memory\n4096 pagesize\n/);
  });

  it('lists its files', () => {
    expect(ls(setup().p, '#c')).toEqual(expect.arrayContaining(['cons', 'pid', 'ppid', 'time', 'bintime', 'user']));
  });

  it('read-only files refuse writing at open', () => {
    const { p } = setup();
    expect(errof(() => open(p, '/dev/pid', OWRITE))).toBe("permission denied: '/dev/pid'");
  });
});
