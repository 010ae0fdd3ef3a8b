// A Plan 9 distribution tree as the root of a run (p9emu run --root TREE):
// the environment boot and init leave for a terminal's user, the name
// space newns builds from the tree's lib/namespace, and which kernel the
// tree was made for. docs/tree.md says what is bound and why.

import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Flavor } from '../port/dat.ts';
import type { HostRoot } from '../port/kernel.ts';
import type { Proc } from '../port/proc.ts';
import { namec } from '../port/chan.ts';
import { tmpattach } from '../port/devtmp.ts';
import { MCREATE, MREPL } from '../port/union.ts';
import { newns, type NsContext } from './newns.ts';
import { scriptargv, shebang } from '../port/shebang.ts';

/** A directory is a Plan 9 tree when it has a namespace file and a bin to bind. */
export function istree(dir: string): boolean {
  return existsSync(join(dir, 'lib/namespace')) && (existsSync(join(dir, '386/bin')) || existsSync(join(dir, 'rc/bin')));
}

/**
 * The kernel a tree was made for, and the evidence: 9front's namespace
 * file binds devices the 4th edition never had (#σ shr, #¶) and uses
 * bind -q, and its 386/bin has 9front's file servers.
 */
export function treeflavor(dir: string): { flavor: Flavor; why: string } {
  const ns = readFileSync(join(dir, 'lib/namespace'), 'utf8');
  if (/#σ|#¶|^\s*bind\s+-q/m.test(ns)) return { flavor: '9front', why: 'lib/namespace binds 9front devices' };
  for (const fs of ['hjfs', 'cwfs', 'gefs']) {
    if (existsSync(join(dir, '386/bin', fs))) return { flavor: '9front', why: `386/bin/${fs} is 9front's` };
  }
  return { flavor: '4e', why: 'no 9front devices in lib/namespace, no 9front file servers' };
}

/** A list variable as rc stores it in /env: each element NUL-terminated. */
function rclist(...v: string[]): string {
  return v.map((x) => x + '\0').join('');
}

/**
 * The environment of a terminal user after boot and init (9front
 * boot/boot.c and init.c, 4e the same names): cputype and objtype, the
 * service, the user and home, sysname, the root's name for lib/namespace
 * ($rootdir, $rootspec), the time zone from adm/timezone/local (GMT when
 * the tree has none), and rc's prompt as rc's profile sets it.
 */
export function treeenv(dir: string, user: string, sysname: string): Record<string, string> {
  const tz = ['local', 'GMT'].map((f) => join(dir, 'adm/timezone', f)).find((f) => existsSync(f));
  return {
    cputype: '386',
    objtype: '386',
    service: 'terminal',
    terminal: 'p9emu',
    user,
    sysname,
    home: `/usr/${user}`,
    rootdir: '/root',
    rootspec: '',
    timezone: tz ? readFileSync(tz, 'utf8') : 'GMT 0\n',
    prompt: rclist('term% ', '\t'),
    fs: '',
    auth: '',
  };
}

/**
 * Build up's name space from the tree: newns on lib/namespace, then a
 * private in-memory /tmp unless writes go to the tree and it has the
 * user's tmp (rc writes here documents to /tmp; a read-only tree cannot
 * take them). Returns the lines of lib/namespace that did not take effect.
 */
export function treens(up: Proc, root: HostRoot): string[] {
  const ctx: NsContext = { root, skipped: [], cdroot: false };
  newns(up, ctx, readFileSync(join(root.dir, 'lib/namespace'), 'utf8'));
  if (!(root.writable && existsSync(join(root.dir, 'usr', up.user, 'tmp')))) {
    up.pgrp.mount(tmpattach(up.kernel), namec(up, '/tmp', 'mount'), MREPL | MCREATE);
  }
  return ctx.skipped;
}

/**
 * The host file for a program named as the tree's name space would name
 * it: /bin/x is /386/bin/x or else /rc/bin/x, another absolute name is
 * under the tree; a name the tree lacks is the host's own.
 */
export function treeprogram(dir: string, prog: string): string {
  if (!prog.startsWith('/')) return prog;
  const cands = prog.startsWith('/bin/') ? ['386/bin', 'rc/bin'].map((b) => join(dir, b, prog.slice(5))) : [join(dir, prog)];
  return cands.find((f) => existsSync(f)) ?? prog;
}

/**
 * What running PROGRAM from the tree starts, as exec would: the host file
 * of the a.out and the argv; for a #! script, the interpreter's file and
 * [interp, its args..., PROGRAM, args...]. A script's interpreter is looked
 * up once: exec does not follow a second #!.
 */
export function treeexec(dir: string, prog: string, args: readonly string[]): { file: string; argv: string[] | null } {
  const file = treeprogram(dir, prog);
  const interp = shebang(head(file));
  // A malformed #! line: the loader refuses the file as a script.
  if (!interp || interp.length === 0) return { file, argv: null };
  return { file: treeprogram(dir, interp[0]!), argv: scriptargv(interp, prog, [prog, ...args]) };
}

/** A regular file's first 256 bytes; nothing for anything else (the loader then says what it is). */
function head(file: string): Uint8Array {
  try {
    if (!statSync(file).isFile()) return new Uint8Array(0);
    const fd = openSync(file, 'r');
    try {
      const b = new Uint8Array(256);
      return b.subarray(0, readSync(fd, b, 0, 256, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return new Uint8Array(0);
  }
}
