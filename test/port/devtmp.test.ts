import { describe, expect, it } from 'vitest';
import { TestKernel, errof } from '../kit/kernelkit.ts';
import { ls, open, read, write } from '../kit/devkit.ts';
import { namec } from '../../emu/port/chan.ts';
import { DMDIR, OREAD, ORDWR, OWRITE } from '../../emu/port/dat.ts';
import type { Dir } from '../../emu/port/dat.ts';

const keep: Dir = {
  type: 0xffff, dev: 0xffffffff, qid: { type: 0xff, vers: 0xffffffff, path: 0xffffffffffffffffn },
  mode: 0xffffffff, atime: 0xffffffff, mtime: 0xffffffff, length: 0xffffffffffffffffn,
  name: '', uid: '', gid: '', muid: '',
};

function setup() {
  const k = new TestKernel();
  const p = k.proc();
  const create = (path: string, perm = 0o666, mode = ORDWR) => namec(p, path, 'create', mode, perm);
  return { k, p, create };
}

describe('/tmp', () => {
  it('starts empty and lists what is created', () => {
    const { p, create } = setup();
    expect(ls(p, '/tmp')).toEqual([]);
    create('/tmp/a');
    create('/tmp/d', DMDIR | 0o777, OREAD);
    create('/tmp/d/b');
    expect(ls(p, '/tmp')).toEqual(['a', 'd']);
    expect(ls(p, '/tmp/d')).toEqual(['b']);
  });

  it('writes at offsets, filling gaps with zeros', () => {
    const { p, create } = setup();
    const c = create('/tmp/f');
    write(p, c, 'ab', 0);
    write(p, c, 'z', 4);
    expect(read(p, '/tmp/f')).toBe('ab\0\0z');
    expect(c.dev.stat(p, c)).toMatchObject({ length: 5, name: 'f', uid: 'glenda' });
  });

  it('create masks perm with the directory', () => {
    const { p, create } = setup();
    create('/tmp/d', DMDIR | 0o750, OREAD);
    const c = create('/tmp/d/f', 0o777);
    expect(c.dev.stat(p, c).mode).toBe(0o751);  // perm & (~0666 | dir & 0666)
  });

  it('a directory does not open for writing', () => {
    const { p } = setup();
    expect(errof(() => open(p, '/tmp', OWRITE))).toBe("file is a directory: '/tmp'");
  });

  it('removes only empty directories', () => {
    const { p, create } = setup();
    create('/tmp/d', DMDIR | 0o777, OREAD);
    create('/tmp/d/f');
    const d = namec(p, '/tmp/d', 'remove');
    expect(errof(() => d.dev.remove(p, d))).toBe('directory not empty');
    const f = namec(p, '/tmp/d/f', 'remove');
    f.dev.remove(p, f);
    d.dev.remove(p, d);
    expect(ls(p, '/tmp')).toEqual([]);
  });

  it('an open file that was removed reads as gone', () => {
    const { p, create } = setup();
    const c = create('/tmp/f');
    const r = namec(p, '/tmp/f', 'remove');
    r.dev.remove(p, r);
    expect(errof(() => c.dev.read(p, c, 10, 0))).toBe('file does not exist');
  });

  it('wstat renames, truncates and changes mode', () => {
    const { p, create } = setup();
    const c = create('/tmp/f');
    write(p, c, 'hello');
    c.dev.wstat(p, c, { ...keep, name: 'g', length: 2, mode: 0o600 });
    expect(ls(p, '/tmp')).toEqual(['g']);
    expect(read(p, '/tmp/g')).toBe('he');
    expect(c.dev.stat(p, c).mode).toBe(0o600);
  });

  it('wstat refuses a name already used, and turning a file into a directory', () => {
    const { p, create } = setup();
    create('/tmp/a');
    const c = create('/tmp/b');
    expect(errof(() => c.dev.wstat(p, c, { ...keep, name: 'a' }))).toBe('file already exists');
    expect(errof(() => c.dev.wstat(p, c, { ...keep, mode: DMDIR | 0o777 }))).toBe('permission denied');
  });

  it('permission bits are enforced for other users', () => {
    const { p, create } = setup();
    create('/tmp/secret', 0o600);
    p.user = 'none';
    expect(errof(() => open(p, '/tmp/secret'))).toBe("permission denied: '/tmp/secret'");
  });
});
