import { describe, expect, it } from 'vitest';
import { TestKernel, errof } from '../kit/kernelkit.ts';
import { ls, open, read, write } from '../kit/devkit.ts';
import { namec } from '../../emu/port/chan.ts';
import { OREAD, ORDWR, OTRUNC, OWRITE } from '../../emu/port/dat.ts';
import { Egrp } from '../../emu/port/devenv.ts';

function setup() {
  const k = new TestKernel({ env: { user: 'glenda', home: '/usr/glenda' } });
  const p = k.proc();
  return { k, p };
}

describe('#e', () => {
  it('starts with the configured environment, in order', () => {
    const { p } = setup();
    expect(ls(p, '/env')).toEqual(['user', 'home']);
    expect(read(p, '/env/home')).toBe('/usr/glenda');
  });

  it('creates, writes, reads and removes a variable', () => {
    const { p } = setup();
    const c = namec(p, '/env/x', 'create', ORDWR, 0o666);
    expect(write(p, c, 'abc')).toBe(3);
    expect(write(p, c, 'Z', 5)).toBe(1);
    expect(read(p, '/env/x')).toBe('abc\0\0Z');
    const r = namec(p, '/env/x', 'remove');
    r.dev.remove(p, r);
    expect(errof(() => open(p, '/env/x'))).toBe("file does not exist: '/env/x'");
  });

  it('create of an existing name truncates, or with OEXCL fails', () => {
    const { p } = setup();
    namec(p, '/env/home', 'create', OWRITE, 0o666);
    expect(read(p, '/env/home')).toBe('');
    expect(errof(() => namec(p, '/env/home', 'create', OWRITE | 0x1000, 0o666))).toBe("file already exists: '/env/home'");
  });

  it('open with OTRUNC empties the value', () => {
    const { p } = setup();
    open(p, '/env/user', OWRITE | OTRUNC);
    expect(read(p, '/env/user')).toBe('');
  });

  it('a value may not exceed half a megabyte', () => {
    const { p } = setup();
    const c = open(p, '/env/user', OWRITE);
    expect(errof(() => write(p, c, 'x', 512 * 1024))).toBe('read or write too large');
  });

  it('a name of 128 bytes or more is too long', () => {
    const { p } = setup();
    expect(errof(() => namec(p, '/env/' + 'n'.repeat(128), 'create', OWRITE, 0o666))).toBe(`name too long: '...${'n'.repeat(32)}'`);  // a long last element is chopped to ERRMAX/4
  });

  it('dup gives an independent copy', () => {
    const { k, p } = setup();
    const q = k.proc('child');
    q.egrp = p.egrp.dup();
    write(q, open(q, '/env/user', OWRITE | OTRUNC), 'other');
    expect(read(p, '/env/user')).toBe('glenda');
    expect(read(q, '/env/user')).toBe('other');
  });

  it('an empty Egrp lists nothing', () => {
    const { p } = setup();
    p.egrp = new Egrp();
    expect(ls(p, '#e')).toEqual([]);
  });

  it('the directory opens only for reading', () => {
    const { p } = setup();
    expect(open(p, '#e', OREAD).open).toBe(true);
    expect(errof(() => open(p, '#e', OWRITE))).toBe('permission denied');  // no element to name
  });
});
