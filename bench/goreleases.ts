// Which Go releases run on Plan 9: hello and os/signal's own tests, built
// by each release (the go command's toolchain switching, GOTOOLCHAIN=goX.Y.Z,
// which fetches golang.org/toolchain through the module proxy once and
// keeps it in the module cache), run under both kernels.
//
//   npx tsx bench/goreleases.ts [--timeout S] [RELEASE...]
//
// Prints a Markdown table for the README: release, kernel, hello's
// result, signal.test -test.short's result, and for a failure its last
// line of stderr. Binaries are kept under .cache/goreleases/<release>/.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(REPO, '.cache/goreleases');
export const RELEASES = ['go1.21.13', 'go1.22.12', 'go1.23.6', 'go1.23.12', 'go1.24.0', 'go1.24.13', 'go1.25.14', 'go1.26.11'];
const KERNELS = ['4e', '9front'];

/** The go command's environment for release r, cross-compiling for plan9/386. */
function goenv(r: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GOTOOLCHAIN: r, GOOS: 'plan9', GOARCH: '386', CGO_ENABLED: '0', GOFLAGS: '' };
  delete env.GOROOT;
  return env;
}

function build(r: string, out: string, args: string[], cwd: string): string | null {
  const bin = join(CACHE, r, out);
  if (existsSync(bin)) return bin;
  mkdirSync(join(CACHE, r), { recursive: true });
  try {
    execFileSync('go', [args[0]!, '-o', bin, ...args.slice(1)], { cwd, env: goenv(r), stdio: ['ignore', 'pipe', 'pipe'] });
    return bin;
  } catch (e) {
    process.stderr.write(`${r}: go ${args.join(' ')}: ${String((e as { stderr?: Buffer }).stderr ?? e).trim().split('\n').pop()}\n`);
    return null;
  }
}

interface Outcome {
  ok: boolean;
  why: string;
}

function run(bin: string, kernel: string, args: string[], timeoutS: number, ok: (out: string) => boolean): Outcome {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/p9emu'), 'run', '--kernel', kernel, '--cpus', '4', '--timeout', String(timeoutS),
    '--env', 'GO_TEST_TIMEOUT_SCALE=5', bin, ...args], { encoding: 'utf8', timeout: (timeoutS + 60) * 1000 });
  if (r.status === 0 && ok(r.stdout)) return { ok: true, why: '' };
  const lines = r.stderr.split('\n').filter((l) => l && !l.startsWith('p9emu: exits:'));
  const first = lines.find((l) => /suicide|fatal error|panic:|lockVerifyMSize|timeout/.test(l)) ?? lines[lines.length - 1] ?? `exit ${r.status}`;
  return { ok: false, why: first.slice(0, 140) };
}

async function main(argv: string[]): Promise<void> {
  let timeoutS = 60;
  const rels: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--timeout') timeoutS = Number(argv[++i]);
    else rels.push(argv[i]!);
  }
  const rows = ['| release | kernel | hello | os/signal `-test.short` | failure |', '| --- | --- | --- | --- | --- |'];
  for (const r of rels.length ? rels : RELEASES) {
    const hello = build(r, 'hello', ['build', 'main.go'], join(REPO, 'test/fixtures/go/hello'));
    const sig = build(r, 'signal.test', ['test', '-c', 'os/signal'], REPO);
    for (const k of KERNELS) {
      const h = hello ? run(hello, k, [], timeoutS, (o) => o === 'hello, world\n') : { ok: false, why: 'build failed' };
      const s = sig ? run(sig, k, ['-test.short', '-test.v'], timeoutS, (o) => /\nPASS\n$/.test(o)) : { ok: false, why: 'build failed' };
      const row = `| ${r} | ${k} | ${h.ok ? 'pass' : 'FAIL'} | ${s.ok ? 'pass' : 'FAIL'} | ${[h.why, s.why].filter(Boolean).join('; ').replace(/\|/g, '\\|')} |`;
      rows.push(row);
      process.stderr.write(`${row}\n`);
    }
  }
  console.log(rows.join('\n'));
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`goreleases: ${(e as Error).message}\n`);
  process.exit(1);
});
