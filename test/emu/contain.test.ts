// Guest mischief and kernel-model bugs stay inside one process.
import { afterEach, describe, expect, it } from 'vitest';
import { runProg } from '../kit/runprog.ts';
import { systab } from '../../emu/port/systab.ts';
import { EXIT_INTERNAL } from '../../emu/run.ts';

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
