// FakeCpu: the scriptable CPU kernel tests use; and the machine factories.
import { describe, expect, it } from 'vitest';
import { FakeCpu, syscall } from '../../emu/cpu/fakecpu.ts';
import { jsAlloc } from '../../emu/cpu/hostmem.ts';
import { fakeMachine } from '../../emu/cpu/machine.ts';

function withStack(cpu: FakeCpu) {
  const stack = jsAlloc(0x1000);
  cpu.map(0xdfffe000, stack, 3);
  cpu.setRegs({ sp: 0xdfffefb0, pc: 0x1020 });
  return stack;
}

describe('FakeCpu', () => {
  it('starts with Plan 9 user selectors', () => {
    const r = new FakeCpu().regs();
    expect([r.cs, r.ss, r.ds, r.es, r.fs, r.gs]).toEqual([0x23, 0x1b, 0x1b, 0x1b, 0, 0]);
  });

  it('simulates INT $64: registers, stack words, pc after the INT', () => {
    const cpu = new FakeCpu();
    withStack(cpu);
    const seen: number[][] = [];
    cpu.onSyscall(() => {
      seen.push([cpu.reg('ax'), cpu.reg('pc'), cpu.read32(cpu.reg('sp') + 4), cpu.read32(cpu.reg('sp') + 8)]);
      cpu.setReg('ax', 99);
      if (seen.length === 2) cpu.stop();
    });
    cpu.script(syscall(14, [0x2000, 0]), syscall(4, [3]), { kind: 'timeout' });
    expect(cpu.run()).toEqual({ kind: 'stopped' });
    expect(seen).toEqual([
      [14, 0x1022, 0x2000, 0],
      [4, 0x1024, 3, 0],
    ]);
    expect(cpu.reg('ax')).toBe(99);
    expect(cpu.run({ timeoutUs: 10_000 })).toEqual({ kind: 'timeout' });
    expect(cpu.runs).toEqual([{}, { timeoutUs: 10_000 }]);
    expect(cpu.pending).toBe(0);
    expect(() => cpu.run()).toThrow(/exhausted/);
  });

  it('faults and traps set pc; function steps can do anything', () => {
    const cpu = new FakeCpu();
    cpu.script(
      (c) => {
        c.setReg('bx', 7);
      },
      { kind: 'fault', access: 'write', addr: 0, pc: 0x1234 },
      () => ({ kind: 'trap', vector: 3, pc: 0x2001 }),
    );
    expect(cpu.run()).toEqual({ kind: 'fault', access: 'write', addr: 0, pc: 0x1234 });
    expect(cpu.reg('bx')).toBe(7);
    expect(cpu.reg('pc')).toBe(0x1234);
    expect(cpu.run()).toEqual({ kind: 'trap', vector: 3, pc: 0x2001 });
  });

  it('tracks maps, protections, save/restore and invalidations', () => {
    const cpu = new FakeCpu();
    const m = jsAlloc(0x3000);
    cpu.map(0x1000, m, 5);
    expect(() => cpu.map(0x2000, jsAlloc(0x1000), 3)).toThrow(/overlaps/);
    cpu.protect(0x1000, 0x3000, 1);
    expect(cpu.mappings().map((x) => [x.addr, x.size, x.prot])).toEqual([[0x1000, 0x3000, 1]]);
    cpu.write32(0x1004, 0xdeadbeef);
    expect(m.bytes[4]).toBe(0xef);
    cpu.setReg('ax', 1);
    cpu.fpu = { x: 1 };
    const ctx = cpu.save();
    cpu.setReg('ax', 2);
    cpu.fpu = { x: 2 };
    cpu.restore(ctx);
    expect(cpu.reg('ax')).toBe(1);
    expect(cpu.fpu).toEqual({ x: 1 });
    cpu.invalidate(0x1000, 16);
    expect(cpu.invalidated).toEqual([{ addr: 0x1000, size: 16 }]);
    cpu.unmap(0x1000, 0x3000);
    expect(cpu.mappings()).toEqual([]);
    expect(() => cpu.read32(0x1000)).toThrow(/not mapped/);
  });

  it('fakeMachine hands out scriptable CPUs over JS memory', () => {
    const m = fakeMachine((cpu, i) => cpu.setReg('di', i));
    const a = m.newCpu();
    const b = m.newCpu();
    expect(m.cpus).toEqual([a, b]);
    expect(b.reg('di')).toBe(1);
    expect(m.alloc(10).size).toBe(4096);
  });
});
