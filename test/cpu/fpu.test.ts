// UnicornCpu x87/SSE: Plan 9's initial FPU state, SSE2 and x87 arithmetic,
// and save/restore of the whole FPU state (same engine and across engines).
import { afterEach, describe, expect, it } from 'vitest';
import { UnicornCpu } from '../../emu/cpu/unicorn.ts';
import { CODE, DATA, guest, le32, type Guest } from './guest.ts';

let g: Guest | undefined;
afterEach(() => {
  g?.close();
  g = undefined;
});

const STOP = [0xcd, 0x40];
const d = (off: number) => le32(DATA + off);

describe('UnicornCpu FPU', () => {
  it('starts with FPCW 0x232 and MXCSR 0x1F80', () => {
    // FNSTCW DATA; STMXCSR DATA+4; INT $64
    g = guest([0xd9, 0x3d, ...d(0), 0x0f, 0xae, 0x1d, ...d(4), ...STOP]);
    g.cpu.onSyscall(() => g!.cpu.stop());
    expect(g.cpu.run()).toEqual({ kind: 'stopped' });
    expect(g.dv.getUint16(0, true)).toBe(0x232);
    expect(g.dv.getUint32(4, true)).toBe(0x1f80);
  });

  it('SSE2 and x87 arithmetic', () => {
    g = guest([
      0x66, 0x0f, 0xef, 0xc0, //       PXOR X0, X0
      0xf2, 0x0f, 0x10, 0x05, ...d(0), // MOVSD DATA, X0
      0xf2, 0x0f, 0x58, 0x05, ...d(8), // ADDSD DATA+8, X0
      0xf2, 0x0f, 0x11, 0x05, ...d(16), // MOVSD X0, DATA+16
      0xdd, 0x05, ...d(0), //          FMOVD DATA, F0
      0xdc, 0x05, ...d(8), //          FADDD DATA+8, F0
      0xdd, 0x1d, ...d(24), //         FMOVDP F0, DATA+24
      ...STOP,
    ]);
    g.dv.setFloat64(0, 1.25, true);
    g.dv.setFloat64(8, 2.5, true);
    g.cpu.onSyscall(() => g!.cpu.stop());
    expect(g.cpu.run()).toEqual({ kind: 'stopped' });
    expect(g.dv.getFloat64(16, true)).toBe(3.75);
    expect(g.dv.getFloat64(24, true)).toBe(3.75);
  });

  it('unmasked x87 divide by zero raises #MF (vector 16) at the next FP instruction', () => {
    g = guest([
      0xd9, 0xe8, //       FLD1
      0xd9, 0xee, //       FLDZ
      0xde, 0xf9, //       FDIVP (1/0: ZE is unmasked in 0x232)
      0x9b, //             FWAIT
      ...STOP,
    ]);
    g.cpu.onSyscall(() => g!.cpu.stop());
    const s = g.cpu.run();
    expect(s).toMatchObject({ kind: 'trap', vector: 16 });
  });

  // Part 1 loads X0 and F0 and stops; part 2 clobbers both; part 3 stores them.
  const load = [0xf2, 0x0f, 0x10, 0x05, ...d(0), 0xdd, 0x05, ...d(8), ...STOP]; // MOVSD DATA,X0; FMOVD DATA+8,F0
  const clobber = [0x66, 0x0f, 0xef, 0xc0, 0xdd, 0xd8, 0xd9, 0xee, ...STOP]; // PXOR X0,X0; FSTP F0; FLDZ
  const store = [0xf2, 0x0f, 0x11, 0x05, ...d(16), 0xdd, 0x1d, ...d(24), ...STOP]; // MOVSD X0,DATA+16; FMOVDP F0,DATA+24
  const P1 = CODE, P2 = CODE + 0x100, P3 = CODE + 0x200;

  function setup(): Guest {
    const x = guest([]);
    x.code.bytes.set(load, 0);
    x.code.bytes.set(clobber, 0x100);
    x.code.bytes.set(store, 0x200);
    x.dv.setFloat64(0, Math.PI, true);
    x.dv.setFloat64(8, -2.75, true);
    x.cpu.onSyscall(() => x.cpu.stop());
    return x;
  }

  it('save/restore includes XMM and x87 registers', () => {
    g = setup();
    const cpu = g.cpu;
    cpu.setReg('pc', P1);
    cpu.run();
    cpu.setReg('bx', 1234);
    const ctx = cpu.save();
    cpu.setReg('pc', P2);
    cpu.run();
    cpu.setReg('bx', 0);
    cpu.restore(ctx);
    ctx.free();
    expect(cpu.reg('bx')).toBe(1234);
    expect(cpu.reg('pc')).toBe(P1 + load.length);
    cpu.setReg('pc', P3);
    cpu.run();
    expect(g.dv.getFloat64(16, true)).toBe(Math.PI);
    expect(g.dv.getFloat64(24, true)).toBe(-2.75);
    // Without the restore the clobbered values come out.
    cpu.setReg('pc', P2);
    cpu.run();
    cpu.setReg('pc', P3);
    cpu.run();
    expect(g.dv.getFloat64(16, true)).toBe(0);
  });

  it('a context saved on one engine restores on another (rfork child)', () => {
    g = setup();
    g.cpu.setReg('pc', P1);
    g.cpu.run();
    const ctx = g.cpu.save();
    const child = new UnicornCpu();
    try {
      child.map(CODE, g.code, 5);
      child.map(DATA, g.data, 3);
      child.onSyscall(() => child.stop());
      child.restore(ctx);
      expect(child.regs()).toEqual(g.cpu.regs());
      child.setReg('pc', P3);
      expect(child.run()).toEqual({ kind: 'stopped' });
      expect(g.dv.getFloat64(16, true)).toBe(Math.PI);
      expect(g.dv.getFloat64(24, true)).toBe(-2.75);
    } finally {
      ctx.free();
      child.close();
    }
  });
});

describe('UnicornCpu fpuTrap (CR0.TS, through hflags)', () => {
  // FLD1; FADDP; XORPS X0,X0; MOVD AX,MM0; WAIT; EMMS — each alone, then INT $64.
  const cases: [string, number[]][] = [
    ['FLD1', [0xd9, 0xe8]], ['XORPS', [0x0f, 0x57, 0xc0]], ['MOVD MM0', [0x0f, 0x6e, 0xc0]],
    ['WAIT', [0x9b]], ['PADDD X0', [0x66, 0x0f, 0xfe, 0xc0]], ['LDMXCSR', [0x0f, 0xae, 0x10]],
  ];
  for (const [name, bytes] of cases) {
    it(`${name} raises #NM (trap 7) at the instruction while set, and runs once cleared`, () => {
      const g = guest([...bytes, 0xcd, 0x40]);
      try {
        g.cpu.setReg('ax', 0x2000);  // LDMXCSR reads (AX): the data page (zero: a valid MXCSR)
        g.cpu.onSyscall(() => g.cpu.stop());
        expect(g.cpu.fpuTrap(true)).toBe(true);
        expect(g.cpu.run()).toEqual({ kind: 'trap', vector: 7, pc: 0x1000 });
        expect(g.cpu.fpuTrap(false)).toBe(true);
        expect(g.cpu.run()).toEqual({ kind: 'stopped' });
      } finally {
        g.close();
      }
    });
  }

  it('leaves integer code alone, and a saved context restores TS clear', () => {
    const g = guest([0x40, 0xcd, 0x40, 0xd9, 0xe8, 0xcd, 0x40]);  // INCL AX; INT; FLD1; INT
    try {
      g.cpu.onSyscall(() => g.cpu.stop());
      const before = g.cpu.save();
      g.cpu.fpuTrap(true);
      expect(g.cpu.run()).toEqual({ kind: 'stopped' });
      expect(g.cpu.run()).toEqual({ kind: 'trap', vector: 7, pc: 0x1003 });
      const pc = g.cpu.reg('pc');
      g.cpu.restore(before);
      g.cpu.setReg('pc', pc);
      expect(g.cpu.run()).toEqual({ kind: 'stopped' });
      before.free();
    } finally {
      g.close();
    }
  });
});

describe('UnicornCpu fpuTrap with a context just saved', () => {
  it('sets TS from that context and leaves the context itself with TS clear', () => {
    const g = guest([0xd9, 0xe8, 0xcd, 0x40]);  // FLD1; INT $64
    try {
      g.cpu.onSyscall(() => g.cpu.stop());
      const ctx = g.cpu.save();
      expect(g.cpu.fpuTrap(true, ctx)).toBe(true);
      expect(g.cpu.run()).toEqual({ kind: 'trap', vector: 7, pc: 0x1000 });
      g.cpu.restore(ctx);
      expect(g.cpu.run()).toEqual({ kind: 'stopped' });
      ctx.free();
    } finally {
      g.close();
    }
  });
});
