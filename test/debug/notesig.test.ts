// The signal gdb is told each Plan 9 note is (docs/debug.md), for both kernels' texts.
import { describe, expect, it } from 'vitest';
import { notesig } from '../../emu/debug/gdbstub.ts';

describe('notesig', () => {
  const cases: Array<[string, number]> = [
    ['interrupt', 2],
    ['sys: trap: fault read addr=0x0 pc=0x1020', 11],
    ['sys: trap: divide error pc=0x00001020', 8],
    ['sys: fp: div-by-zero fppc=0x10d5 pc=0x000010d7', 8],
    ['sys: fp: division by zero fppc=0x10d5 status=0xb884 pc=0x10d7', 8],
    ['sys: trap: invalid opcode pc=0x1020', 4],
    ['sys: breakpoint pc=0x1020', 5],
    ['sys: trap: debug exception pc=0x00001020', 5],
    ['sys: debug exception dr6=0xffff4ff0 pc=0x1020', 5],
    ['sys: watchpoint 0', 5],
    ['boom', 30],
  ];
  for (const [note, sig] of cases) it(`'${note}' is signal ${sig}`, () => expect(notesig(note)).toBe(sig));
});
