// Which Go builds the plan9/386 fixtures. The tests compare against what one
// release does (its assembler's bytes, its runtime's stubs, its runtime's
// behaviour under notes), so they never take whatever `go` happens to be
// first on PATH: a new Go release on the machine must not change the suite.
//
// The pin is a Go minor version (default 1.19, P9EMU_GO_VERSION to choose
// another). Its toolchain is found at Debian's place for it
// (/usr/lib/go-1.NN/bin/go), or as the `go` on PATH when that is the same
// release (the machine's own /usr/local/go). pinGo() puts that toolchain
// first on PATH and sets GOROOT for this process and every child it
// starts: the go command, and go_plan9_386_exec, which reads GOROOT.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

export const DEFAULT_GO = '1.19';

/**
 * The releases the real-Go tests (test/go) run with, one run each
 * (scripts/test.mjs sets P9EMU_GO_VERSION): Debian's 1.19 and 1.23
 * (golang-1.19-go, golang-1.23-go from bookworm-backports) and the
 * machine's own 1.26. Everything else stays pinned to DEFAULT_GO.
 */
export const GO_VERSIONS = ['1.19', '1.23', '1.26'] as const;

export interface GoPin {
  version: string;   // "1.19"
  go: string;        // the go command's path
  goroot: string;
  release: string;   // `go version`'s third word: "go1.19.8"
}

/** PATH as this process started, before pinGo put the pinned release first: where the machine's own `go` is found. */
const HOSTPATH = process.env.PATH;

function run(go: string, args: string[], env: NodeJS.ProcessEnv): string | null {
  try {
    return execFileSync(go, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** The toolchain of Go minor version `version`, or null when the machine has none. */
export function findGo(version: string, env: NodeJS.ProcessEnv = process.env): GoPin | null {
  // GOTOOLCHAIN=local: never let a go.mod or GOTOOLCHAIN switch releases underneath us.
  const clean: NodeJS.ProcessEnv = { ...env, GOTOOLCHAIN: 'local', PATH: env === process.env ? HOSTPATH : env.PATH };
  delete clean.GOROOT;
  const candidates = [join(`/usr/lib/go-${version}`, 'bin', 'go'), 'go'];
  for (const go of candidates) {
    if (go !== 'go' && !existsSync(go)) continue;
    const release = run(go, ['env', 'GOVERSION'], clean);
    if (release === null || !(release === `go${version}` || release.startsWith(`go${version}.`))) continue;
    const goroot = run(go, ['env', 'GOROOT'], clean);
    if (!goroot) continue;
    return { version, go: go === 'go' ? join(goroot, 'bin', 'go') : go, goroot, release };
  }
  return null;
}

/** The Debian package that carries Go minor version `version`. */
export function goPackage(version: string): string {
  return `golang-${version}-go`;
}

/** The pinned Go minor version: P9EMU_GO_VERSION, else DEFAULT_GO. */
export function pinVersion(): string {
  return process.env.P9EMU_GO_VERSION || DEFAULT_GO;
}

/** The pinned release's minor number (19 for 1.19), for expectations that differ by release. */
export function pinMinor(): number {
  return Number(pinVersion().split('.')[1]);
}

/** The pinned Go's GOROOT, or null when it is not installed. */
export function goroot(): string | null {
  return pinGo()?.goroot ?? null;
}

let pinned: GoPin | null | undefined;

/**
 * Pin this process (and its children) to the fixtures' Go: PATH, GOROOT,
 * GOTOOLCHAIN=local. Returns the pin, or null when that release is not
 * installed (then PATH is left alone and the Go tests skip, or fail under CI).
 */
export function pinGo(): GoPin | null {
  if (pinned !== undefined) return pinned;
  pinned = findGo(pinVersion());
  if (pinned) {
    process.env.PATH = `${dirname(pinned.go)}${delimiter}${process.env.PATH ?? ''}`;
    process.env.GOROOT = pinned.goroot;
    process.env.GOTOOLCHAIN = 'local';
  }
  return pinned;
}
