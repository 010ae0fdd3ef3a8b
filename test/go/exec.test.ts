// exec and await: Go's os/exec starting another Go binary found under
// --root, with stdin, stdout, stderr and the exit status as Plan 9 gives
// them (await's %q-quoted 'text pid: status').

import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { REPO, fixture, skipWithoutGo } from './gobuild.ts';
import { runGo } from './rungo.ts';
import { MEMDEFAULT } from '../../emu/port/vmem.ts';

const T = 60_000;

describe.skipIf(skipWithoutGo())('os/exec under the kernel', () => {
  let root = '';
  let execbin = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'p9emu-exec-'));
    mkdirSync(join(root, 'bin'));
    for (const n of ['echo', 'exit', 'panic']) copyFileSync(fixture(n), join(root, 'bin', n));
    execbin = fixture('exec');
    writeFileSync(join(root, 'bin/notaout'), 'just text\n');
    chmodSync(join(root, 'bin/notaout'), 0o755);
    writeFileSync(join(root, 'bin/script'), '#!/bin/echo -x\nignored\n');
    chmodSync(join(root, 'bin/script'), 0o755);
  }, 300_000);
  const opts = () => ({ root: { dir: root, writable: false } });

  it('runs a child, feeds its stdin, reads its stdout; success is an empty status', async () => {
    const r = await runGo(execbin, ['/bin/echo', 'a', 'b c'], opts());
    expect(r.stdout).toBe('stdout "args: a b c\\nfrom parent\\n"\nstatus ok 0 exit status: \n');
    expect(r.code).toBe(0);
  }, T);

  it("a child's exit status comes back through await as 'name pid: status'", async () => {
    const r = await runGo(execbin, ['/bin/exit', '3'], { ...opts(), traced: true });
    const child = r.events.find((e) => e.kind === 'proc' && e.what === 'exec' && e.detail === '"/bin/exit"');
    expect(child).toBeDefined();
    expect(r.stdout).toBe(`stdout "exiting with 3\\n"\nstatus 1 exit status: 'exit ${child.pid}: 3'\n`);
  }, T);

  it("a panicking child: its stderr, and status '2'", async () => {
    const r = await runGo(execbin, ['/bin/panic'], { ...opts(), traced: true });
    const child = r.events.find((e) => e.kind === 'proc' && e.what === 'exec' && e.detail === '"/bin/panic"');
    expect(r.stdout).toBe(`stdout "before panic\\n"\nstderr first line "panic: boom"\nstatus 1 exit status: 'panic ${child.pid}: 2'\n`);
  }, T);

  it('errors come back from the child through the close-on-exec pipe, spelled as 4e does', async () => {
    let r = await runGo(execbin, ['/bin/nothere'], opts());
    expect(r.stdout).toBe("stdout \"\"\nerror fork/exec /bin/nothere: '/bin/nothere' file does not exist\n");
    r = await runGo(execbin, ['/dev/sysstat'], opts());
    expect(r.stdout).toBe("stdout \"\"\nerror fork/exec /dev/sysstat: '/dev/sysstat' permission denied\n");
    r = await runGo(execbin, ['/bin/notaout'], opts());
    expect(r.stdout).toBe('stdout ""\nerror fork/exec /bin/notaout: exec header invalid\n');
  }, T);

  it('#! runs the interpreter with the script path and the arguments', async () => {
    const r = await runGo(execbin, ['/bin/script', 'arg1'], opts());
    expect(r.stdout).toBe('stdout "args: -x /bin/script arg1\\nfrom parent\\n"\nstatus ok 0 exit status: \n');
  }, T);
});

describe.skipIf(skipWithoutGo())('nested exec', () => {
  it('an exec\'d Go program starts another one in turn', async () => {
    const root = mkdtempSync(join(tmpdir(), 'p9emu-text-'));
    mkdirSync(join(root, 'bin'));
    copyFileSync(fixture('exec'), join(root, 'bin', 'exec'));
    copyFileSync(fixture('echo'), join(root, 'bin', 'echo'));
    // exec runs /bin/exec again, which runs /bin/echo: the middle one reads its own text.
    // Three Go runtimes at once come within ~50 MB of --mem's default 1 GiB, which counts segment sizes (each
    // heap's brk, 16 MiB of stack for each of the 13 processes), and how many Ms each starts depends on timing:
    // room to spare, so the test is of exec alone.
    const r = await runGo(join(root, 'bin/exec'), ['/bin/exec', '/bin/echo', 'x'], { root: { dir: root, writable: false }, mem: 2 * MEMDEFAULT });
    expect(r.stdout).toContain('args: x');
    expect(r.code).toBe(0);
  }, T);
});

describe.skipIf(skipWithoutGo())('go_plan9_386_exec: Go runtimes started together', () => {
  // As os's TestKillStartProcess does with its test binary: the children,
  // Go runtimes waiting on stdin, are in /proc until killed. With --mem's
  // 1 GiB (segment sizes counted whole, each Go 1.19 heap's brk near
  // 270 MB), Go 1.19's second child could not start an M ('newosproc:
  // rfork failed', exit 2) and was gone from /proc when killed: 'open
  // /proc/N/note: '/proc/N' file does not exist'. go_plan9_386_exec gives
  // 4 GiB unless P9EMU_FLAGS says otherwise.
  it('four copies of a Go program, started in turn, are each killed through /proc/N/note and waited for', () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.P9EMU_FLAGS;
    const r = spawnSync(process.execPath, [join(REPO, 'bin/go_plan9_386_exec'), fixture('kill'), '4'], {
      cwd: REPO, encoding: 'utf8', timeout: 4 * T, env,
    });
    expect(r.stdout).toBe([0, 1, 2, 3].map((i) => `child ${i}: killed, wait error true\n`).join(''));
    expect(r.status).toBe(0);
  }, 4 * T);
});
