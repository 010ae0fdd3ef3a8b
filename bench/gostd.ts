// Which standard-library packages' own tests pass under p9emu.
//
//   npx tsx bench/gostd.ts [--timeout S] [--jobs N] [--full] [--std] [--no-rerun] [PKG...]
//
// Each package is built with `GOOS=plan9 GOARCH=386 go test -c` (cached
// under .cache/fixtures) and run through go_plan9_386_exec in the
// package's directory, as `go test` would, with -test.short unless
// --full, and killed after --timeout seconds (default 300). --std takes
// every package of `go list std` that has tests on plan9/386; the default
// is a fixed list of common ones. --jobs N runs N packages at once
// (default 1, as go test -p 1). A package that fails is run again alone
// afterwards (unless --no-rerun): one that passes then is a flake. The Go
// release is the pinned one (test/kit/gopin.ts: P9EMU_GO_VERSION=1.NN).
// Prints a Markdown table for the README: package, result, wall time,
// and for a failure the first failing test or the last line of output.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { REPO, goVersion, stdTest } from '../test/go/gobuild.ts';
import { goroot, pinGo } from '../test/kit/gopin.ts';

export const DEFAULT_PKGS = [
  'errors', 'sort', 'strconv', 'strings', 'bytes', 'unicode/utf8', 'unicode/utf16', 'math', 'math/bits',
  'container/list', 'container/ring', 'hash/crc32', 'hash/fnv', 'encoding/binary', 'encoding/hex',
  'encoding/base64', 'encoding/json', 'bufio', 'io', 'path', 'path/filepath', 'regexp', 'text/tabwriter',
  'flag', 'fmt', 'context', 'sync', 'sync/atomic', 'time', 'os', 'os/exec', 'os/signal', 'runtime',
  'syscall', 'net', 'net/url', 'crypto/rand', 'crypto/sha256', 'math/big', 'math/rand', 'reflect', 'io/fs',
  'io/ioutil', 'archive/zip', 'compress/gzip', 'log', 'text/template', 'runtime/debug', 'os/user', 'testing',
  'embed', 'mime', 'internal/poll',
];

/** Every package of `go list std` with test files on plan9/386 (vendored ones aside). */
export function stdPackages(): string[] {
  const pin = pinGo();
  if (!pin) throw new Error('the pinned Go is not installed');
  const out = execFileSync(pin.go, ['list', '-f', '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}', 'std'], {
    encoding: 'utf8', env: { ...process.env, GOOS: 'plan9', GOARCH: '386', CGO_ENABLED: '0' }, maxBuffer: 1 << 24,
  });
  return out.split('\n').filter((p) => p && !p.startsWith('vendor/'));
}

export interface PkgResult {
  pkg: string;
  result: 'pass' | 'FAIL' | 'timeout' | 'build' | 'flaky';
  seconds: number;
  why: string;
}


export async function runPkg(pkg: string, timeoutS: number, short: boolean): Promise<PkgResult> {
  let bin: string;
  try {
    bin = stdTest(pkg);
  } catch (e) {
    return { pkg, result: 'build', seconds: 0, why: String((e as Error).message).split('\n').slice(-2).join(' ').slice(0, 120) };
  }
  const args = [join(REPO, 'bin/go_plan9_386_exec'), bin, '-test.timeout', `${timeoutS}s`];
  if (short) args.push('-test.short');
  const t0 = Date.now();
  // As go test runs it (cmd/go/internal/test runTestActor): in the package
  // directory, with PWD naming it (base.AppendPWD), so that ../.. climbs
  // back to GOROOT and not along the host's symlinks.
  const cwd = join(goroot()!, 'src', pkg);
  const env = { ...process.env, PWD: cwd };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), (timeoutS + 30) * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const seconds = (Date.now() - t0) / 1000;
      if (code === 0 && /(^|\n)PASS\n/.test(out)) return resolve({ pkg, result: 'pass', seconds, why: '' });
      const lines = out.split('\n').filter(Boolean);
      const failed = lines.find((l) => l.startsWith('--- FAIL'));
      const panicked = lines.find((l) => l.startsWith('panic: ') || l.startsWith('fatal error: '));
      const timedOut = signal === 'SIGKILL' || /test timed out/.test(out);
      const why = (failed ?? panicked ?? lines[lines.length - 1] ?? `exit ${code}`).trim().slice(0, 120);
      resolve({ pkg, result: timedOut ? 'timeout' : 'FAIL', seconds, why });
    });
  });
}

export function table(rs: PkgResult[], short: boolean): string {
  const rows = rs.map((r) => `| \`${r.pkg}\` | ${r.result} | ${r.seconds.toFixed(1)} | ${r.why.replace(/\|/g, '\\|')} |`);
  return [
    `| package | go test${short ? ' -short' : ''} | seconds | reason (first failing test or last line) |`,
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  let timeoutS = 300;
  let jobs = 1;
  let short = true;
  let std = false;
  let rerun = true;
  const pkgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--timeout') timeoutS = Number(argv[++i]);
    else if (a === '--jobs') jobs = Number(argv[++i]);
    else if (a === '--full') short = false;
    else if (a === '--std') std = true;
    else if (a === '--no-rerun') rerun = false;
    else pkgs.push(a);
  }
  const list = pkgs.length ? pkgs : std ? stdPackages() : DEFAULT_PKGS;
  process.stderr.write(`gostd: ${list.length} packages, ${goVersion()}\n`);
  const results: PkgResult[] = new Array(list.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, jobs) }, async () => {
      for (let i = next++; i < list.length; i = next++) {
        results[i] = await runPkg(list[i]!, timeoutS, short);
        process.stderr.write(`${results[i]!.pkg}: ${results[i]!.result} (${results[i]!.seconds.toFixed(1)} s) ${results[i]!.why}\n`);
      }
    }),
  );
  // Failures again, one at a time with nothing beside them: a pass now is a flake.
  if (rerun) {
    for (let i = 0; i < results.length; i++) {
      const r = results[i]!;
      if (r.result === 'pass' || r.result === 'build') continue;
      const again = await runPkg(r.pkg, timeoutS, short);
      process.stderr.write(`${r.pkg} (alone): ${again.result} (${again.seconds.toFixed(1)} s) ${again.why}\n`);
      if (again.result === 'pass') results[i] = { ...r, result: 'flaky', why: `passed alone (${again.seconds.toFixed(1)} s); first: ${r.why}` };
    }
  }
  process.stdout.write(`${goVersion()}\n\n${table(results, short)}\n`);
  const pass = results.filter((r) => r.result === 'pass').length;
  process.stdout.write(`\n${pass} of ${results.length} packages pass.\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`gostd: ${e instanceof Error ? e.message : e}\n`);
    process.exit(1);
  });
}
