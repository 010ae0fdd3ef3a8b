// The jump cache's index mended (emu/cpu/jmphash.ts): the mend applies to
// the system library, a RET to any of many return sites reaches the right
// one, and a return site whose code is replaced runs the new code (the
// helper's slot still holds the dropped block, which it must refuse).
import { afterEach, describe, expect, it } from 'vitest';
import { jmpHash } from '../../emu/cpu/jmphash.ts';
import { expectMended } from './mended.ts';
import { CODE, guest, le32, type Guest } from './guest.ts';

const SITES = 40;
const LOOPS = 100;

let g: Guest | undefined;
afterEach(() => {
  g?.close();
  g = undefined;
});

/**
 * CODE:  MOVL $LOOPS, CX
 * loop:  SITES × (CALL far ; ADDL $i, BX), i = 1…SITES
 *        DECL CX ; JNE loop ; INT $64
 * far:   ADDL $1, AX ; RET
 */
function manyReturns(): { code: number[]; imm: (i: number) => number } {
  const code = [0xb9, ...le32(LOOPS)];
  const far = 5 + SITES * 8 + 1 + 6 + 2;
  for (let i = 1; i <= SITES; i++) {
    const at = code.length;
    code.push(0xe8, ...le32(far - (at + 5)), 0x83, 0xc3, i);
  }
  code.push(0x49, 0x0f, 0x85, ...le32(5 - (code.length + 7)), 0xcd, 0x40);
  code.push(0x83, 0xc0, 0x01, 0xc3);
  return { code, imm: (i) => 5 + (i - 1) * 8 + 7 };
}

const sum = (n: number) => (n * (n + 1)) / 2;

describe('jmphash: the indirect-jump lookup hashes the whole pc', () => {
  it('applies to the system library (Debian 2.0.1)', () => {
    expectMended(jmpHash, process.env.P9EMU_JMPHASH === 'qemu', 'helper_lookup_tb_ptr_x86_64', 0x43n,
      [0x69, 0xee, 0xb1, 0x79, 0x37, 0x9e, 0xc1, 0xed, 0x14]);
  });

  it('RETs to 40 return sites each reach their own, and replaced code at one runs', () => {
    const { code, imm } = manyReturns();
    g = guest(code);
    g.cpu.onSyscall(() => g!.cpu.stop());
    const runOnce = () => {
      g!.cpu.setRegs({ pc: CODE, ax: 0, bx: 0, sp: 0x4000 - 16 });
      expect(g!.cpu.run()).toEqual({ kind: 'stopped' });
      expect(g!.cpu.reg('ax')).toBe(LOOPS * SITES);
      return g!.cpu.reg('bx');
    };
    expect(runOnce()).toBe(LOOPS * sum(SITES));
    expect(runOnce()).toBe(LOOPS * sum(SITES));
    // Site 7 now adds 100: its block is dropped, while the helper's slot
    // for that return address still points at it.
    g.code.bytes[imm(7)] = 100;
    g.cpu.invalidate(CODE, 0x1000);
    expect(runOnce()).toBe(LOOPS * (sum(SITES) - 7 + 100));
    g.code.bytes[imm(SITES)] = 1;
    g.cpu.invalidate(CODE + imm(SITES), 1);
    expect(runOnce()).toBe(LOOPS * (sum(SITES) - 7 + 100 - SITES + 1));
  });
});
