// Guest mischief and kernel-model bugs stay inside one process.
import { afterEach, describe, expect, it } from 'vitest';
import { runProg } from '../kit/runprog.ts';
import { systab } from '../../emu/port/systab.ts';
import { EXIT_DEADLOCK, EXIT_INTERNAL } from '../../emu/run.ts';

const restore: (() => void)[] = [];
afterEach(() => {
  for (const f of restore.splice(0)) f();
});

/** Make system call `name` throw a host exception (a stand-in for a kernel-model bug). */
function breakcall(name: string): void {
  const sc = systab.find((s) => s?.name === name)!;
  const fn = sc.fn;
  sc.fn = () => {
    throw new TypeError("Cannot read properties of undefined (reading 'base')");
  };
  restore.push(() => (sc.fn = fn));
}

describe('a host exception in a system call', () => {
  it('ends only the calling process, with a line on stderr, a trace event and the run marked', async () => {
    breakcall('sleep');
    const r = await runProg('contain.s', { argv: ['contain', 'k'] });
    const child = r.pid + 1;
    // The parent went on and read the child's wait record.
    expect(r.stdout.toString()).toMatch(new RegExp(`^${child} \\d+ \\d+ \\d+ 'contain ${child}: internal error in sleep'\n$`));
    expect(r.stderr).toBe(`p9emu: internal error in sleep (pid ${child}): Cannot read properties of undefined (reading 'base')\n`);
    expect(r.exitstr).toBe('');
    expect(r.internal).toEqual([{ pid: child, call: 'sleep', message: "Cannot read properties of undefined (reading 'base')" }]);
    expect(r.code).toBe(EXIT_INTERNAL);
    expect(r.events).toContainEqual(expect.objectContaining({ kind: 'proc', pid: child, what: 'internal', name: 'sleep' }));
  });
});

describe('segments the model assumed', () => {
  it('brk_ after segdetach of the bss fails with an error string (9front ibrk)', async () => {
    const r = await runProg('contain.s', { argv: ['contain', 'b'] });
    expect(r.stdout.toString()).toBe('-bad arg in system call\n');
    expect(r.internal).toEqual([]);
    expect(r.code).toBe(0);
  });
});

describe('long names', () => {
  it('a mapped 9000-byte path is looked up; past 64 KiB it is "name too long"; neither posts a note', async () => {
    const r = await runProg('contain.s', { argv: ['contain', 'n'] });
    expect(r.stdout.toString()).toBe(`-'...${'a'.repeat(32)}' file does not exist\n-name too long\n`);
    expect(r.events.filter((e) => e.kind === 'note')).toEqual([]);
    expect(r.code).toBe(0);
  });
});

describe('bounded memory and processes (--mem, --procs)', () => {
  it('brk_ and segattach past --mem fail with Plan 9\'s error string', async () => {
    // 768 MiB each: within the bss's reserve (brkmax), past --mem.
    const r = await runProg('contain.s', { argv: ['contain', 'm'], brkmax: 1 << 30, mem: 512 << 20 });
    expect(r.stdout.toString()).toBe('-virtual memory allocation failed\n'.repeat(2));
    const ok = await runProg('contain.s', { argv: ['contain', 'm'], brkmax: 1 << 30, mem: 2 ** 31 });
    expect(ok.stdout.toString()).toBe('');
    expect(r.code).toBe(0);
  });

  it('a first image larger than --mem is refused in one line', async () => {
    await expect(runProg('contain.s', { argv: ['contain', 'b'], mem: 1 << 16 })).rejects.toThrow(
      /^image needs 1 MiB of memory; the machine has 1 MiB \(--mem\)$/,
    );
  });

  it('rfork past --procs fails with "no procs"; the children left blocked are listed', async () => {
    const r = await runProg('contain.s', { argv: ['contain', 'f'], procs: 4 });
    expect(r.stdout.toString()).toBe('-no procs\n');
    expect(r.blocked).toEqual([2, 3, 4].map((pid) => `pid ${pid} (contain) pread on fd 3 (#|/data)`));
    expect(r.deadlock).toBe(false);
    expect(r.code).toBe(0);
  });
});

describe('deadlock', () => {
  it('a process blocked for good on a full pipe is reported, with exit status 125 and a trace event', async () => {
    const r = await runProg('contain.s', { argv: ['contain', 'p'] });
    expect(r.deadlock).toBe(true);
    expect(r.code).toBe(EXIT_DEADLOCK);
    expect(r.blocked).toEqual([`pid ${r.pid} (contain) pwrite on fd 3 (#|/data)`]);
    expect(r.events).toContainEqual(expect.objectContaining({ kind: 'proc', what: 'blocked', pid: r.pid }));
  });
});
