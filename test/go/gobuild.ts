// Building the Go fixtures (test/fixtures/go/<name>/) and Go's own test
// binaries for plan9/386 with the pinned Go (test/kit/gopin.ts), cached by
// content hash under .cache/fixtures/<hash>/ so a second run does not
// rebuild. Shared by the tests in test/go and by bench/go.ts.
//
// Without the pinned Go: under CI=true the tests must fail, otherwise they
// skip with a message.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goPackage, pinGo, pinVersion } from '../kit/gopin.ts';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = join(REPO, 'test/fixtures/go');
const CACHE = join(REPO, '.cache/fixtures');

/** The go command's environment, taken when it runs: after pinGo has put the pinned release first on PATH (bench/ imports this file before pinning). */
const env = () => ({ ...process.env, GOOS: 'plan9', GOARCH: '386', CGO_ENABLED: '0', GOFLAGS: '' });

let goVersionCache: string | null | undefined;

/** `go version` output of the pinned Go, or null when it is not installed. */
export function goVersion(): string | null {
  if (goVersionCache !== undefined) return goVersionCache;
  const pin = pinGo();
  try {
    goVersionCache = pin && execFileSync(pin.go, ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    goVersionCache = null;
  }
  return goVersionCache;
}

const INSTALL = () => `apt-get install ${goPackage(pinVersion())}`;

/** True under CI=true: a missing go is a failure there, not a skip. */
export const CI = process.env.CI === 'true';

/** Skip (outside CI only) when go is missing; prints why once. */
export function skipWithoutGo(): boolean {
  if (goVersion() !== null || CI) return false;
  if (!warned) {
    warned = true;
    process.stderr.write(`test/go: the pinned Go is not installed: skipping the Go tests (${INSTALL()}; under CI=true they fail)\n`);
  }
  return true;
}
let warned = false;

function hash(parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(typeof p === 'string' ? p : Buffer.from(p));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

function requireGo(): string {
  const v = goVersion();
  if (v === null) throw new Error(`the pinned Go is not installed (${INSTALL()}): cannot build the plan9/386 Go fixtures`);
  return v;
}

/** Build into dir/name through a temporary name, so parallel builders never see half a file. */
function buildInto(dir: string, name: string, args: string[], cwd: string): string {
  const out = join(dir, name);
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  let said: string;
  try {
    said = execFileSync('go', [...args.slice(0, 1), '-o', tmp, ...args.slice(1)], { cwd, env: env(), stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (e) {
    rmSync(tmp, { force: true });
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`go ${args.join(' ')}: ${err.stderr?.toString() || err.message}`);
  }
  // go test -c writes nothing for a package with no tests on plan9/386 ("[no test files]").
  if (!existsSync(tmp)) throw new Error(`go ${args.join(' ')}: no binary: ${said.trim() || 'nothing to build'}`);
  renameSync(tmp, out);
  return out;
}

/** The plan9/386 binary of fixture `name` (test/fixtures/go/<name>/*.go). */
export function fixture(name: string): string {
  const v = requireGo();
  const src = join(FIXTURES, name);
  const files = readdirSync(src).filter((f) => f.endsWith('.go')).sort();
  if (files.length === 0) throw new Error(`no Go files in ${src}`);
  const key = hash([v, 'plan9/386', name, ...files.flatMap((f) => [f, readFileSync(join(src, f))])]);
  return buildInto(join(CACHE, key), name, ['build', ...files], src);
}

/** `go test -c PKG` for plan9/386: Go's own tests of a standard package. */
export function stdTest(pkg: string): string {
  const v = requireGo();
  const key = hash([v, 'plan9/386', 'test', pkg]);
  return buildInto(join(CACHE, key), `${pkg.replace(/\//g, '_')}.test`, ['test', '-c', pkg], REPO);
}
