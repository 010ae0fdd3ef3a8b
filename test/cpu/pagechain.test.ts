// Direct jumps and calls to another page chained (emu/cpu/pagechain.ts):
// the mend applies to the system library, chained jumps into a page whose
// code the kernel replaces are dropped with it, and a fault after a chained
// call still reports its exact pc.
import { afterEach, describe, expect, it } from 'vitest';
import { chainPages } from '../../emu/cpu/pagechain.ts';
import { unicorn } from '../../emu/cpu/unicorn_ffi.ts';
import { unicornAlloc } from '../../emu/cpu/hostmem.ts';
import type { HostMem } from '../../emu/cpu/cpu.ts';
import { CODE, guest, le32, PROT_EXEC, PROT_READ, STACK_TOP, type Guest } from './guest.ts';

const FAR = 0x5000;

let g: Guest | undefined;
let far: HostMem | undefined;
afterEach(() => {
  g?.close();
  far?.free();
  g = far = undefined;
});

/** A guest whose code at CODE reaches `farCode` at FAR, a page of its own. */
function twoPages(main: number[], farCode: number[]): Guest {
  g = guest(main);
  far = unicornAlloc(0x1000);
  far.bytes.set(farCode);
  g.cpu.map(FAR, far, PROT_READ | PROT_EXEC);
  g.cpu.onSyscall(() => g!.cpu.stop());
  return g;
}

/** rel32 of a 5- or 6-byte branch at `at` (its length `len`) to `to`. */
const rel = (at: number, len: number, to: number) => le32(to - (at + len));

describe('pagechain: cross-page direct jumps chained', () => {
  it('applies to the system library (Debian 2.0.1)', () => {
    // Another library (P9EMU_LIBUNICORN) may legitimately not match.
    if (!process.env.P9EMU_LIBUNICORN) expect(chainPages(unicorn())).toBe(true);
  });

  it('CALL, JMP and Jcc to another page run, and code replaced there is what runs next', () => {
    // CODE:    MOVL $1000, CX
    //   loop:  CALL FAR ; DECL CX ; JNE loop
    //          TESTL AX, AX ; JNE FAR+0x10
    // FAR:     ADDL $3, AX ; RET
    // FAR+0x10: JMP back ; back (CODE+0x40): INT $64
    const main = [0xb9, ...le32(1000), 0xe8, ...rel(CODE + 5, 5, FAR), 0x49, 0x75, 0xf8,
      0x85, 0xc0, 0x0f, 0x85, ...rel(CODE + 15, 6, FAR + 0x10)];
    while (main.length < 0x40) main.push(0x90);
    main.push(0xcd, 0x40);
    const farCode = [0x83, 0xc0, 0x03, 0xc3];
    while (farCode.length < 0x10) farCode.push(0x90);
    farCode.push(0xe9, ...rel(FAR + 0x10, 5, CODE + 0x40));
    twoPages(main, farCode);
    for (const [imm, want] of [[3, 3000], [3, 3000], [5, 5000]] as const) {
      far!.bytes[2] = imm;
      g!.cpu.invalidate(FAR, 0x1000);
      g!.cpu.setRegs({ pc: CODE, ax: 0 });
      expect(g!.cpu.run()).toEqual({ kind: 'stopped' });
      expect(g!.cpu.reg('ax')).toBe(want);
      expect(g!.cpu.reg('pc')).toBe(CODE + 0x42);
    }
  });

  it('a fault in a function reached by a chained cross-page call reports its own pc', () => {
    // CODE: MOVL $STACK_TOP-0x1000, DX ; loop: CALL FAR ; ADDL $4, DX ; JMP loop
    // FAR:  NOP ; MOVL (DX), BX ; RET      -- faults when DX leaves the stack page
    const main = [0xba, ...le32(STACK_TOP - 0x1000), 0xe8, ...rel(CODE + 5, 5, FAR), 0x83, 0xc2, 0x04, 0xeb, 0xf6];
    twoPages(main, [0x90, 0x8b, 0x1a, 0xc3]);
    expect(g!.cpu.run()).toEqual({ kind: 'fault', access: 'read', addr: STACK_TOP, pc: FAR + 1 });
    expect(g!.cpu.reg('dx')).toBe(STACK_TOP);
  });
});
