// The Go toolchain in the guest (bin/gotool.ts): cmd/go, cmd/pprof and cmd/gofmt
// cross-built for plan9/386 by the pinned Go with `p9emu gotool go pprof gofmt` into
// .cache/xdg/p9emu/gotool/<release>/ (once; later runs reuse it), then run as
// $GOROOT/bin/go through go_plan9_386_exec, which binds it there. No
// compiler: a guest `go build` compiles the runtime inside the emulator,
// which takes minutes (README, "The Go toolchain in the guest").

import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, fixture, skipWithoutGo } from './gobuild.ts';
import { pinGo } from '../kit/gopin.ts';

const T = 120_000;

// The test's toolchain lives in the repository's .cache, not the user's:
// a cached toolchain changes what Go's tests that look for $GOROOT/bin/go
// do under go_plan9_386_exec, so the suite must not leave one behind.
const ENV: NodeJS.ProcessEnv = { ...process.env, GOFLAGS: '', XDG_CACHE_HOME: join(REPO, '.cache/xdg') };
delete ENV.GOCACHE;

/** A command's stdout and stderr, without blocking the test worker. */
function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { env: ENV });
    let stdout = '', stderr = '';
    c.stdout.on('data', (b) => (stdout += b));
    c.stderr.on('data', (b) => (stderr += b));
    c.on('error', reject);
    c.on('close', () => resolve({ stdout, stderr }));
  });
}

describe.skipIf(skipWithoutGo())("the guest's go command", () => {
  let root = '';
  let release = '';
  beforeAll(async () => {
    const pin = pinGo()!;
    root = pin.goroot;
    release = pin.release;
    // Asynchronous: a cold build takes a minute or more, and a worker that
    // blocks that long misses vitest's own calls ("Timeout calling onTaskUpdate").
    const r = await run(process.execPath, [join(REPO, 'bin/p9emu'), 'gotool', '--go', pin.go, 'go', 'pprof', 'gofmt']);
    expect(r.stderr).toMatch(new RegExp(`^p9emu gotool: (built (go )?(pprof )?(gofmt )?for|${release}: already built)`));
    expect(r.stdout).toBe(`${join(REPO, '.cache/xdg/p9emu/gotool', release)}\n`);
  }, 600_000);

  /** PROG ARGS in the guest, from the repository's directory, with no GOCACHE of the host's. */
  const guest = (prog: string, ...args: string[]) =>
    spawnSync(process.execPath, [join(REPO, 'bin/go_plan9_386_exec'), prog, ...args], {
      cwd: REPO, encoding: 'utf8', timeout: T, env: { ...ENV, GOROOT: root },
    });
  /** $GOROOT/bin/go ARGS in the guest. */
  const go = (...args: string[]) => guest(join(root, 'bin/go'), ...args);

  it('go version names the pinned release and plan9/386', () => {
    const r = go('version');
    expect(r.stdout).toBe(`go version ${release} plan9/386\n`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, T);

  it('$path starts with $GOROOT/bin, as go test sets it on Plan 9: a program finds the guest\'s go by name', () => {
    expect(guest(fixture('env'), 'path').stdout.split('\n')[0]).toBe(`path="${join(root, 'bin')}\\x00/bin" true`);
    expect(guest(fixture('exec'), 'go', 'version').stdout).toBe(`stdout "go version ${release} plan9/386\\n"\nstatus ok 0 exit status: \n`);
  }, T);

  it('go tool pprof runs the guest\'s pprof, as runtime\'s TestMemPprof does', () => {
    const r = go('tool', 'pprof', '-h');
    expect(r.stderr).toContain('pprof <format> [options] [binary] <source> ...');
    expect(r.status).toBe(0);
  }, T);

  it('gofmt is in $GOROOT/bin, as internal/platform\'s TestGenerated finds it by $path, and formats', () => {
    const src = 'test/fixtures/go/hello/main.go';
    expect(guest(fixture('exec'), 'gofmt', '-l', src).stdout).toBe('stdout ""\nstatus ok 0 exit status: \n');
    const r = guest(join(root, 'bin/gofmt'), '-d', src);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  }, T);

  it('go env: GOOS plan9, GOARCH 386, GOROOT the host\'s, its tools in $GOROOT/pkg/tool/plan9_386, a cache in the guest\'s /tmp', () => {
    const r = go('env', 'GOOS', 'GOARCH', 'GOROOT', 'GOTOOLDIR', 'GOCACHE');
    expect(r.stdout).toBe(`plan9\n386\n${root}\n${join(root, 'pkg/tool/plan9_386')}\n/tmp/go-build\n`);
    expect(r.status).toBe(0);
  }, T);
});
