// Which standard-library packages' own tests pass under p9emu.
//
//   npx tsx bench/gostd.ts [--go 1.NN] [--timeout S] [--jobs N] [--full] [--std] [--no-rerun] [--out FILE] [PKG...]
//
// Each package is built with `GOOS=plan9 GOARCH=386 go test -c` (cached
// under .cache/fixtures) and run through go_plan9_386_exec in the
// package's directory, as `go test` would, with -test.short unless
// --full, and killed after --timeout seconds (default 300). --std takes
// every package of `go list std` that has tests on plan9/386; the default
// is a fixed list of common ones. --jobs N runs N packages at once
// (default 1, as go test -p 1). A package that fails is run again alone
// afterwards (unless --no-rerun): one that passes then is a flake. The Go
// release is the pinned one (test/kit/gopin.ts: P9EMU_GO_VERSION=1.NN,
// or --go 1.NN). --out FILE appends each package's result to FILE as a
// JSON line and, when FILE already holds results, runs only the packages
// it lacks: a whole-library run takes hours and can be resumed. A
// failure's whole output is kept in FILE.logs/.
// Prints a Markdown table for the README: package, result, wall time,
// and for a failure the first failing test or the last line of output.

import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
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
  /** The rerun alone of a failure that failed again: its result, seconds and reason. */
  alone?: string;
  /** The host's 1-minute load average when it finished. */
  load?: number;
}


/** The results FILE holds (one JSON PkgResult a line), by package; later lines win. */
export function readResults(file: string): Map<string, PkgResult> {
  const done = new Map<string, PkgResult>();
  if (!existsSync(file)) return done;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as PkgResult;
    done.set(r.pkg, r);
  }
  return done;
}

/** Run pkg's tests; when logdir is given, a failure's whole output is kept there as PKG.txt (slashes as _). */
export async function runPkg(pkg: string, timeoutS: number, short: boolean, logdir?: string): Promise<PkgResult> {
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
      const load = Number(loadavg()[0]!.toFixed(1));
      if (code === 0 && /(^|\n)PASS\n/.test(out)) return resolve({ pkg, result: 'pass', seconds, why: '', load });
      if (logdir) {
        mkdirSync(logdir, { recursive: true });
        writeFileSync(join(logdir, `${pkg.replace(/\//g, '_')}.txt`), out);
      }
      const lines = out.split('\n').filter(Boolean);
      const failed = lines.find((l) => l.startsWith('--- FAIL'));
      const panicked = lines.find((l) => l.startsWith('panic: ') || l.startsWith('fatal error: '));
      const timedOut = signal === 'SIGKILL' || /test timed out/.test(out);
      const why = (failed ?? panicked ?? lines[lines.length - 1] ?? `exit ${code}`).trim().slice(0, 120);
      resolve({ pkg, result: timedOut ? 'timeout' : 'FAIL', seconds, why, load });
    });
  });
}

export function table(rs: PkgResult[], short: boolean): string {
  const why = (r: PkgResult) => (r.alone ? `${r.why}; alone: ${r.alone}` : r.why).replace(/\|/g, '\\|');
  const rows = rs.map((r) => `| \`${r.pkg}\` | ${r.result} | ${r.seconds.toFixed(1)} | ${r.load ?? ''} | ${why(r)} |`);
  return [
    `| package | go test${short ? ' -short' : ''} | seconds | load | reason (first failing test or last line) |`,
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  let timeoutS = 300;
  let jobs = 1;
  let short = true;
  let std = false;
  let rerun = true;
  let out: string | null = null;
  const pkgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--timeout') timeoutS = Number(argv[++i]);
    else if (a === '--go') process.env.P9EMU_GO_VERSION = argv[++i];
    else if (a === '--out') out = argv[++i]!;
    else if (a === '--jobs') jobs = Number(argv[++i]);
    else if (a === '--full') short = false;
    else if (a === '--std') std = true;
    else if (a === '--no-rerun') rerun = false;
    else pkgs.push(a);
  }
  const list = pkgs.length ? pkgs : std ? stdPackages() : DEFAULT_PKGS;
  const done = out ? readResults(out) : new Map<string, PkgResult>();
  const logdir = out ? `${out}.logs` : undefined;
  const results: PkgResult[] = list.map((p) => done.get(p)!);
  const todo = list.flatMap((p, i) => (done.has(p) ? [] : [i]));
  process.stderr.write(`gostd: ${list.length} packages (${todo.length} to run), ${goVersion()}\n`);
  const record = (r: PkgResult) => {
    if (out) appendFileSync(out, `${JSON.stringify(r)}\n`);
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, jobs) }, async () => {
      for (let k = next++; k < todo.length; k = next++) {
        const i = todo[k]!;
        results[i] = await runPkg(list[i]!, timeoutS, short, logdir);
        record(results[i]!);
        process.stderr.write(`${results[i]!.pkg}: ${results[i]!.result} (${results[i]!.seconds.toFixed(1)} s) ${results[i]!.why}\n`);
      }
    }),
  );
  // Failures again, one at a time with nothing beside them: a pass now is a flake.
  if (rerun) {
    for (let i = 0; i < results.length; i++) {
      const r = results[i]!;
      if (r.result === 'pass' || r.result === 'build' || r.result === 'flaky' || r.alone) continue;
      const again = await runPkg(r.pkg, timeoutS, short, logdir);
      process.stderr.write(`${r.pkg} (alone): ${again.result} (${again.seconds.toFixed(1)} s) ${again.why}\n`);
      if (again.result === 'pass') results[i] = { ...r, result: 'flaky', why: `passed alone (${again.seconds.toFixed(1)} s); first: ${r.why}` };
      else results[i] = { ...r, alone: `${again.result} (${again.seconds.toFixed(1)} s) ${again.why}` };
      record(results[i]!);
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
