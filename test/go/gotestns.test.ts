// What go_plan9_386_exec binds over the host's tree for Go's tests
// (bin/go_plan9_386_ns.ts): the synthetic /lib/ndb, a Plan 9 /bin/pwd,
// and, in zoneinfo.test.ts, $GOROOT/lib/time/zoneinfo.zip. Then the tests
// of Go's os and time packages that need them, run as go test runs them.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, fixture, skipWithoutGo, stdTest } from './gobuild.ts';
import { goroot, HOSTCERTS } from '../../bin/go_plan9_386_ns.ts';
import { existsSync } from 'node:fs';
import { pinMinor } from '../kit/gopin.ts';

const T = 120_000;

/** Run go_plan9_386_exec in dir, with PWD naming it as go test sets it. */
function exec(args: string[], dir = REPO) {
  return spawnSync(process.execPath, [join(REPO, 'bin/go_plan9_386_exec'), ...args], {
    cwd: dir, encoding: 'utf8', timeout: T, env: { ...process.env, PWD: dir },
  });
}

describe.skipIf(skipWithoutGo())("go_plan9_386_exec's name space", () => {
  it('/lib/ndb/common and /lib/ndb/local are there, as on every Plan 9 system', () => {
    const file = (n: string) => readFileSync(join(REPO, 'plan9/lib/ndb', n), 'utf8');
    const r = exec([fixture('readfile'), '/lib/ndb/common', '/lib/ndb/local']);
    expect(r.stdout).toBe(
      `/lib/ndb/common: ${file('common').length} bytes, size ${file('common').length}, mode -rw-r--r--\n${file('common')}` +
        `/lib/ndb/local: ${file('local').length} bytes, size ${file('local').length}, mode -rw-r--r--\n${file('local')}`,
    );
    expect(r.status).toBe(0);
  }, T);

  it('/sys/lib/tls/ca.pem is there, as on every Plan 9 install: the host\'s CA bundle', () => {
    const host = HOSTCERTS.find((f) => existsSync(f));
    const pem = host ? readFileSync(host, 'utf8') : '';
    const r = exec([fixture('readfile'), '/sys/lib/tls/ca.pem']);
    expect(r.stdout).toBe(`/sys/lib/tls/ca.pem: ${Buffer.byteLength(pem)} bytes, size ${Buffer.byteLength(pem)}, mode -rw-r--r--\n${pem}`);
    expect(r.status).toBe(0);
  }, T);

  it('/bin holds Plan 9 programs only: exec.LookPath does not find the host\'s sh', () => {
    const r = exec([fixture('exec'), 'sh']);
    expect(r.stdout).toBe('stdout ""\nerror exec: "sh": executable file not found in $path\n');
  }, T);

  it('/bin/pwd is a Plan 9 pwd: it prints the directory it was started in', () => {
    const out = (dir: string, prog: string) => exec([fixture('exec'), prog], dir).stdout.split('\n')[0];
    expect(out('/usr/share', 'pwd')).toBe('stdout "/usr/share\\n"');
    expect(out('/', '/bin/pwd')).toBe('stdout "/\\n"');
  }, T);
});

describe.skipIf(skipWithoutGo())("Go's own tests that need those files", () => {
  const pkgtest = (pkg: string, run: string) => exec([stdTest(pkg), '-test.short', '-test.v', '-test.run', run], join(goroot()!, 'src', pkg));

  it('os: TestStat, TestFstat, TestLstat, TestFileReaddirnames, TestOpenError (/lib/ndb), TestStartProcess (/bin/pwd), TestOpenFileLimit (Go 1.19 only: later releases dropped it)', () => {
    const tests = ['TestStat', 'TestFstat', 'TestLstat', 'TestFileReaddirnames', 'TestOpenError', 'TestStartProcess'];
    if (pinMinor() < 20) tests.push('TestOpenFileLimit');
    const r = pkgtest('os', `^(${tests.join('|')})$`);
    for (const t of tests) expect(r.stdout).toContain(`--- PASS: ${t} `);
    expect(r.stdout).toMatch(/\nPASS\n$/);
    expect(r.status).toBe(0);
  }, 300_000);

  it('time: the zones of ../../lib/time/zoneinfo.zip equal time/tzdata\'s (TestLoadLocationFromTZData, TestEmbeddedTZData)', () => {
    const r = pkgtest('time', '^(TestLoadLocationFromTZData|TestEmbeddedTZData)$');
    expect(r.stdout).toContain('--- PASS: TestLoadLocationFromTZData ');
    expect(r.stdout).toContain('--- PASS: TestEmbeddedTZData ');
    expect(r.status).toBe(0);
  }, 300_000);
});
