// p9emu run end to end, through the built CLI as a user runs it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

function p9emu(args: string[], input = '') {
  const r = spawnSync('node', [join(root, 'bin/p9emu'), ...args], { cwd: root, input, encoding: 'buffer' });
  return { code: r.status, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString() };
}

beforeAll(() => {
  execFileSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
});

describe('p9emu run', () => {
  it('runs a .s program: its stdout byte for byte, exit code 0 for an empty exit string', () => {
    const r = p9emu(['run', 'test/prog/hello.s']);
    expect(r).toEqual({ code: 0, stdout: 'hello, world', stderr: '' });
  });

  it('says when it reached each stage of its start, and the CPU used and the page faults taken by then, with P9EMU_STARTUP_PROFILE=1, in order, at exit; the code cache is made, then used', () => {
    const cache = mkdtempSync(join(tmpdir(), 'p9emu-cache-'));
    const stages = (P9EMU_CODE_CACHE: string) => {
      const r = spawnSync('node', [join(root, 'bin/p9emu'), 'run', 'test/prog/hello.s'], { cwd: root, encoding: 'utf8', env: { ...process.env, P9EMU_STARTUP_PROFILE: '1', P9EMU_CODE_CACHE } });
      expect(r.stdout).toBe('hello, world');
      const lines = r.stderr.split('\n').filter(Boolean).map((l) => /^startup: +([0-9.]+) ms  \+ *([0-9.]+)  cpu +([0-9.]+)  \+ *([0-9.]+)  faults +(\d+)  \+ *(\d+)  (.*)$/.exec(l));
      for (const col of [1, 3, 5]) {
        const v = lines.map((m) => Number(m![col]));
        expect(v).toEqual([...v].sort((a, b) => a - b));
      }
      return lines.map((m) => m?.[7]);
    };
    const rest = ['bundle evaluated', 'run loaded', 'program loaded', 'unicorn loaded', 'booted', 'guest exited', 'exit'];
    expect(stages(cache)).toEqual(['launcher started', 'bundle compiled (code cache none yet)', ...rest]);
    expect(readdirSync(cache)).toEqual([expect.stringMatching(/^p9emu\.cjs-[0-9a-f]{8}-\d+-\d+-node.*-run\.v8$/)]);
    expect(stages(cache)).toEqual(['launcher started', 'bundle compiled (code cache used)', ...rest]);
    expect(stages('off')).toEqual(['launcher started', 'bundle compiled (code cache off)', ...rest]);
  });

  it("loads koffi without node's ES module resolver (koffi's package.json has exports), and with stdin /dev/null no process.stdin (a file stream)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'p9emu-modules-'));
    const preload = join(dir, 'modules.cjs');
    writeFileSync(preload, "process.on('exit', () => require('node:fs').writeSync(2, process.moduleLoadList.filter((m) => /esm\\/(resolve|get_format|package_config)|internal\\/fs\\/streams/.test(m)).join(' ')))");
    const r = spawnSync('node', ['-r', preload, join(root, 'bin/p9emu'), 'run', 'test/prog/hello.s'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect({ stdout: r.stdout, stderr: r.stderr }).toEqual({ stdout: 'hello, world', stderr: '' });
  });

  it("writes a guest's run's code cache again at the exit of a run of a guest that finds it over a minute old, with what that run compiled too", () => {
    const cache = mkdtempSync(join(tmpdir(), 'p9emu-cache-'));
    const env = { ...process.env, P9EMU_STARTUP_PROFILE: '1', P9EMU_CODE_CACHE: cache };
    const p9emu = (...args: string[]) => spawnSync('node', [join(root, 'bin/p9emu'), ...args], { cwd: root, encoding: 'utf8', env });
    const compiled = (stderr: string) => /bundle compiled \((.*)\)/.exec(stderr)?.[1];
    expect(compiled(p9emu('run', 'test/prog/hello.s').stderr)).toBe('code cache none yet');
    const [file] = readdirSync(cache);
    const at = join(cache, file!);
    const first = statSync(at).size;
    const then = new Date(Date.now() - 120_000);
    utimesSync(at, then, then);
    // Another program: more of the kernel's code runs (rfork, wait).
    expect(compiled(p9emu('run', 'test/prog/rfork.s').stderr)).toBe('code cache used, written again');
    expect(statSync(at).mtimeMs).toBeGreaterThan(then.getTime() + 60_000);
    expect(statSync(at).size).toBeGreaterThan(first);
    expect(compiled(p9emu('run', 'test/prog/hello.s').stderr)).toBe('code cache used');
    expect(readdirSync(cache)).toEqual([file]);
  });

  it('exits quietly when its stdout is a pipe closed before it writes', async () => {
    const c = spawn('node', [join(root, 'bin/p9emu'), '--help'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout.destroy(); // long before node has started
    let stderr = '';
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => c.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it("replaces a code cache made by a command that runs no guest with a guest's run's", () => {
    const cache = mkdtempSync(join(tmpdir(), 'p9emu-cache-'));
    const env = { ...process.env, P9EMU_STARTUP_PROFILE: '1', P9EMU_CODE_CACHE: cache };
    const p9emu = (...args: string[]) => spawnSync('node', [join(root, 'bin/p9emu'), ...args], { cwd: root, encoding: 'utf8', env });
    const compiled = (stderr: string) => /bundle compiled \((.*)\)/.exec(stderr)?.[1];
    expect(p9emu('asm', '--help').status).toBe(0);
    const made = readdirSync(cache);
    expect(made).toEqual([expect.stringMatching(/^p9emu\.cjs-[0-9a-f]{8}-\d+-\d+-node.*\.v8$/)]);
    expect(made[0]).not.toMatch(/-run\.v8$/);
    expect(compiled(p9emu('run', 'test/prog/hello.s').stderr)).toBe('code cache partial');
    expect(readdirSync(cache)).toEqual([made[0]!.replace(/\.v8$/, '-run.v8')]);
    expect(compiled(p9emu('run', 'test/prog/hello.s').stderr)).toBe('code cache used');
    // A command that runs no guest reads the run's cache and writes none.
    expect(compiled(p9emu('asm', '--help').stderr)).toBe('code cache used');
    expect(readdirSync(cache)).toEqual([made[0]!.replace(/\.v8$/, '-run.v8')]);
  });

  it('maps a decimal exit string to the exit code and prints other exit strings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p9emu-'));
    const src = join(dir, 'three.s');
    writeFileSync(src, `#include "${join(root, 'asm/sys_plan9_386.s')}"
DATA s<>+0(SB)/4, $"3\\x00\\x00\\x00"
GLOBL s<>(SB), $4
TEXT _main(SB), 7, $4
	MOVL	$s<>(SB), AX
	MOVL	AX, 0(SP)
	CALL	runtime·exits(SB)
	RET
`);
    expect(p9emu(['run', src])).toEqual({ code: 3, stdout: '', stderr: 'p9emu: exits: 3\n' });
    const f = p9emu(['run', 'test/prog/fault.s', 'd']);
    expect(f.code).toBe(1);
    // The kernel's pprint, the post-mortem view (test/debug/postmortem.test.ts), the exit string.
    expect(f.stderr).toMatch(/^fault 1: suicide: sys: trap: divide error pc=0x[0-9a-f]{8}\np9emu: post-mortem:\nfault 1: sys: trap: divide error pc=0x[0-9a-f]{8}\n(.*\n)+p9emu: exits: sys: trap: divide error pc=0x[0-9a-f]{8}\n$/);
  });

  it('traces system calls and notes on stderr with --trace', () => {
    const r = p9emu(['run', '--trace', 'sys,notes', 'test/prog/notes.s', 'n']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\b[Oo]pen\b.*\/proc\/1\/note/);
    expect(r.stderr).toMatch(/note post "boom"/);
    expect(r.stderr).toContain('p9emu: exits: boom');
  });

  it('--trace-out writes every event to the file, past its 64 KiB buffer and to the end', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p9emu-'));
    const src = join(dir, 'calls.s');
    // 3000 sysr1 calls (~450 KiB of JSONL), then exits(nil).
    writeFileSync(src, `TEXT _main(SB), 7, $8
	MOVL	$3000, BX
loop:
	MOVL	$0, AX
	INT	$64
	DECL	BX
	JNE	loop
	MOVL	$0, 0(SP)
	MOVL	$8, AX
	INT	$64
	RET
`);
    const out = join(dir, 'trace.jsonl');
    const r = p9emu(['run', '--trace', 'sys', '--trace-format', 'jsonl', '--trace-out', out, src]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const events = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { kind: string; name: string });
    expect(events.filter((e) => e.kind === 'sys' && e.name === 'sysr1')).toHaveLength(3000);
    expect(events.at(-1)).toMatchObject({ name: 'exits' });
  });

  it('kills a runaway guest that never enters the kernel after --timeout', () => {
    const t0 = Date.now();
    const r = p9emu(['run', '--timeout', '0.3', 'test/prog/spin.s']);
    expect(r).toEqual({ code: 124, stdout: '', stderr: 'p9emu: timeout: killed after 0.3 s\np9emu: exits: Killed\n' });
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('gives one-line errors: runtime errors status 1, usage errors status 2, never Node errno text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p9emu-'));
    const bad = join(dir, 'bad.out');
    writeFileSync(bad, Buffer.from([0, 0, 1, 0xeb, 0, 0]));
    const worse = join(dir, 'worse.s');
    writeFileSync(worse, 'TEXT _main(SB), 7, $0\n\tFOO AX\n');
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    const hello = 'test/prog/hello.s';
    for (const [args, code, pattern] of [
      [['run', join(dir, 'nope')], 1, /^p9emu: .*nope: file does not exist\n$/],
      [['run', bad], 1, /^p9emu: .*bad\.out: is not a valid Plan 9 386 a\.out \(truncated header: 6 bytes, need 32\)\n$/],
      [['run', worse], 1, /^p9emu: .*worse\.s:2: unknown instruction FOO\n$/],
      [['run', empty], 1, /^p9emu: .*empty: is empty, not a Plan 9 a\.out\n$/],
      [['run', process.execPath], 1, /^p9emu: .*: is an ELF file, not a Plan 9 a\.out\n$/],
      [['run', dir], 1, /^p9emu: .*: is a directory, not a Plan 9 a\.out\n$/],
      [['run', '--trace', 'sys', '--trace-out', join(dir, 'no/such'), hello], 1, /^p9emu: --trace-out: .*no\/such: file does not exist\n$/],
      [['run', '--kernel', 'plan10', 'x'], 2, /^p9emu run: --kernel: 'plan10' is not 4e or 9front\n$/],
      [['run', '--root', empty, hello], 2, /^p9emu run: --root: .*empty: not a directory\n$/],
      [['run', '--root', join(dir, 'nope'), hello], 2, /^p9emu run: --root: .*nope: file does not exist\n$/],
      [['run', '--trace', 'insn', '--insn-range', '2000-1000', hello], 2, /^p9emu run: --insn-range: '2000-1000' ends before it starts\n$/],
      [['run', '--trace', 'insn', '--insn-range', 'nosuch', hello], 2, /^p9emu run: --insn-range: 'nosuch' is neither a text symbol nor ADDR-ADDR\n$/],
      [['run', '--trace-syscalls', 'open,opne', hello], 2, /^p9emu run: --trace-syscalls: no system call 'opne'\n$/],
      [['run', '--fail-syscall', 'opne@1:x', hello], 2, /^p9emu run: --fail-syscall: no system call 'opne'\n$/],
      [['run', '--trace', 'insn', '--trace-format', 'perfetto', hello], 2, /^p9emu run: --trace insn: the perfetto format has no instruction view/],
    ] as const) {
      const r = p9emu([...args]);
      expect(r.stderr).toMatch(pattern);
      expect(r.code).toBe(code);
      expect(r.stderr).not.toMatch(/\n\s+at |E[A-Z]{3,}|lstat|open '/);
    }
  });
});
