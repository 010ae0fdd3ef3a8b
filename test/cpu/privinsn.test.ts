// Instructions Plan 9 forbids at CPL 3 that Unicorn 2.0.1 would run
// (privinsn.ts): each stops at the instruction with Plan 9's exception,
// the registers as they were before it, and nothing after it run.
import { afterEach, describe, expect, it } from 'vitest';
import { CODE, DATA, guest, type Guest } from './guest.ts';
import { privEntries } from '../../emu/cpu/privsync.ts';
import { unicorn } from '../../emu/cpu/unicorn_ffi.ts';

let g: Guest | undefined;
afterEach(() => {
  g?.close();
  g = undefined;
});

const MOVL_1_AX = [0xb8, 1, 0, 0, 0];
const INCL_BX = [0x43];

const cases: [string, number[], number][] = [
  ['IN AL, imm8', [0xe4, 0x80], 13],
  ['IN EAX, DX', [0xed], 13],
  ['OUT imm8, AL', [0xe6, 0x80], 13],
  ['OUT DX, AL', [0xee], 13],
  ['INSB', [0x6c], 13],
  ['OUTSL with a segment prefix', [0x2e, 0x6f], 13],
  ['SYSENTER', [0x0f, 0x34], 13],
  ['SYSEXIT', [0x0f, 0x35], 13],
  ['SYSCALL', [0x0f, 0x05], 6],
  ['LGDT', [0x0f, 0x01, 0x10], 13],
  ['LIDT', [0x0f, 0x01, 0x18], 13],
  ['LLDT', [0x0f, 0x00, 0x10], 13],
  ['LTR', [0x0f, 0x00, 0x18], 13],
  ['MOV CR0, EAX', [0x0f, 0x22, 0xc0], 13],
  ['WRMSR', [0x0f, 0x30], 13],
  ['IRET', [0xcf], 13],
  ['JMP FAR 0x1b:0', [0xea, 0, 0, 0, 0, 0x1b, 0], 13],
  ['CALL FAR 0x08:0', [0x9a, 0, 0, 0, 0, 0x08, 0], 13],
  // A far pointer must be in memory; the engine would abort (farreg.ts).
  ['CALL FAR EAX (FF /3, register)', [0xff, 0xd8], 6],
  ['JMP FAR EDI (FF /5, register)', [0xff, 0xef], 6],
  ['CALL FAR BX, 16-bit', [0x66, 0xff, 0xdb], 6],
  ['CALL FAR [SI] to 0x08', [0xff, 0x1e], 13],
];

describe('privileged instructions fault as under Plan 9', () => {
  for (const [name, insn, vector] of cases) {
    for (const mode of ['time', 'count'] as const) {
      it(`${name} (${mode} slice): trap ${vector} at the instruction`, () => {
        // A JMP first: the engine's EIP is then stale, an earlier block's start.
        g = guest([0xeb, 0x00, ...MOVL_1_AX, 0xba, 0x80, 0, 0, 0, ...insn, ...INCL_BX, 0xf4]);
        g.cpu.setReg('bx', 7);
        g.cpu.setReg('di', DATA);  // INS stores (a zero) before the engine's I/O hook
        g.cpu.setReg('si', DATA);
        g.dv.setUint16(4, 0x08, true); // a far pointer 0x08:0 at DATA
        const stop = g.cpu.run(mode === 'count' ? { count: 1000 } : { timeoutUs: 1e9 });
        expect(stop).toEqual({ kind: 'trap', vector, pc: CODE + 12 });
        expect(g.cpu.reg('pc')).toBe(CODE + 12);
        expect([g.cpu.reg('ax'), g.cpu.reg('bx'), g.cpu.reg('dx')]).toEqual([1, 7, 0x80]);
      });
    }
  }

  it('SYSENTER does not resume mid-instruction (engine adds 2 to a stale EIP)', () => {
    g = guest([...MOVL_1_AX, 0x0f, 0x34, 0xf4]);
    expect(g.cpu.run({ timeoutUs: 1e9 })).toEqual({ kind: 'trap', vector: 13, pc: CODE + 5 });
  });

  it('an IN reached again through chained blocks traps at itself, though a walk from the stale EIP would reach another', () => {
    // 0: INCL BX; CMPL BX, $5; JL 8; 6: IN $0x81 (B); 8: IN $0x80 (A); 10: JMP 0
    g = guest([0x43, 0x83, 0xfb, 0x05, 0x7c, 0x02, 0xe4, 0x81, 0xe4, 0x80, 0xeb, 0xf4]);
    g.cpu.setReg('bx', 0);
    expect(g.cpu.run({ timeoutUs: 1e9 })).toEqual({ kind: 'trap', vector: 13, pc: CODE + 8 });
    // Past A, with BX 3: the loop comes back to A through the blocks chained
    // on the first pass, so the engine's EIP is still the loop's start, and
    // from there with BX 4 the walk would step to B.
    // Without privsync.ts's entries (another library, P9EMU_FAULTPC=infer)
    // the walk does, and answers B.
    g.cpu.setRegs({ pc: CODE + 10, bx: 3 });
    const exact = privEntries(unicorn()) !== null;
    expect(g.cpu.run({ timeoutUs: 1e9 })).toEqual({ kind: 'trap', vector: 13, pc: exact ? CODE + 8 : CODE + 6 });
    expect(g.cpu.reg('bx')).toBe(4);
  });

  it('the restoring entries apply to the system library (Debian 2.0.1)', () => {
    if (process.env.P9EMU_LIBUNICORN || process.env.P9EMU_FAULTPC === 'infer') return;
    expect(privEntries(unicorn())).not.toBeNull();
  });

  it('ICEBP is #DB with pc after it (the engine says invalid opcode)', () => {
    g = guest([0x90, 0xf1, 0xf4]);
    expect(g.cpu.run({ timeoutUs: 1e9 })).toEqual({ kind: 'trap', vector: 1, pc: CODE + 2 });
  });

  it('JMP FAR through memory to the user code selector still runs', () => {
    g = guest([0xff, 0x2e, 0xf4, 0xf4, 0xf4]);
    g.cpu.setReg('si', DATA);
    g.dv.setUint32(0, CODE + 3, true);
    g.dv.setUint16(4, 0x23, true);
    // HLT at CODE+3 is the next thing to trap: the jump was taken.
    expect(g.cpu.run({ timeoutUs: 1e9 })).toEqual({ kind: 'trap', vector: 13, pc: CODE + 3 });
  });

  it('an allowed far jump (to the user code selector) still runs', () => {
    g = guest([0xea, ...[CODE + 7, CODE >> 8, 0, 0].map((x) => x & 0xff), 0x23, 0x00, 0xf4]);
    expect(g.cpu.run({ timeoutUs: 1e9 })).toEqual({ kind: 'trap', vector: 13, pc: CODE + 7 });
  });

  // The GDT's page (gdt.ts) lies above user space: reading it faults as on
  // Plan 9, while the CPU still reads descriptors from it for the
  // instructions that load a selector.
  it('a read of 0xffffffff (the GDT page) faults there', () => {
    g = guest([0x90, 0xa0, 0xff, 0xff, 0xff, 0xff, 0xf4]);  // NOP; MOV AL, [0xffffffff]
    expect(g.cpu.run({ timeoutUs: 1e9 })).toEqual({ kind: 'fault', access: 'read', addr: 0xffffffff, pc: CODE + 1 });
  });

  it('MOV DS, AX and POP ES with the user data selector still load', () => {
    // MOV AX, 0x1b; MOV DS, AX; PUSH EAX; POP ES; MOV AL, [0xfffff018]
    g = guest([0x66, 0xb8, 0x1b, 0x00, 0x8e, 0xd8, 0x50, 0x07, 0xa0, 0x18, 0xf0, 0xff, 0xff, 0xf4]);
    expect(g.cpu.run({ timeoutUs: 1e9 })).toEqual({ kind: 'fault', access: 'read', addr: 0xfffff018, pc: CODE + 8 });
    expect([g.cpu.reg('ds'), g.cpu.reg('es')]).toEqual([0x1b, 0x1b]);
  });
});
