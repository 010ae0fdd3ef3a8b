// The name space go_plan9_386_exec gives a test binary. The kernel's boot
// name space puts the host's / at / read-only, with /dev, /proc, /env, /fd
// and /tmp on top. Here the files a Plan 9 machine has and the host lacks
// are added with bind(2), as a profile would, from host directories the
// guest sees at the same paths:
//
//	bind $cache/bin/$key /bin	# pwd, from plan9/sys/src/cmd/pwd.s
//	bind -a $p9emu/plan9/lib /lib	# ndb/common, ndb/local: synthetic
//	bind -a $cache/sys/$key/sys /sys	# lib/tls/ca.pem: the host's CA bundle
//	bind -a $cache/goroot/$key $GOROOT	# lib/time/zoneinfo.zip
//	bind $cache/gotool/$release/bin $GOROOT/bin	# plan9/386 go, when built
//	bind -a $cache/gotool/$release/pkg/tool $GOROOT/pkg/tool	# plan9_386/compile, ...
//	bind -a $cache/gotool/$release/pkg $GOROOT/pkg	# plan9_386/*.a, before Go 1.20
//
// The last two only when `p9emu gotool` has built that toolchain
// (gotool.ts): $GOROOT/bin then holds the guest's go in place of the
// host's, which the guest could not run, and $GOROOT/pkg/tool gains
// plan9_386 beside the host's linux_amd64, as in a Plan 9 install.
//
// /bin is replaced, not unioned: on Plan 9 it holds Plan 9 programs only,
// and a host Linux executable found there by exec.LookPath would fail with
// 'exec header invalid' where Plan 9 finds nothing (internal/zstd's
// TestAlloc then skips, as it does on Plan 9).
//
// Each tree is bound on the deepest of its directories the host has, since
// a union is one level deep: bound on /, plan9/lib would hide behind the
// host's /lib.

import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Proc } from '../emu/port/proc.ts';
import { namec } from '../emu/port/chan.ts';
import { MAFTER, MREPL } from '../emu/port/union.ts';
import { assembleFile } from '../asm/asm.ts';
import { contentkey, hostcache } from './hostcache.ts';
import { TZDIR, tzdatakey, tzdatazip } from './tzdata.ts';
import { zipdata, zipdatafile } from './zipdata.ts';
import { plan9tree } from '../emu/plan9tree.ts';

const PLAN9 = plan9tree();

/** bind(2) for up, before it runs. */
function bind(up: Proc, name: string, old: string, flag: number): void {
  up.pgrp.mount(namec(up, name, 'bind'), namec(up, old, 'mount'), flag);
}

/** bind -a src/D dst/D, for D the longest prefix of the directories dirs that dst has on the host. */
function bindafter(up: Proc, src: string, dst: string, dirs: readonly string[]): void {
  let n = 0;
  while (n < dirs.length && existsSync(join(dst, ...dirs.slice(0, n + 1)))) n++;
  bind(up, join(src, ...dirs.slice(0, n)), join(dst, ...dirs.slice(0, n)), MAFTER);
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

/** $GOROOT/lib/time/zoneinfo.zip, when the host's GOROOT lacks it (Debian's golang packages leave it out). */
function zoneinfo(up: Proc, root: string): void {
  if (!existsSync(root) || existsSync(join(root, 'lib/time/zoneinfo.zip'))) return;
  const src = zoneinfosource(root);
  if (src) bindafter(up, hostcache('goroot', src.key, 'lib/time/zoneinfo.zip', src.make), root, ['lib', 'time']);
}

/**
 * A directory holding pwd, assembled from its source each run (5-15 ms)
 * and kept by the bytes made, so it is never stale.
 */
function pwdbin(): string {
  const src = join(PLAN9, 'sys/src/cmd/pwd.s');
  const r = assembleFile(src);
  if (!r.ok || !r.aout) throw new Error(`${src}: ${r.errors.join('; ')}`);
  const aout = r.aout;
  return hostcache('bin', contentkey([aout]), 'pwd', () => aout, 0o755);
}

/** The CA bundles of Linux distributions, as Go's crypto/x509 (root_linux.go) looks for them. */
export const HOSTCERTS = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

/**
 * A tree holding sys/lib/tls/ca.pem, the file Go's plan9 SystemCertPool reads
 * (crypto/x509/root_plan9.go) and every Plan 9 install has: the host's CA
 * bundle, the same kind of PEM list; empty when the host has none.
 */
function tlsroot(): string {
  const host = HOSTCERTS.find((f) => existsSync(f));
  const pem = host ? readFileSync(host) : new Uint8Array(0);
  return hostcache('sys', contentkey(['ca.pem', pem]), 'sys/lib/tls/ca.pem', () => pem);
}

/** Make up's name space (shared with every process it forks) the one above; gotool is the toolchain directory, if any. */
export function gotestns(up: Proc, root: string | null, gotool: string | null = null): void {
  bind(up, pwdbin(), '/bin', MREPL);
  bindafter(up, PLAN9, '/', ['lib', 'ndb']);
  bindafter(up, tlsroot(), '/', ['sys', 'lib', 'tls']);
  if (!root) return;
  zoneinfo(up, root);
  if (gotool) {
    if (existsSync(join(root, 'bin'))) bind(up, join(gotool, 'bin'), join(root, 'bin'), MREPL);
    else bindafter(up, gotool, root, ['bin']);
    if (existsSync(join(gotool, 'pkg', 'tool'))) bindafter(up, gotool, root, ['pkg', 'tool']);
    if (existsSync(join(gotool, 'pkg', 'plan9_386'))) bindafter(up, gotool, root, ['pkg']);
  }
}
