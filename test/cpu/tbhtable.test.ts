// The smaller first table of translated blocks (emu/cpu/tbhtable.ts): the
// mend applies to the system library before an engine is opened, and a
// guest that translates many times more blocks than the table starts with
// (so qht grows it, more than once) finds each of them again by an
// indirect jump, run after run.
import { describe, expect, it } from 'vitest';
import { COUNT_AT, smallTbHtable, TB_HTABLE_ELEMS } from '../../emu/cpu/tbhtable.ts';
import { expectMended } from './mended.ts';
import { unicornAlloc } from '../../emu/cpu/hostmem.ts';
import { guest, le32, perTest, PROT_EXEC, PROT_READ } from './guest.ts';

/** 16384: qht doubles the table six times on the way. */
const BLOCKS = 64 * TB_HTABLE_ELEMS;
const FAR = 0x100000;
/** ADDL $imm, AX (5 bytes); MOVL $next, CX (5); JMP *CX (2). */
const BLOCK = 12;

const t = perTest();

describe('tbhtable: engines start with a smaller table of blocks', () => {
  it('applies to the system library (Debian 2.0.1)', () => {
    expectMended(smallTbHtable, process.env.P9EMU_TBHTABLE === 'qemu', 'tcg_exec_init_x86_64', COUNT_AT, le32(TB_HTABLE_ELEMS));
  });

  it(`${BLOCKS} blocks, each reached by an indirect jump, add up the same in every run`, () => {
    // CODE: JMP to FAR's first block. Each block adds its number + 1 and jumps through CX to the next; the last one's next is an INT $64.
    const g = (t.g = guest([0xb9, ...le32(FAR), 0xff, 0xe1]));
    const far = (t.mem = unicornAlloc(BLOCKS * BLOCK + 4096));
    for (let i = 0; i < BLOCKS; i++) {
      far.bytes.set([0x05, ...le32(i + 1), 0xb9, ...le32(FAR + (i + 1) * BLOCK), 0xff, 0xe1], i * BLOCK);
    }
    far.bytes.set([0xcd, 0x40], BLOCKS * BLOCK);
    g.cpu.map(FAR, far, PROT_READ | PROT_EXEC);
    g.cpu.onSyscall(() => g.cpu.stop());
    const want = (BLOCKS * (BLOCKS + 1)) / 2;
    for (let run = 0; run < 3; run++) {
      g.cpu.setRegs({ pc: 0x1000, ax: 0 });
      expect(g.cpu.run()).toEqual({ kind: 'stopped' });
      expect(g.cpu.reg('ax')).toBe(want);
    }
  });
});
