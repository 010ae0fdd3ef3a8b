// UnicornCpu: segments and privilege, syscalls, traps, stops and pc.
import { afterEach, describe, expect, it } from 'vitest';
import { CODE, DATA, guest, le32, type Guest } from './guest.ts';

let g: Guest | undefined;
afterEach(() => {
  g?.close();
  g = undefined;
});

describe('UnicornCpu segments and privilege', () => {
  it('guest sees Plan 9 user selectors', () => {
    g = guest([
      0x66, 0x8c, 0xc8, // MOVW CS, AX
      0x66, 0x8c, 0xd3, // MOVW SS, BX
      0x66, 0x8c, 0xd9, // MOVW DS, CX
      0x66, 0x8c, 0xc2, // MOVW ES, DX
      0x66, 0x8c, 0xe6, // MOVW FS, SI
      0x66, 0x8c, 0xef, // MOVW GS, DI
      0xcd, 0x40, //       INT $64
    ]);
    g.cpu.onSyscall(() => g!.cpu.stop());
    expect(g.cpu.run()).toEqual({ kind: 'stopped' });
    const r = g.cpu.regs();
    expect([r.ax, r.bx, r.cx, r.dx, r.si, r.di]).toEqual([0x23, 0x1b, 0x1b, 0x1b, 0, 0]);
    expect([r.cs, r.ss, r.ds, r.es, r.fs, r.gs]).toEqual([0x23, 0x1b, 0x1b, 0x1b, 0, 0]);
    expect(r.pc).toBe(CODE + 20);
    expect(r.flags & 0x202).toBe(0x202);
  });

  it('runs at CPL 3: HLT and CLI are #GP at the instruction', () => {
    g = guest([0x90, 0xf4]); // NOP; HLT
    expect(g.cpu.run()).toEqual({ kind: 'trap', vector: 13, pc: CODE + 1 });
    g.close();
    g = guest([0x90, 0xfa]); // NOP; CLI
    expect(g.cpu.run()).toEqual({ kind: 'trap', vector: 13, pc: CODE + 1 });
  });

  it('registers are unsigned 32-bit', () => {
    g = guest([0x90]);
    g.cpu.setRegs({ ax: 0xffffffff, bx: -2, sp: 0xdfffefb0 });
    expect([g.cpu.reg('ax'), g.cpu.reg('bx'), g.cpu.regs().sp]).toEqual([0xffffffff, 0xfffffffe, 0xdfffefb0]);
  });

  it('setReg(flags) keeps IF and drops IOPL/VM', () => {
    g = guest([0x90]);
    g.cpu.setReg('flags', 0xffffffff);
    const f = g.cpu.reg('flags');
    expect(f & 0x200).toBe(0x200);
    expect(f & (3 << 12)).toBe(0);
    expect(f & (1 << 17)).toBe(0);
    expect(f & 0x8d5).toBe(0x8d5);
  });
});

describe('UnicornCpu traps', () => {
  const cases: Array<[string, number[], number, number]> = [
    // name, code, vector, pc offset
    ['INT3 (pc after CC)', [0x90, 0xcc, 0x90], 3, 2],
    ['INT $3 (pc after CD 03)', [0x90, 0xcd, 0x03, 0x90], 3, 3],
    ['INT $0x21 is #GP at the INT', [0x90, 0xcd, 0x21], 13, 1],
    ['INT $13 is #GP at the INT', [0x90, 0xcd, 0x0d], 13, 1],
    // MOVL $0x7fffffff, AX; ADDL $1, AX (OF=1); INTO
    ['INTO with OF is #GP at INTO', [0xb8, ...le32(0x7fffffff), 0x83, 0xc0, 0x01, 0xce, 0x90], 13, 8],
    // MOVL $1, AX; XORL CX, CX; XORL DX, DX; DIVL CX
    ['#DE at the DIV', [0xb8, 1, 0, 0, 0, 0x31, 0xc9, 0x31, 0xd2, 0xf7, 0xf1, 0x90], 0, 9],
    ['#UD at UD2', [0x90, 0x90, 0x0f, 0x0b], 6, 2],
  ];
  for (const [name, code, vector, off] of cases) {
    it(name, () => {
      g = guest(code);
      expect(g.cpu.run()).toEqual({ kind: 'trap', vector, pc: CODE + off });
      expect(g.cpu.reg('pc')).toBe(CODE + off);
    });
  }

  it('every exception is its own, however many come (no #DF, no triple fault)', () => {
    // HLT; HLT; MOVL $1, AX; XORL CX, CX; XORL DX, DX; DIVL CX; DIVL CX; HLT; UD2; HLT; INT $64
    g = guest([0xf4, 0xf4, 0xb8, ...le32(1), 0x31, 0xc9, 0x31, 0xd2, 0xf7, 0xf1, 0xf7, 0xf1, 0xf4, 0x0f, 0x0b, 0xf4, 0xcd, 0x40]);
    g.cpu.onSyscall(() => g!.cpu.stop());
    const seen: unknown[] = [];
    for (let i = 0; i < 8; i++) {
      const s = g.cpu.run();
      if (s.kind !== 'trap') {
        seen.push(s.kind);
        break;
      }
      seen.push([s.vector, s.pc - CODE]);
      // Skip the instruction, as a note handler that continues past it would.
      g.cpu.setReg('pc', s.pc + (s.vector === 0 || s.vector === 6 ? 2 : 1));
    }
    expect(seen).toEqual([[13, 0], [13, 1], [0, 11], [0, 13], [13, 15], [6, 16], [13, 18], 'stopped']);
  });

  it('excState: DR6 after a single step, cleared once read; the x87 status and FIP after #MF', () => {
    // PUSHFL; ORL $0x100, (SP); POPFL; NOP (#DB after it); NOP; FLD1; FLDZ; FDIVP; FWAIT (#MF)
    g = guest([0x9c, 0x81, 0x0c, 0x24, ...le32(0x100), 0x9d, 0x90, 0x90, 0xd9, 0xe8, 0xd9, 0xee, 0xde, 0xf9, 0x9b]);
    g.cpu.resetFpu();  // Plan 9's control word 0x232: divide by zero unmasked
    expect(g.cpu.run()).toEqual({ kind: 'trap', vector: 1, pc: CODE + 10 });
    expect(g.cpu.excState().dr6).toBe(0xffff4ff0);
    expect(g.cpu.excState().dr6).toBe(0xffff0ff0);
    g.cpu.setReg('flags', g.cpu.reg('flags') & ~0x100);
    expect(g.cpu.run()).toEqual({ kind: 'trap', vector: 16, pc: CODE + 17 });
    expect(g.cpu.excState()).toMatchObject({ fsw: 0xb884, fip: CODE + 15 });
  });

  it('INTO without OF does nothing', () => {
    g = guest([0xce, 0xcd, 0x40]); // INTO; INT $64
    g.cpu.onSyscall(() => g!.cpu.stop());
    expect(g.cpu.run()).toEqual({ kind: 'stopped' });
  });
});

describe('UnicornCpu syscalls and stops', () => {
  // loop: MOVL $7, AX; INT $64; MOVL AX, BX; INT $64; JMP loop
  const prog = [0xb8, 7, 0, 0, 0, 0xcd, 0x40, 0x89, 0xc3, 0xcd, 0x40, 0xeb, 0xf3];

  it('handler reads and writes registers; stop() returns after the INT', () => {
    g = guest(prog);
    const seen: Array<[number, number, number]> = [];
    g.cpu.onSyscall(() => {
      const c = g!.cpu;
      seen.push([c.reg('ax'), c.reg('pc'), c.reg('sp')]);
      if (seen.length === 1) c.setReg('ax', 42);
      else c.stop();
    });
    expect(g.cpu.run()).toEqual({ kind: 'stopped' });
    expect(seen).toEqual([
      [7, CODE + 7, 0x3ff0],
      [42, CODE + 11, 0x3ff0],
    ]);
    expect(g.cpu.reg('bx')).toBe(42);
    expect(g.cpu.reg('pc')).toBe(CODE + 11);
    // run() resumes at the pc after the INT: the JMP, then the first INT again.
    let n = 0;
    g.cpu.onSyscall(() => {
      n++;
      g!.cpu.stop();
    });
    expect(g.cpu.run()).toEqual({ kind: 'stopped' });
    expect(n).toBe(1);
    expect(g.cpu.reg('pc')).toBe(CODE + 7);
  });

  it('setReg(pc) between runs: the next run starts there', () => {
    g = guest(prog);
    g.cpu.onSyscall(() => g!.cpu.stop());
    g.cpu.setReg('pc', CODE + 7); // skip the MOVL $7
    g.cpu.setReg('ax', 5);
    expect(g.cpu.run()).toEqual({ kind: 'stopped' });
    expect(g.cpu.reg('pc')).toBe(CODE + 11);
    expect(g.cpu.reg('bx')).toBe(5);
  });

  it('setReg(pc) inside the handler stops the run there', () => {
    g = guest(prog);
    let n = 0;
    g.cpu.onSyscall(() => {
      n++;
      if (n === 1) g!.cpu.setReg('pc', CODE + 9); // skip MOVL AX, BX
      else g!.cpu.stop();
    });
    expect(g.cpu.run()).toEqual({ kind: 'stopped' });
    expect(n).toBe(1);
    expect(g.cpu.reg('pc')).toBe(CODE + 9);
    expect(g.cpu.run()).toEqual({ kind: 'stopped' });
    expect(n).toBe(2);
    expect(g.cpu.reg('bx')).toBe(0);
    expect(g.cpu.reg('pc')).toBe(CODE + 11);
  });

  it('an exception in the handler is rethrown by run() and the CPU stays usable', () => {
    g = guest(prog);
    g.cpu.onSyscall(() => {
      throw new Error('kernel bug');
    });
    expect(() => g!.cpu.run()).toThrow('kernel bug');
    expect(g.cpu.reg('pc')).toBe(CODE + 7);
    g.cpu.onSyscall(() => g!.cpu.stop());
    expect(g.cpu.run()).toEqual({ kind: 'stopped' });
    expect(g.cpu.reg('pc')).toBe(CODE + 11);
  });

  it('a jump to 0 is a fetch fault at 0', () => {
    g = guest([0x31, 0xc0, 0xff, 0xe0]); // XORL AX, AX; JMP *AX
    expect(g.cpu.run()).toEqual({ kind: 'fault', access: 'fetch', addr: 0, pc: 0 });
  });

  it('run() inside a handler is refused', () => {
    g = guest(prog);
    let err: unknown;
    g.cpu.onSyscall(() => {
      try {
        g!.cpu.run();
      } catch (e) {
        err = e;
      }
      g!.cpu.stop();
    });
    expect(g.cpu.run()).toEqual({ kind: 'stopped' });
    expect(String(err)).toMatch(/inside run/);
  });
});

describe('UnicornCpu lifetime', () => {
  it('close() is idempotent and later use throws', () => {
    g = guest([0x90]);
    g.cpu.close();
    g.cpu.close();
    expect(() => g!.cpu.run()).toThrow(/after close/);
    g.code.free(); g.data.free(); g.stack.free();
    g = undefined;
  });

  it('many engines open and close', () => {
    for (let i = 0; i < 30; i++) {
      const x = guest([0xcd, 0x40]);
      x.cpu.onSyscall(() => x.cpu.stop());
      expect(x.cpu.run()).toEqual({ kind: 'stopped' });
      x.close();
    }
  });
});

export { DATA };
