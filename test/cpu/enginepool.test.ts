// Engines reused from one process to the next (emu/cpu/enginepool.ts) and
// the one-flush unmap they rely on (emu/cpu/unmapflush.ts): a reused engine
// holds nothing of its last process — no mapping, no translated code, no
// hook, no register or FPU state — and a closed one cannot be used.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { drainEngines, idleEngines } from '../../emu/cpu/enginepool.ts';
import { unicornMachine } from '../../emu/cpu/machine.ts';
import { unicornAlloc } from '../../emu/cpu/hostmem.ts';
import { REUSE_CODE, REUSES, UnicornCpu } from '../../emu/cpu/unicorn.ts';
import { addCodeHook } from '../../emu/cpu/codehook.ts';
import { AT, flushCall, unmapFlush } from '../../emu/cpu/unmapflush.ts';
import { libsym } from '../../emu/cpu/libsym.ts';
import { unicorn } from '../../emu/cpu/unicorn_ffi.ts';
import type { HostMem } from '../../emu/cpu/cpu.ts';
import { expectMended } from './mended.ts';
import { CODE, DATA, le32, PROT_EXEC, PROT_READ, PROT_WRITE } from './guest.ts';

const machine = unicornMachine();
const freed: HostMem[] = [];
const mem = (bytes: number[] = []): HostMem => {
  const m = unicornAlloc(4096);
  m.bytes.set(bytes);
  freed.push(m);
  return m;
};

/** MOVL $v, AX; INT $64 at CODE, in memory of its own; returns AX at the INT. */
function runMov(cpu: UnicornCpu, v: number): number {
  cpu.map(CODE, mem([0xb8, ...le32(v), 0xcd, 0x40]), PROT_READ | PROT_EXEC);
  cpu.setReg('pc', CODE);
  cpu.onSyscall(() => cpu.stop());
  expect(cpu.run()).toEqual({ kind: 'stopped' });
  return cpu.reg('ax');
}

beforeEach(() => drainEngines(8));
afterAll(() => {
  drainEngines(Number(process.env.P9EMU_ENGINES ?? 0) || 0);
  for (const m of freed) m.free();
});

describe('enginepool: engines reused from one process to the next', () => {
  it('gives a closed engine to the next process, which runs its own code at the same address', () => {
    const a = machine.newCpu() as UnicornCpu;
    const engine = a.engine;
    expect(runMov(a, 1)).toBe(1);
    a.close();
    expect(idleEngines()).toBe(1);
    const b = machine.newCpu() as UnicornCpu;
    expect(b).toBe(a);
    expect(b.engine).toBe(engine);
    // The same pc, new memory: the block translated for a must not run.
    expect(runMov(b, 2)).toBe(2);
    b.close();
  });

  it('leaves no mapping, register or FPU state of the last process', () => {
    const fresh = new UnicornCpu();
    const want = { regs: fresh.regs(), fp: fresh.fpstate() };
    fresh.close();
    drainEngines();
    const a = machine.newCpu() as UnicornCpu;
    a.map(DATA, mem(), PROT_READ | PROT_WRITE);
    a.setRegs({ ax: 7, bx: 8, sp: 0x2ff0, flags: 0x202 | 0x400 });
    const fp = a.fpstate();
    fp.fill(0x5a, 92, 108); // XMM0
    a.setFpstate(fp);
    a.close();
    const b = machine.newCpu() as UnicornCpu;
    expect(b).toBe(a);
    expect(b.regs()).toEqual(want.regs);
    expect(b.fpstate()).toEqual(want.fp);
    // DATA is gone: MOVL DATA, AX faults.
    b.map(CODE, mem([0xa1, ...le32(DATA)]), PROT_READ | PROT_EXEC);
    b.setReg('pc', CODE);
    expect(b.run()).toEqual({ kind: 'fault', access: 'read', addr: DATA, pc: CODE });
    b.close();
  });

  it("drops the process's hooks: the next process does not call them, and a late remover is harmless", () => {
    const a = machine.newCpu() as UnicornCpu;
    let calls = 0;
    const remove = addCodeHook(a, 1, 0, () => void calls++);
    expect(runMov(a, 1)).toBe(1);
    expect(calls).toBe(2);
    a.close();
    const b = machine.newCpu() as UnicornCpu;
    expect(b).toBe(a);
    expect(runMov(b, 3)).toBe(3);
    expect(calls).toBe(2);
    const mine = addCodeHook(b, 1, 0, () => void calls++);
    remove(); // a's, long gone: must not remove b's
    b.setReg('pc', CODE);
    b.run();
    expect(calls).toBe(4);
    mine();
    b.close();
  });

  it('reads as closed while idle', () => {
    const a = machine.newCpu() as UnicornCpu;
    a.close();
    expect(() => a.run()).toThrow(/used after close/);
    expect(() => a.map(DATA, mem(), PROT_READ)).toThrow(/used after close/);
    expect(() => a.save()).toThrow(/used after close/);
  });

  it('gives an engine whose blocks are counted only to a process that counts them', () => {
    const a = machine.newCpu(true) as UnicornCpu;
    a.map(CODE, mem([0x90, 0x90, 0xcd, 0x40]), PROT_READ | PROT_EXEC);
    a.setReg('pc', CODE);
    a.onSyscall(() => a.stop());
    a.run({ quantum: 1000 });
    expect(a.counted).toBe(true);
    a.close();
    const b = machine.newCpu(false) as UnicornCpu;
    expect(b).not.toBe(a);
    expect(b.counted).toBe(false);
    const c = machine.newCpu(true) as UnicornCpu;
    expect(c).toBe(a);
    b.close();
    c.close();
  });

  it('closes an engine with more code mapped than dropping block by block pays for', () => {
    const a = machine.newCpu() as UnicornCpu;
    const text = unicornAlloc(REUSE_CODE + 4096);
    freed.push(text);
    a.map(CODE, text, PROT_READ | PROT_EXEC);
    a.close();
    expect(idleEngines()).toBe(0);
    const b = machine.newCpu() as UnicornCpu;
    b.map(CODE, mem(), PROT_READ | PROT_EXEC, 4096);
    b.close();
    expect(idleEngines()).toBe(1);
  });

  it(`retires an engine after ${REUSES} processes: dropped blocks' host code stays in its buffer`, () => {
    const first = machine.newCpu() as UnicornCpu;
    first.close();
    for (let i = 0; i < REUSES; i++) {
      const c = machine.newCpu() as UnicornCpu;
      expect(c).toBe(first);
      expect(runMov(c, i)).toBe(i);
      c.close();
    }
    expect(idleEngines()).toBe(0);
    const next = machine.newCpu() as UnicornCpu;
    expect(next).not.toBe(first); // (malloc may give the new engine the same address)
    next.close();
  });

  it("closes an engine that ran counted instructions last: Unicorn's counter would cost the next process a whole flush", () => {
    const a = machine.newCpu() as UnicornCpu;
    a.map(CODE, mem([0x90, 0x90, 0xcd, 0x40]), PROT_READ | PROT_EXEC);
    a.setReg('pc', CODE);
    expect(a.run({ count: 1 })).toEqual({ kind: 'count' });
    a.close();
    expect(idleEngines()).toBe(0);
  });

  it('keeps none with a limit of 0', () => {
    drainEngines(0);
    const a = machine.newCpu() as UnicornCpu;
    a.close();
    expect(idleEngines()).toBe(0);
    expect(machine.newCpu()).not.toBe(a);
  });
});

describe('unmapflush: one TLB flush for an unmapped region', () => {
  it('applies to the system library (Debian 2.0.1)', () => {
    const L = unicorn();
    const fn = libsym(L, 'memory_unmap_x86_64');
    const flush = libsym(L, 'tlb_flush_x86_64');
    expectMended(unmapFlush, process.env.P9EMU_UNMAPFLUSH === 'page', 'memory_unmap_x86_64', BigInt(AT), fn && flush ? flushCall(fn, flush) : []);
  });

  it('leaves no stale page: a load after an unmap and a map of other memory reads the new memory', () => {
    const cpu = new UnicornCpu();
    // MOVL DATA, AX; INT $64
    cpu.map(CODE, mem([0xa1, ...le32(DATA), 0xcd, 0x40]), PROT_READ | PROT_EXEC);
    cpu.onSyscall(() => cpu.stop());
    const big = unicornAlloc(16 << 20, true);
    freed.push(big);
    for (const v of [0x11111111, 0x22222222, 0x33333333]) {
      const d = v === 0x22222222 ? big : mem(le32(v));
      if (d === big) big.bytes.set(le32(v));
      cpu.map(DATA, d, PROT_READ | PROT_WRITE, d === big ? 16 << 20 : 4096);
      cpu.setReg('pc', CODE);
      expect(cpu.run()).toEqual({ kind: 'stopped' });
      expect(cpu.reg('ax')).toBe(v);
      cpu.unmap(DATA, d === big ? 16 << 20 : 4096);
    }
    cpu.close();
  });
});
