// UnicornCpu.run({quantum}): the block counter (emu/cpu/blockcount.ts).
// A run stops at the first block start once at least `quantum`
// instructions ran, with EIP that block's start.
import { afterEach, describe, expect, it } from 'vitest';
import { blockCounter } from '../../emu/cpu/blockcount.ts';
import { addCodeHook } from '../../emu/cpu/codehook.ts';
import { unicorn } from '../../emu/cpu/unicorn_ffi.ts';
import { CODE, guest, type Guest } from './guest.ts';

let g: Guest | undefined;
afterEach(() => {
  g?.close();
  g = undefined;
});

// loop: INCL AX; INCL AX; INCL AX; DECL CX; JNE loop; INT $64 — one block of 5.
const LOOP = [0x40, 0x40, 0x40, 0x49, 0x75, 0xfa, 0xcd, 0x40];

function loop(n: number): Guest {
  const t = guest(LOOP);
  t.cpu.setReg('cx', n);
  t.cpu.setReg('ax', 0);
  return t;
}

describe('UnicornCpu quantum', () => {
  it('the block counter is in place on this build', () => {
    expect(blockCounter(unicorn())).not.toBeNull();
  });

  it('runs whole blocks while budget is left, and stops at a block start', () => {
    g = loop(1000);
    // 12 left: a block (7 left), a block (2 left), a block (-3): stop.
    expect(g.cpu.run({ quantum: 12 })).toEqual({ kind: 'count' });
    expect(g.cpu.reg('pc')).toBe(CODE);
    expect(g.cpu.reg('ax')).toBe(9);
    expect(g.cpu.reg('cx')).toBe(997);
    expect(g.cpu.run({ quantum: 12 })).toEqual({ kind: 'count' });
    expect(g.cpu.reg('ax')).toBe(18);
    expect(g.cpu.run({ quantum: 1 })).toEqual({ kind: 'count' });
    expect(g.cpu.reg('ax')).toBe(21);
  });

  it('follows exact counts and free runs on the same engine', () => {
    g = loop(1000);
    expect(g.cpu.run({ count: 2 })).toEqual({ kind: 'count' });
    expect(g.cpu.reg('pc')).toBe(CODE + 2);
    // From mid-loop the first block is INCL; DECL; JNE (3), then the loop's (5).
    expect(g.cpu.run({ quantum: 4 })).toEqual({ kind: 'count' });
    expect(g.cpu.reg('pc')).toBe(CODE);
    expect(g.cpu.reg('ax')).toBe(2 + 1 + 3);
    g.cpu.onSyscall(() => g!.cpu.stop());
    expect(g.cpu.run()).toEqual({ kind: 'stopped' });
    expect(g.cpu.reg('ax')).toBe(3000);
    expect(g.cpu.reg('cx')).toBe(0);
    g.cpu.setRegs({ pc: CODE, cx: 10, ax: 0 });
    expect(g.cpu.run({ quantum: 6 })).toEqual({ kind: 'count' });
    expect(g.cpu.reg('ax')).toBe(6);
  });

  it('a stop before the budget runs out wins', () => {
    g = loop(3);
    g.cpu.onSyscall(() => g!.cpu.stop());
    expect(g.cpu.run({ quantum: 1000 })).toEqual({ kind: 'stopped' });
    expect(g.cpu.reg('ax')).toBe(9);
    expect(g.cpu.reg('pc')).toBe(CODE + LOOP.length);
  });

  it('EIP is the block start even with a code hook elsewhere', () => {
    g = loop(1000);
    const remove = addCodeHook(g.cpu, CODE + 0x800, CODE + 0x800, () => {});
    expect(g.cpu.run({ quantum: 7 })).toEqual({ kind: 'count' });
    expect(g.cpu.reg('pc')).toBe(CODE);
    expect(g.cpu.reg('ax')).toBe(6);
    remove();
  });

  it('a code hook that stops is exact in a quantum run', () => {
    g = loop(1000);
    let n = 0;
    addCodeHook(g.cpu, CODE + 3, CODE + 3, () => {
      if (++n === 2) g!.cpu.stop();
    });
    expect(g.cpu.run({ quantum: 1000 })).toEqual({ kind: 'stopped' });
    expect(g.cpu.reg('pc')).toBe(CODE + 3);
    expect(g.cpu.reg('ax')).toBe(6);
    expect(g.cpu.reg('cx')).toBe(999);
  });

  it('gives the faulting instruction for a mid-block store fault', () => {
    // MOVL $1, AX; ADDL $2, AX; MOVL AX, 0x5000000; MOVL $9, DX
    g = guest([0xb8, 1, 0, 0, 0, 0x83, 0xc0, 2, 0xa3, 0, 0, 0, 5, 0xba, 9, 0, 0, 0]);
    expect(g.cpu.run({ quantum: 1000 })).toEqual({ kind: 'fault', access: 'write', addr: 0x5000000, pc: CODE + 8 });
    expect(g.cpu.reg('ax')).toBe(3);
    expect(g.cpu.reg('dx')).toBe(0);
  });
});
