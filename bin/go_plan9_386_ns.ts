// The name space go_plan9_386_exec gives a test binary. The kernel's boot
// name space puts the host's / at / read-only, with /dev, /proc, /env, /fd
// and /tmp on top. Here the files a Plan 9 machine has and the host lacks
// are added with bind(2), as a profile would, from host directories the
// guest sees at the same paths:
//
//	bind -a $cache/goroot/$key $GOROOT	# lib/time/zoneinfo.zip

import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Proc } from '../emu/port/proc.ts';
import { namec } from '../emu/port/chan.ts';
import { MAFTER } from '../emu/port/union.ts';
import { contentkey, hostcache } from './hostcache.ts';
import { TZDIR, tzdatakey, tzdatazip } from './tzdata.ts';
import { zipdata, zipdatafile } from './zipdata.ts';

/** bind(2) for up, before it runs. */
function bind(up: Proc, name: string, old: string, flag: number): void {
  up.pgrp.mount(namec(up, name, 'bind'), namec(up, old, 'mount'), flag);
}

/** $GOROOT as go test sets it, else as the go command reports it; null without go. */
export function goroot(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.GOROOT) return env.GOROOT;
  try {
    return execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * What makes $GOROOT/lib/time/zoneinfo.zip: the release's own bytes, kept
 * in its source tree (zipdata.ts), which time's tests compare with
 * time/tzdata's copy; else the host's tzdata (tzdata.ts); else nothing.
 */
function zoneinfosource(root: string): { key: string; make: () => Uint8Array } | null {
  const zd = zipdatafile(root);
  if (existsSync(zd)) return { key: contentkey(['zipdata.go', readFileSync(zd)]), make: () => zipdata(readFileSync(zd)) };
  if (existsSync(TZDIR)) return { key: tzdatakey(), make: () => tzdatazip() };
  return null;
}

/**
 * $GOROOT/lib/time/zoneinfo.zip, when the host's GOROOT lacks it (Debian's
 * golang packages leave it out). The zip's tree is bound after the deepest
 * of $GOROOT, lib, lib/time that exists, so what is there stays visible.
 */
function zoneinfo(up: Proc, root: string): void {
  const path = ['lib', 'time', 'zoneinfo.zip'];
  if (!existsSync(root) || existsSync(join(root, ...path))) return;
  const src = zoneinfosource(root);
  if (!src) return;
  const dir = hostcache('goroot', src.key, join(...path), src.make);
  let n = 0;
  while (n < path.length - 1 && existsSync(join(root, ...path.slice(0, n + 1)))) n++;
  bind(up, join(dir, ...path.slice(0, n)), join(root, ...path.slice(0, n)), MAFTER);
}

/** Make up's name space (shared with every process it forks) the one above. */
export function gotestns(up: Proc, root: string | null): void {
  if (root) zoneinfo(up, root);
}
