// A Plan 9 tree as the root (emu/tree): a tree the test writes itself
// (its own lib/namespace, its own cat at 386/bin/cat, a file in rc/bin),
// booted as a terminal: newns on lib/namespace, boot's environment, the
// private /tmp, read-only unless --rw, one warning for what p9emu lacks,
// the kernel picked from the tree.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleProg, runImage } from '../kit/runprog.ts';
import { istree, treeflavor } from '../../emu/tree/tree.ts';

const NAMESPACE = `# the test's own namespace file
mount -aC #s/boot /root $rootspec
bind -a $rootdir /
bind #c /dev
bind #d /fd
bind -c #e /env
bind #p /proc
bind -a '#¤' /dev
mount -a /srv/nosuch /mnt

bind /$cputype/bin /bin
bind -a /rc/bin /bin
bind -a #I /net
mount -a /srv/cs /net
. /lib/namespace.local
. /lib/namespace.absent
cd /usr/$user
`;

function mktree(ns = NAMESPACE): string {
  const t = mkdtempSync(join(tmpdir(), 'p9emu-tree-'));
  for (const d of ['lib', '386/bin', 'rc/bin', 'adm/timezone', 'usr/glenda', 'sys/lib']) mkdirSync(join(t, d), { recursive: true });
  writeFileSync(join(t, 'lib/namespace'), ns);
  writeFileSync(join(t, 'lib/namespace.local'), "bind -b '/sys/lib' /mnt\n");
  writeFileSync(join(t, 'sys/lib/marker'), 'sys-lib\n');
  writeFileSync(join(t, '386/bin/cat'), assembleProg('cat.s'));
  writeFileSync(join(t, 'rc/bin/hello'), 'rc-bin\n');
  writeFileSync(join(t, 'rc/bin/show'), '#!/bin/cat\nshown by its interpreter\n');
  writeFileSync(join(t, 'adm/timezone/local'), 'EST -18000 EDT -14400\n');
  writeFileSync(join(t, 'usr/glenda/notes'), 'glenda-notes\n');
  return t;
}

const tree = mktree();
const cat = (args: string[], writable = false) =>
  runImage(readFileSync(join(tree, '386/bin/cat')), { argv: ['cat', ...args], tree: { dir: tree, writable } });

describe('a Plan 9 tree as the root', () => {
  it('unions /386/bin and /rc/bin at /bin, and starts in the home directory', async () => {
    expect((await cat(['/bin/hello'])).stdout.toString()).toBe('rc-bin\n');
    expect((await cat(['/bin/cat'])).stdout.subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0xeb]));
    expect((await cat(['notes'])).stdout.toString()).toBe('glenda-notes\n');
  });

  it('gives /env what boot and init leave, the time zone from the tree', async () => {
    const env = async (v: string) => (await cat([`/env/${v}`])).stdout.toString();
    expect(await env('cputype')).toBe('386');
    expect(await env('objtype')).toBe('386');
    expect(await env('service')).toBe('terminal');
    expect(await env('user')).toBe('glenda');
    expect(await env('home')).toBe('/usr/glenda');
    expect(await env('timezone')).toBe('EST -18000 EDT -14400\n');
    expect(await env('prompt')).toBe('term% \0\t\0');
  });

  it('gives /dev the kernel files programs read', async () => {
    expect((await cat(['/dev/user'])).stdout.toString()).toBe('glenda');
    expect((await cat(['/dev/osversion'])).stdout.toString()).toBe('2000');
    expect((await cat(['/dev/drivers'])).stdout.toString()).toMatch(/^#\/ root\n#c cons\n#e env\n/);
  });

  it('reads . files in the new name space, skipping absent ones; mounts /srv/cs on /net', async () => {
    expect((await cat(['/mnt/marker'])).stdout.toString()).toBe('sys-lib\n');
    expect((await cat(['/net/cs'])).stdout.toString()).toBe('');
    expect((await cat(['/net/cs'])).stderr).not.toMatch(/file does not exist/);
  });

  it('names what it could not bind in one warning; the run goes on', async () => {
    const r = await cat(['/env/cputype']);
    expect(r.exitstr).toBe('');
    const warns = r.stderr.split('\n').filter((l) => l.startsWith('p9emu: warning:'));
    expect(warns).toHaveLength(1);
    expect(warns[0]).toContain("bind -a #¤ /dev: unknown device in # filename");
    expect(warns[0]).toContain('mount -a /srv/nosuch /mnt: no such service in p9emu');
    expect(warns[0]).not.toContain('namespace.absent');
  });

  it('keeps the tree read-only without --rw (Plan 9 permission denied); /tmp takes writes', async () => {
    expect((await cat(['-c', '/usr/glenda/new'])).stdout.toString()).toBe("-'/usr/glenda/new' permission denied\n");
    expect(existsSync(join(tree, 'usr/glenda/new'))).toBe(false);
    expect((await cat(['-c', '/tmp/new'])).stdout.toString()).toBe('');
    expect(existsSync(join(tree, 'tmp/new'))).toBe(false);
  });

  it('writes to the tree with --rw', async () => {
    const t = mktree();
    await runImage(readFileSync(join(t, '386/bin/cat')), { argv: ['cat', '-c', '/usr/glenda/new'], tree: { dir: t, writable: true } });
    expect(readFileSync(join(t, 'usr/glenda/new'), 'utf8')).toBe('new\n');
  });

  it('tells a tree from a directory, and 9front from 4e', () => {
    expect(istree(tree)).toBe(true);
    expect(istree(join(tree, 'lib'))).toBe(false);
    expect(treeflavor(tree).flavor).toBe('4e');
    expect(treeflavor(mktree(NAMESPACE + 'bind -q #σ /shr\n')).flavor).toBe('9front');
  });
});

describe('p9emu run --root TREE', () => {
  const root = new URL('../..', import.meta.url).pathname;
  beforeAll(() => {
    execFileSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
  });

  it('looks PROGRAM up in the tree, picks the kernel and says which', () => {
    const r = spawnSync('node', [join(root, 'bin/p9emu'), 'run', '--root', tree, '/bin/cat', '/env/cputype'], { encoding: 'utf8' });
    expect(r.stdout).toBe('386');
    expect(r.stderr).toMatch(/^p9emu: kernel 4e \(/);
    const k = spawnSync('node', [join(root, 'bin/p9emu'), 'run', '--kernel', '9front', '--root', tree, '/bin/cat', '/env/cputype'], { encoding: 'utf8' });
    expect(k.stderr).not.toMatch(/kernel/);
    expect(k.status).toBe(0);
  });

  it('runs a #! script as exec does: the interpreter from the tree, the script its argv[1]', () => {
    const r = spawnSync('node', [join(root, 'bin/p9emu'), 'run', '--root', tree, '/bin/show'], { encoding: 'utf8' });
    expect(r.stdout).toBe('#!/bin/cat\nshown by its interpreter\n');
    expect(r.status).toBe(0);
  });
});
