import { describe, expect, it } from 'vitest';
import { runProg } from '../kit/runprog.ts';

/** What the debugger prints after the first child under both kernels: three wait records, the Broken child's state, its end. */
const ENDING = [
  expect.stringMatching(/^2 \d+ \d+ \d+ ''$/),
  expect.stringMatching(/^3 \d+ \d+ \d+ 'procdbg 3: Killed'$/),
  // (lib.s wait() reads 63 bytes: a long real time cuts the record's end)
  expect.stringMatching(/^4 \d+ \d+ \d+ 'procdbg 4: sys: trap: fault read addr=0x0 /),
  'Broken     ',
  'gone',
  '',
];

describe('/proc driven as a debugger drives it', () => {
  it('9front: stops a child, traces its system call, reads its registers and memory, writes its memory, kills it, and keeps a Broken one until killed', async () => {
    const r = await runProg('procdbg.s', { flavor: '9front' });
    expect(r.exitstr).toBe('');
    const lines = r.stdout.toString().split('\n');
    expect(lines[0]).toBe('Stopped    ');
    // The pwrite's entry (pid, text, name, pc, fd, data, n, offset), then its exit after the child's output.
    expect(lines[1]).toMatch(/^2 procdbg Pwrite [0-9a-f]+ 1  0x[0-9a-f]+\/"child\." 6 -1$/);
    const exit = /^child\. = 6 "" (\d+) (\d+)$/.exec(lines[2]!);
    expect(exit).not.toBeNull();
    expect(BigInt(exit![1]!) <= BigInt(exit![2]!)).toBe(true);
    expect(lines.slice(3)).toEqual([
      '',  // the exit line's own newline
      '6',  // AX in regs: pwrite's result
      'MARK',  // the child's marker through mem
      'EDIT',  // the child prints it after the debugger's write
      ...ENDING,
    ]);
  });

  it('4e: the same without syscall tracing; the child stopped after its sleep, AX 0', async () => {
    const r = await runProg('procdbg.s', { argv: ['procdbg', '4e'] });
    expect(r.exitstr).toBe('');
    expect(r.stdout.toString().split('\n')).toEqual(['Stopped    ', '0', 'MARK', 'child.EDIT', ...ENDING]);
  });
});
