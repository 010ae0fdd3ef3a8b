// The gdb stub end to end: `p9emu run --gdb 0` as a user starts it, and
// Debian's gdb in batch mode attached over loopback. Under CI=true gdb must
// be installed (scripts/setup.sh); elsewhere these tests skip without it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CI, fixture, skipWithoutGo } from '../go/gobuild.ts';
import { assembleProg } from '../kit/runprog.ts';
import { parseAout } from '../../emu/aout.ts';
import { linetabAout } from '../kit/linetab.ts';

const syms = parseAout(assembleProg('dbg.s')).syms;
/** A symbol's address in dbg.s, as gdb prints it: 0x119d and 0x0000119d. */
const at = (name: string, off = 0) => (syms.find((x) => x.name === name)!.value + off).toString(16);
const at8 = (name: string, off = 0) => at(name, off).padStart(8, '0');

const root = new URL('../..', import.meta.url).pathname;

function haveGdb(): boolean {
  try {
    execFileSync('gdb', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const noGdb = !haveGdb() && !CI;

/** Generous bounds: the machine is shared; they only stop a hung run. */
const LIMIT_MS = 120_000;

interface Session {
  gdb: string;
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Run PROG under `p9emu run --gdb 0`, attach gdb, run the commands, and wait for both to end. */
function session(prog: string[], cmds: string[], runOpts: string[] = []): Promise<Session> {
  return attach([join(root, 'bin/p9emu'), 'run', '--gdb', '0', ...runOpts, ...prog], cmds);
}

/** Start a command that prints the stub's 'listening on' line, attach gdb, run the commands, wait for both. */
function attach(cmd: string[], cmds: string[], env: NodeJS.ProcessEnv = process.env): Promise<Session> {
  return new Promise((resolve, reject) => {
    const emu = spawn('node', cmd, { cwd: root, env });
    let stdout = '', stderr = '', gdbout = '';
    let emuDone = false, gdbDone = false;
    let code: number | null = null;
    const timer = setTimeout(() => {
      emu.kill('SIGKILL');
      reject(new Error(`session timed out\n--- gdb\n${gdbout}\n--- p9emu stderr\n${stderr}`));
    }, LIMIT_MS);
    const finish = () => {
      if (emuDone && gdbDone) {
        clearTimeout(timer);
        resolve({ gdb: gdbout, stdout, stderr, code });
      }
    };
    emu.stdout.on('data', (b) => (stdout += b));
    emu.on('exit', (c) => {
      code = c;
      emuDone = true;
      finish();
    });
    let started = false;
    emu.stderr.on('data', (b) => {
      stderr += b;
      const m = /listening on ([\d.]+):(\d+); in gdb: symbol-file (\S+);/.exec(stderr);
      if (!m || started) return;
      started = true;
      const args = ['-batch', '-nx', '-ex', 'set confirm off', '-ex', `symbol-file ${m[3]}`, '-ex', `target remote ${m[1]}:${m[2]}`];
      for (const c of cmds) args.push('-ex', c);
      const g = spawn('gdb', args, { cwd: root });
      g.stdout.on('data', (b) => (gdbout += b));
      g.stderr.on('data', (b) => (gdbout += b));
      g.on('exit', () => {
        gdbDone = true;
        finish();
      });
    });
  });
}

beforeAll(() => {
  execFileSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
});

describe.skipIf(noGdb)('gdb attached to p9emu run --gdb', () => {
  it('stops before the first instruction, breaks on a symbol, single-steps, and runs to the end', async () => {
    const s = await session(['test/prog/dbg.s'], ['p/x $pc', 'break bump', 'continue', 'stepi', 'p/x $pc', 'info threads', 'delete', 'continue']);
    expect(s.gdb).toContain(`$1 = 0x${at('_main')}\n`);
    expect(s.gdb).toContain(`Breakpoint 1, 0x${at8('bump')} in bump ()`);
    expect(s.gdb).toContain(`$2 = 0x${at('bump', 6)}\n`);  // after MOVL counter, AX
    expect(s.gdb).toMatch(new RegExp(`\\* 1 +Thread 1 \\(pid 1 dbg Ready\\) 0x${at8('bump', 6)} in bump \\(\\)`));
    expect(s.gdb).toMatch(/\[Inferior 1 \(Remote target\) exited normally\]/);
    expect(s.stdout).toBe('ok\nA\n');
    expect(s.code).toBe(0);
  }, LIMIT_MS);

  it('reads EAX after a system call: pwrite returns the count written', async () => {
    // runtime.pwrite is MOVL $51, AX; INT $64; RET.
    const s = await session(['test/prog/dbg.s'], ['break runtime.pwrite', 'continue', 'set $eax = 0', 'stepi 2', 'p $eax', 'p/x $pc', 'delete', 'continue']);
    expect(s.gdb).toMatch(/\$1 = 3\n/);
    expect(s.gdb).toContain(`$2 = 0x${at('runtime.pwrite', 7)}\n`);  // the RET after INT $64
    expect(s.stdout).toBe('ok\nA\n');
  }, LIMIT_MS);

  it('changes a register, and the program prints something else', async () => {
    const s = await session(['test/prog/dbg.s'], ['break pick', 'continue', 'set $ebx = 2', 'continue']);
    expect(s.gdb).toContain(`Breakpoint 1, 0x${at8('pick')} in pick ()`);
    expect(s.stdout).toBe('ok\nC\n');
  }, LIMIT_MS);

  it('stops on each write to a watched variable, after the write', async () => {
    const s = await session(['test/prog/dbg.s'], ['watch *(int *)&counter', 'continue', 'continue', 'continue', 'continue', 'delete', 'continue']);
    const changes = [...s.gdb.matchAll(/Old value = (\d+)\nNew value = (\d+)/g)].map((m) => `${m[1]}->${m[2]}`);
    // counter is bss (0): _main's store of 0 changes nothing gdb sees, bump's three do.
    expect(changes).toEqual(['0->1', '1->2', '2->3']);
    expect(s.stdout).toBe('ok\nA\n');
  }, LIMIT_MS);

  it('reports a fault as SIGSEGV at the faulting instruction, and the note kills the process when passed on', async () => {
    const s = await session(['test/prog/dbg.s', 'f'], ['continue', 'p/x $pc', 'x/i $pc', 'continue']);
    expect(s.gdb).toMatch(/Program received signal SIGSEGV, Segmentation fault\./);
    const pc = /\$1 = (0x[0-9a-f]+)\n/.exec(s.gdb)![1]!;
    expect(s.gdb).toMatch(/mov +\(%ecx\),%eax/);
    expect(s.stderr).toContain(`p9emu: exits: sys: trap: fault read addr=0x0 pc=0x${pc.slice(2).padStart(8, '0')}\n`);
    expect(s.gdb).toMatch(/Program terminated with signal SIGSEGV/);
    expect(s.code).toBe(1);
  }, LIMIT_MS);

  it('monitor commands print the process table and the name space', async () => {
    const s = await session(['test/prog/dbg.s'], ['monitor ps', 'monitor ns', 'monitor notes', 'continue']);
    expect(s.gdb).toMatch(/^ +1 Ready +dbg$/m);
    expect(s.gdb).toMatch(/^\/dev +#c$/m);
    expect(s.gdb).toMatch(/^pid 1: 0 queued$/m);
  }, LIMIT_MS);

  it.skipIf(skipWithoutGo())('shows a Go program\'s Ms as threads and switches between them', async () => {
    const prog = fixture('goroutines');
    const s = await session([prog], [
      'break main.main.func1',
      'info line main.main',
      'continue',
      'info threads',
      'thread 2',
      'p/x $pc',
      'thread 1',
      'p/x $pc',
      'delete',
      'continue',
    ], ['--cpus', '4']);
    const threads = [...s.gdb.matchAll(/Thread (\d+) \(pid (\d+) goroutines \w+\)/g)];
    expect(new Set(threads.map((t) => t[1])).size).toBeGreaterThanOrEqual(2);
    for (const t of threads) expect(t[1]).toBe(t[2]);
    // Line numbers from the pclntab (emu/debug/dwarfline.ts).
    expect(s.gdb).toMatch(/Line \d+ of "\S+goroutines\/main\.go" starts at address 0x[0-9a-f]+ <main\.main>/);
    expect(s.gdb).toMatch(/\[Switching to thread 2 \(Thread 2\)\]/);
    expect(s.gdb).toMatch(/\[Switching to thread 1 \(Thread 1\)\]/);
    expect(s.stdout).toMatch(/results 1000 total 166666500\n/);
  }, LIMIT_MS);

  it('reads the line numbers p9emu syms writes for an 8l a.out (its z history and pc/line table)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p9emu-lines-'));
    writeFileSync(join(dir, 'a.out'), linetabAout());
    execFileSync('node', [join(root, 'bin/p9emu'), 'syms', join(dir, 'a.out'), '-o', join(dir, 'a.elf')]);
    const out = execFileSync('gdb', ['-batch', '-nx', '-ex', 'info line *0x1025', '-ex', 'info line main.c:10', join(dir, 'a.elf')]).toString();
    expect(out).toMatch(/Line 4 of "\/inc\/u\.h" starts at address 0x1024 <inl> and ends at 0x1028 <other>/);
    expect(out).toMatch(/Line 10 of "\/src\/main\.c" starts at address 0x1028 <other> and ends at 0x1030/);
  });

  it('opens a core file: the dead process stopped on its note, its registers and memory; continuing ends it', async () => {
    const core = join(mkdtempSync(join(tmpdir(), 'p9emu-core-')), 'fault.core');
    spawnSync('node', [join(root, 'bin/p9emu'), 'run', '--core', core, 'test/prog/fault.s', 'r'], { cwd: root });
    const s = await attach([join(root, 'bin/p9emu'), 'core', '--gdb', '0', core], ['p/x $pc', 'p/x $ebx', 'x/i $pc', 'info threads', 'set $eax = 1', 'continue']);
    const pc = parseAout(assembleProg('fault.s')).syms.find((x) => x.name === 'rdfault')!.value + 5;
    expect(s.gdb).toContain(`$1 = 0x${pc.toString(16)}\n`);
    expect(s.gdb).toContain('$2 = 0x0\n');
    expect(s.gdb).toMatch(/=> 0x[0-9a-f]+ <rdfault\+5>:\s+mov\s+\(%ebx\),%eax/);
    expect(s.gdb).toMatch(/Thread 1 \(pid 1 fault Core\)/);
    expect(s.gdb).toMatch(/Could not write register "eax"/);
    expect(s.gdb).toMatch(/Program terminated with signal SIGSEGV/);
    expect(s.stdout).toMatch(/^fault 1: sys: trap: fault read addr=0x0/);  // the post-mortem view comes first
    expect(s.code).toBe(0);
  }, LIMIT_MS);

  it.skipIf(skipWithoutGo())('attaches to a program go_plan9_386_exec runs, with --gdb in P9EMU_FLAGS', async () => {
    const prog = fixture('hello');
    const main = parseAout(readFileSync(prog)).syms.find((x) => x.name === 'main.main')!.value.toString(16);
    // At exit, goexitsall's notes to the other Ms stop them as SIGUSR1: pass those on.
    const s = await attach([join(root, 'bin/go_plan9_386_exec'), prog], ['break main.main', 'continue', 'p/x $pc', 'delete', 'handle SIGUSR1 nostop noprint pass', 'continue'],
      { ...process.env, P9EMU_FLAGS: '--gdb 0' });
    expect(s.gdb).toContain(`$1 = 0x${main}\n`);
    expect(s.gdb).toMatch(/\[Inferior 1 \(Remote target\) exited normally\]/);
    expect(s.stdout).toBe('hello, world\n');
    expect(s.code).toBe(0);
  }, LIMIT_MS);
});
