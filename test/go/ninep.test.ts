// The mount driver from a real Go program (test/fixtures/go/ninep): 9P
// servers written with the fixture's own small 9P library, in a goroutine
// or a child process, mounted and used through the file calls. Each mode
// is one corner: walks and errors, concurrent users, flush, a server
// killed mid-request, a connection posted in /srv.

import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, skipWithoutGo } from './gobuild.ts';
import { runGo } from './rungo.ts';
import { pinMinor } from '../kit/gopin.ts';

const T = 120_000;

describe.skipIf(skipWithoutGo())('9P servers in Go, mounted', () => {
  let root = '';
  let bin = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'p9emu-ninep-'));
    mkdirSync(join(root, 'bin'));
    bin = fixture('ninep');
    copyFileSync(bin, join(root, 'bin', 'ninep'));  // the child processes run it from here
  }, 300_000);
  const run = (mode: string, ncpu = 2) => runGo(bin, [mode], { root: { dir: root, writable: false }, ncpu });

  it('walks (several names in one Twalk, partial), Rerror, create/stat/wstat/remove, unions, fversion, fauth', async () => {
    const r = await run('basic');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe([
      'read "hello" <nil>',
      'multi-element walks: [a/b/c]',
      "open /n/a/x/y: '/n/a/x' file does not exist",
      "open /n/a/b/c/d: '/n/a/b/c' not a directory",
      "open /n/secret: '/n/secret' permission denied",
      'stat new 7 -rw-r--r--',
      'ls /n/a: b renamed',
      'ls /n/a: b',
      "remove /n/a/renamed: '/n/a/renamed' file does not exist",
      'ls /n after bind -a: a local secret',
      'ls /n/a after bind -bc: b local',
      'create went to the MCREATE member: true',
      'fids held after unmount: 0',
      'fversion 6 "9P2000" ',
      'fauth -1 authentication not required',
      '',
    ].join('\n'));
  }, T);

  it('eight goroutines on one mount, on four CPUs, while another waits for a held read', async () => {
    const r = await run('concurrent', 4);
    expect(r.stdout).toBe([
      '8 writers done while a read waited; ls: f0 f1 f2 f3 f4 f5 f6 f7 release slow',
      'slow read: "released" <nil>',
      '',
    ].join('\n'));
  }, T);

  // Go 1.25 on: the note handler dies of Go's own bug at the first note it
  // forwards to signal.Notify (docs/go-note-fp.md), as on a Plan 9 kernel.
  const fpbug = pinMinor() >= 25;

  it(`a note to the waiting M: Tflush of its tag, the read fails with interrupted, the mount goes on${fpbug ? ' (Go 1.26: the handler dies of Go\'s FP bug)' : ''}`, async () => {
    const r = await run('flush');
    if (fpbug) {
      expect(r.fpnote).toMatch(/^sys: floating point in note handler pc=0x[0-9a-f]{8}$/);
      expect(r.stderr).toContain(`: suicide: ${r.fpnote}\n`);
      return;
    }
    expect(r.stdout).toBe([
      'read: read /n/slow: interrupted',
      'signal: interrupt',
      "Tflush of the read's tag: true",
      'ls /n: slow',
      '',
    ].join('\n'));
  }, T);

  it('the server process killed mid-request: mount rpc error, then i/o on hungup channel', async () => {
    const r = await run('die');
    expect(r.stdout).toBe([
      'server says "holding a read\\n"',
      'waiting read: read /n/slow: mount rpc error',
      "next call: stat /n/slow: '/n/slow' i/o on hungup channel",
      '',
    ].join('\n'));
  }, T);

  it('a connection posted in /srv, opened and mounted by another process', async () => {
    const r = await run('srv');
    expect(r.stdout).toBe([
      'ls /srv: [ninep]',
      'child: read "via /srv" <nil>',
      '<nil>',
      "stat /srv/ninep: '/srv/ninep' file does not exist",
      '',
    ].join('\n'));
  }, T);
});
