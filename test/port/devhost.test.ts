import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestKernel, errof } from '../kit/kernelkit.ts';
import { ls, open, read, write } from '../kit/devkit.ts';
import { namec } from '../../emu/port/chan.ts';
import { DMDIR, DMEXCL, OREAD, ORDWR, OWRITE } from '../../emu/port/dat.ts';

let top: string, root: string;

beforeAll(() => {
  top = fs.mkdtempSync(path.join(os.tmpdir(), 'p9host-'));
  root = path.join(top, 'root');
  fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(root, 'dev'));
  fs.mkdirSync(path.join(root, 'tmp', 'checkout'), { recursive: true });
  fs.writeFileSync(path.join(root, 'tmp', 'checkout', 'f'), 'host tmp');
  fs.writeFileSync(path.join(root, 'bin', 'prog'), 'binary', { mode: 0o755 });
  fs.writeFileSync(path.join(top, 'outside'), 'secret');
  fs.symlinkSync('../outside', path.join(root, 'escape'));
  fs.symlinkSync('bin/prog', path.join(root, 'link'));
});

afterAll(() => fs.rmSync(top, { recursive: true, force: true }));

function setup(writable = false) {
  const k = new TestKernel({ root: { dir: root, writable } });
  return { k, p: k.proc() };
}

describe('a host directory at /', () => {
  it('shows host entries and the kernel directories, each name once', () => {
    const names = ls(setup().p, '/');
    expect(names).toEqual(expect.arrayContaining(['bin', 'dev', 'link', 'proc', 'env', 'tmp']));
    expect(names).not.toContain('escape');
    expect(names.filter((n) => n === 'dev')).toHaveLength(1);
  });

  it('reads host files and maps their mode bits', () => {
    const { p } = setup();
    expect(read(p, '/bin/prog')).toBe('binary');
    const c = namec(p, '/bin/prog', 'access');
    expect(c.dev.stat(p, c)).toMatchObject({ name: 'prog', mode: 0o755, length: 6, uid: 'glenda' });
    const d = namec(p, '/bin', 'access');
    expect(d.dev.stat(p, d).mode).toBe((DMDIR | (fs.statSync(path.join(root, 'bin')).mode & 0o777)) >>> 0);
  });

  it('the kernel devices stay mounted over host directories of the same name', () => {
    expect(read(setup().p, '/dev/osversion')).toBe('2000');
  });

  it('follows a symlink that stays inside the root', () => {
    expect(read(setup().p, '/link')).toBe('binary');
  });

  it('refuses a symlink out of the root', () => {
    expect(errof(() => open(setup().p, '/escape'))).toBe("file does not exist: '/escape'");
  });

  it('.. never climbs above the root', () => {
    expect(errof(() => open(setup().p, '/../outside'))).toBe("file does not exist: '/../outside'");
  });

  it('is read-only unless writable', () => {
    const { p } = setup();
    expect(errof(() => open(p, '/bin/prog', OWRITE))).toBe("permission denied: '/bin/prog'");
    expect(errof(() => namec(p, '/new', 'create', OWRITE, 0o644))).toBe("mounted directory forbids creation: '/new'");
  });

  it('takes the exclusive-use bit alone on a read-only tree, in memory (cmd/go locks go.mod with it); any other change is refused', () => {
    const { p } = setup();
    const c = namec(p, '/bin/prog', 'access');
    const st = c.dev.stat(p, c);
    expect(st.mode & DMEXCL).toBe(0);
    const nulldir = { ...st, type: 0xffff, dev: 0xffffffff, qid: { type: 0xff, vers: 0xffffffff, path: 0xffffffffffffffffn },
      mode: 0xffffffff, atime: 0xffffffff, mtime: 0xffffffff, length: 0xffffffffffffffffn, name: '', uid: '', gid: '', muid: '' };
    c.dev.wstat(p, c, { ...nulldir, mode: (st.mode | DMEXCL) >>> 0 });
    expect((c.dev.stat(p, c).mode & DMEXCL) >>> 0).toBe(DMEXCL);
    const again = namec(p, '/bin/prog', 'access');
    expect((again.dev.stat(p, again).mode & DMEXCL) >>> 0).toBe(DMEXCL);
    expect(fs.statSync(path.join(root, 'bin', 'prog')).mode & 0o777).toBe(0o755);
    expect(errof(() => c.dev.wstat(p, c, { ...nulldir, mode: (0o700 | DMEXCL) >>> 0 }))).toBe('permission denied');
    c.dev.wstat(p, c, { ...nulldir, mode: st.mode });
    expect(c.dev.stat(p, c).mode & DMEXCL).toBe(0);
    // Each boot has its own: a new kernel's tree shows no bit.
    const q = setup().p;
    const d = namec(q, '/bin/prog', 'access');
    c.dev.wstat(p, c, { ...nulldir, mode: (st.mode | DMEXCL) >>> 0 });
    expect(d.dev.stat(q, d).mode & DMEXCL).toBe(0);
  });

  it('when writable, creates, writes and removes host files', () => {
    const { p } = setup(true);
    const c = namec(p, '/bin/made', 'create', ORDWR, 0o644);
    expect(write(p, c, 'new data')).toBe(8);
    expect(fs.readFileSync(path.join(root, 'bin', 'made'), 'utf8')).toBe('new data');
    const r = namec(p, '/bin/made', 'remove');
    r.dev.remove(p, r);
    expect(fs.existsSync(path.join(root, 'bin', 'made'))).toBe(false);
    const t = namec(p, '/top', 'create', OREAD, DMDIR | 0o755);
    expect(t.qid.type & 0x80).toBeTruthy();
    fs.rmdirSync(path.join(root, 'top'));
  });

  it('opens a host directory only for reading: otherwise it is a directory, writable or not (lib9p sopen)', () => {
    for (const w of [true, false]) {
      const { p } = setup(w);
      expect(open(p, '/bin', OREAD).open).toBe(true);
      expect(errof(() => open(p, '/bin', OWRITE))).toBe("file is a directory: '/bin'");
    }
  });
});

describe("the host tree's tmp under the in-memory /tmp", () => {
  it('shows the host files read-only, and creates in memory', () => {
    for (const writable of [false, true]) {
      const { p } = setup(writable);
      expect(read(p, '/tmp/checkout/f')).toBe('host tmp');
      expect(errof(() => open(p, '/tmp/checkout/f', OWRITE))).toBe("permission denied: '/tmp/checkout/f'");
      const c = namec(p, '/tmp/new', 'create', ORDWR, 0o644);
      write(p, c, 'mem');
      expect(read(p, '/tmp/new')).toBe('mem');
      expect(ls(p, '/tmp').sort()).toEqual(['checkout', 'new']);
      expect(fs.existsSync(path.join(root, 'tmp', 'new'))).toBe(false);
    }
  });
});
