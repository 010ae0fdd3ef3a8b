import { describe, expect, it } from 'vitest';
import { TestKernel, errof, text } from '../kit/kernelkit.ts';
import { cclose, namec } from '../../emu/port/chan.ts';
import { OREAD, ORDWR, OWRITE } from '../../emu/port/dat.ts';

function setup(flavor: '9front' | '4e' = '9front') {
  const k = new TestKernel({ flavor, env: { home: '/usr/glenda' } });
  const p = k.proc();
  const read = (path: string) => {
    const c = namec(p, path, 'open', OREAD);
    return text(c.dev.read(p, c, 1000, 0));
  };
  return { k, p, read };
}

describe('namec', () => {
  it.each([
    ['/dev/pid', '/dev/pid'],
    ['#c/pid', '#c/pid'],
    ['/dev/../dev/pid', '/dev/pid'],
    ['//dev///./pid', '/dev/pid'],
    ['/../../dev/pid', '/dev/pid'],
    ['#c/../pid', '#c/pid'],
  ])('walks %s to the file named %s', (name, path) => {
    const { p } = setup();
    const c = namec(p, name, 'access');
    expect(c.path).toBe(path);
    expect(c.dev.dc).toBe('c');
  });

  it('reads #p/N/note-style names through the device', () => {
    const { p, read } = setup();
    expect(read(`#p/${p.pid}/ppid`)).toBe('          0 ');
  });

  it('reads an environment variable through #e', () => {
    expect(setup().read('#e/home')).toBe('/usr/glenda');
  });

  it('walks #| and #d', () => {
    const { p } = setup();
    expect(namec(p, '#|', 'access').qid.type & 0x80).toBeTruthy();
    p.fgrp.newfd(namec(p, '/dev/null', 'open', OREAD));
    expect(namec(p, '#d/0', 'open', OREAD).path).toBe('/dev/null');
  });

  it('resolves relative names from dot, .. included', () => {
    const { p } = setup();
    p.dot = '/dev';
    expect(namec(p, 'pid', 'access').path).toBe('/dev/pid');
    expect(namec(p, '../env/home', 'access').path).toBe('/env/home');
    p.dot = '#c';
    expect(namec(p, 'pid', 'access').path).toBe('#c/pid');
  });

  it.each([
    ['9front', '/nope/x', "file does not exist: '/nope'"],
    ['4e', '/nope/x', "'/nope' file does not exist"],
    ['9front', '/dev/pid/x', "not a directory: '/dev/pid'"],
    ['4e', '/dev/pid/x', "'/dev/pid' not a directory"],
    ['9front', '/dev/pid/', "not a directory: '/dev/pid'"],
    ['9front', '/dev/pid/.', "not a directory: '/dev/pid'"],
    ['9front', '#c/nope', "file does not exist: '#c/nope'"],
    ['9front', 'rel/x', "file does not exist: 'rel'"],
    ['9front', "/it's", "file does not exist: '/it''s'"],
  ] as const)('in %s, %s fails as %s', (flavor, name, want) => {
    const { p } = setup(flavor);
    expect(errof(() => namec(p, name, 'access'))).toBe(want);
  });

  it('shows a long failing name as a suffix from a slash', () => {
    const { p } = setup();
    const dir = '/tmp/' + 'a'.repeat(40);
    const t = namec(p, '/tmp', 'access');
    t.dev.create(p, t, 'a'.repeat(40), OREAD, 0x80000000 | 0o777);
    const err = errof(() => namec(p, dir + '/' + 'b'.repeat(40) + '/c', 'access'));
    expect(err).toBe(`file does not exist: '.../${'b'.repeat(40)}'`);
  });

  it.each([
    ['', 'empty file name'],
    ['#Z/x', 'unknown device in # filename'],
    ['/a\x01b', "bad character in file name: '/a\x01b'"],
  ])('rejects %j with %s', (name, want) => {
    expect(errof(() => namec(setup().p, name, 'access'))).toBe(want);
  });

  it('with RFNOMNT allows only the devices |decp', () => {
    const { p } = setup();
    p.pgrp.noattach = true;
    expect(errof(() => namec(p, '#/', 'access'))).toBe('mount/attach disallowed');
    expect(namec(p, '#c/pid', 'access').path).toBe('#c/pid');
  });

  it('open returns an open Chan; access does not', () => {
    const { p } = setup();
    expect(namec(p, '/dev/null', 'open', ORDWR)).toMatchObject({ open: true, mode: ORDWR });
    expect(namec(p, '/dev/null', 'access').open).toBe(false);
  });

  it('todir refuses a file', () => {
    expect(errof(() => namec(setup().p, '/dev/null', 'todir'))).toBe("not a directory: '/dev/null'");
  });

  it('does not hand out the mount table\'s own Chans', () => {
    const { p } = setup();
    const c = namec(p, '/dev', 'open', OREAD);
    expect(c.open).toBe(true);
    expect(p.pgrp.mnt.get('/dev')![0]!.to.open).toBe(false);
  });
});

describe('cclose', () => {
  it('closes in the device only after the last reference', () => {
    const { p } = setup();
    const c = namec(p, '/tmp', 'open', OREAD);
    const f = c.dev.create(p, c, 'x', OWRITE | 64, 0o666);  // ORCLOSE
    f.flag |= 2;
    f.ref++;
    cclose(p, f);
    expect(errof(() => namec(p, '/tmp/x', 'access'))).toBe('no error');
    cclose(p, f);
    expect(errof(() => namec(p, '/tmp/x', 'access'))).toBe("file does not exist: '/tmp/x'");
  });
});
