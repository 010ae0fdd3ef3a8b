// Preemption must never re-execute instructions. Unicorn 2.0.1 checks for
// a pending stop after every load and store and then rewinds EIP to the
// start of the block (emu/cpu/exitreq.ts); a stop from the watchdog thread
// at a random moment used to repeat the block's earlier stores. Here a
// loop of two memory increments and one register increment is preempted
// thousands of times: all three must end equal.

import { describe, expect, it } from 'vitest';
import { guest, le32, PROT_READ, PROT_WRITE } from './guest.ts';
import { unicornAlloc } from '../../emu/cpu/hostmem.ts';
import { noExitRequestOffset } from '../../emu/cpu/exitreq.ts';
import { unicorn } from '../../emu/cpu/unicorn_ffi.ts';
import { startWatchdog } from '../../emu/cpu/preempt.ts';

const N = 200_000_000;  // ~0.5 s since stores to a page without exec are fast (notdirty.ts)
const LOOP = [
  0x83, 0x05, ...le32(0x2000), 0x01,  // ADDL $1, 0x2000
  0x83, 0xc3, 0x01,                   // ADDL $1, BX
  0x83, 0x05, ...le32(0x2004), 0x01,  // ADDL $1, 0x2004
  0x39, 0xcb,                         // CMPL BX, CX
  0x75, 0xeb,                         // JNE loop
  0xcd, 0x40,                         // INT $64
  0xeb, 0xfe,
];

describe('preemption is precise', () => {
  it('finds uc_struct.no_exit_request in the loaded libunicorn', () => {
    expect(noExitRequestOffset(unicorn())).toBeGreaterThan(0);
  });

  it('a store loop preempted every 50 µs loses and repeats nothing', async () => {
    // By the watchdog thread alone, ready before the first run (preempt.ts).
    await startWatchdog(unicorn()).started;
    const g = guest(LOOP);
    try {
      g.cpu.setRegs({ bx: 0, cx: N });
      let done = false;
      g.cpu.onSyscall(() => {
        done = true;
        g.cpu.stop();
      });
      let slices = 0;
      while (!done) {
        const st = g.cpu.run({ timeoutUs: 50 });
        expect(['timeout', 'stopped']).toContain(st.kind);
        slices++;
      }
      expect(slices).toBeGreaterThan(20);
      expect(g.cpu.reg('bx')).toBe(N);
      expect(g.dv.getUint32(0, true)).toBe(N);
      expect(g.dv.getUint32(4, true)).toBe(N);
    } finally {
      g.close();
    }
  });

  it('a faulting store stops its block: no later register change, no INT $64', () => {
    // MOVL $1, DX; MOVL AX, 0x5000000; MOVL $7, DX; INT $64
    const g = guest([0xba, ...le32(1), 0xa3, ...le32(0x5000000), 0xba, ...le32(7), 0xcd, 0x40, 0xeb, 0xfe]);
    try {
      let calls = 0;
      g.cpu.onSyscall(() => {
        calls++;
        g.cpu.stop();
      });
      expect(g.cpu.run({ timeoutUs: 100_000 })).toEqual({ kind: 'fault', access: 'write', addr: 0x5000000, pc: 0x1005 });
      expect(g.cpu.reg('dx')).toBe(1);
      expect(calls).toBe(0);
    } finally {
      g.close();
    }
  });

  it('the flags of a faulting store survive into the next run (ZF, PF, DF)', () => {
    // STD; MOVL $5, AX; CMPL $5, AX; MOVL AX, 0x5000000 (faults); PUSHFL; POPL BX; CLD; INT $64
    const g = guest([0xfd, 0xb8, ...le32(5), 0x83, 0xf8, 0x05, 0xa3, ...le32(0x5000000), 0x9c, 0x5b, 0xfc, 0xcd, 0x40]);
    const page = unicornAlloc(0x1000);
    // Without syncpc.ts (P9EMU_FAULTPC=infer) the arithmetic flags at a fault are stale; DF is kept apart.
    const kept = process.env.P9EMU_FAULTPC === 'infer' ? 0x400 : 0x4c4;
    try {
      g.cpu.onSyscall(() => g.cpu.stop());
      expect(g.cpu.run()).toEqual({ kind: 'fault', access: 'write', addr: 0x5000000, pc: 0x1009 });
      expect(g.cpu.reg('flags') & kept).toBe(0x444 & kept);
      // What a kernel does for a fault it can satisfy: map the page, go on.
      g.cpu.map(0x5000000, page, PROT_READ | PROT_WRITE);
      expect(g.cpu.run()).toEqual({ kind: 'stopped' });
      expect(g.cpu.reg('bx') & kept).toBe(0x444 & kept);
      expect(new DataView(page.bytes.buffer, page.bytes.byteOffset).getUint32(0, true)).toBe(5);
    } finally {
      g.close();
      page.free();
    }
  });
});
