// Go's own tests: the os/signal test binary (go test -c) under the kernel,
// with and without -test.short, and go_plan9_386_exec, through which `go
// test` runs plan9/386 test binaries: arguments, stdin, stdout, stderr and
// exit status pass through exactly.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, fixture, skipWithoutGo, stdTest } from './gobuild.ts';
import { runGo } from './rungo.ts';
import { pinMinor } from '../kit/gopin.ts';

const T = 120_000;
const EXEC = join(REPO, 'bin/go_plan9_386_exec');

describe.skipIf(skipWithoutGo())("Go's os/signal tests", () => {
  let bin = '';
  beforeAll(() => {
    bin = stdTest('os/signal');
  }, 300_000);

  // Go 1.22 to 1.24: sighandler's lock2 on a contended sig.lock starts
  // lockTimer.begin, whose atomic.Load64 is MMX on 386; 1.25 on: unlock2
  // always calls mutexSampleContention, which does the same. Both inside
  // the note handler (docs/go-note-fp.md): Plan 9 kills that M with 'sys:
  // floating point in note handler' and the program hangs, as on a real
  // machine. With 1.25 on that is the first note sendNote handles; before,
  // it depends on the interleaving. The run is ended when that note kills
  // a process. (The release bounds are those of the two paths in Go's
  // sources; the suite runs 1.19, 1.23 and 1.26.)
  const minor = pinMinor();

  it.each([[['-test.v', '-test.short']], [['-test.v']]])(
    `signal.test %j ${minor >= 25 ? 'dies of Go\'s FP-in-note-handler bug' : minor >= 22 ? 'prints PASS and exits 0, or dies of Go\'s FP-in-note-handler bug' : 'prints PASS and exits 0'}`,
    async (args) => {
      // GO_TEST_TIMEOUT_SCALE is how Go's own slow builders stretch the test's
      // 100 ms settle time; the suite runs test files in parallel on 2 cores,
      // where TestStop was seen to miss it once in three full runs.
      const r = await runGo(bin, args, { ncpu: 4, env: { GO_TEST_TIMEOUT_SCALE: '5' } });
      const fp = r.fpnote;
      expect(r.stdout).toMatch(/^=== RUN   TestSignal\n/);
      if (minor >= 25 || (minor >= 22 && fp)) {
        expect(fp).toMatch(/^sys: floating point in note handler pc=0x[0-9a-f]{8}$/);
        expect(r.stderr).toContain(`suicide: ${fp}\n`);
        return;
      }
      expect(r.stdout).toContain('--- PASS: TestSignal');
      expect(r.stdout).toContain('--- PASS: TestStress');
      expect(r.stdout).toMatch(/\nPASS\n$/);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    },
    T,
  );
});

describe.skipIf(skipWithoutGo())('go_plan9_386_exec', () => {
  const run = (args: string[], input = '') =>
    spawnSync(process.execPath, [EXEC, ...args], {
      input, encoding: 'utf8', timeout: 60_000, env: { ...process.env, GO_TEST_TIMEOUT_SCALE: '5' },
    });

  it('runs a test binary the way go test does: output and status 0', () => {
    const r = run([stdTest('path'), '-test.short', '-test.run', '^TestClean$']);
    expect(r.stdout).toBe('PASS\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, T);

  it('passes arguments, stdin and stdout through byte for byte', () => {
    const r = run([fixture('echo'), 'one', 'two words'], 'stdin bytes\n\u00e9\n');
    expect(r.stdout).toBe('args: one two words\nstdin bytes\n\u00e9\n');
    expect(r.status).toBe(0);
  }, T);

  it('exit status: os.Exit(N) is N, a panic is 2 with the message on stderr', () => {
    const e = run([fixture('exit'), '42']);
    expect(e.stdout).toBe('exiting with 42\n');
    expect(e.status).toBe(42);
    const p = run([fixture('panic')]);
    expect(p.stdout).toBe('before panic\n');
    expect(p.stderr).toMatch(/^panic: boom\n/);
    expect(p.status).toBe(2);
  }, T);

  it('a missing binary is one line on stderr, status 1', () => {
    const r = run(['/nonexistent/x.test']);
    expect(r.stderr).toBe('go_plan9_386_exec: /nonexistent/x.test: file does not exist\n');
    expect(r.status).toBe(1);
  }, T);
});
