// The instruction trace: address, bytes, disassembly (Intel or Plan 9
// operand order), symbol+offset, register changes, limited to a range.
import { describe, expect, it } from 'vitest';
import { instrument } from '../../emu/instrument.ts';
import type { InsnEvent, TraceEvent } from '../../emu/trace/event.ts';
import type { InsnOptions } from '../../emu/trace/insn.ts';
import { plan9Operands, plan9Mnemonic } from '../../emu/trace/disasm.ts';
import { assembleProg, runProg } from '../kit/runprog.ts';

async function insns(o: InsnOptions): Promise<InsnEvent[]> {
  const img = assembleProg('hello.s');
  const events: TraceEvent[] = [];
  const ins = await instrument({ trace: { cats: ['insn'], format: 'jsonl', out: () => {}, insn: o } }, [img]);
  await runProg('hello.s', { trace: { cats: ['insn'], sink: (e) => events.push(e) }, onkernel: ins.onkernel });
  return events.filter((e): e is InsnEvent => e.kind === 'insn');
}

describe('instruction trace', () => {
  it('shows each instruction of a symbol with bytes, Plan 9 disassembly and symbol+offset', async () => {
    const ev = await insns({ range: 'runtime·pwrite', syntax: 'plan9' });
    expect(ev.map((e) => [e.bytes, e.asm, e.sym])).toEqual([
      ['b833000000', 'MOVL $0x33, AX', 'runtime.pwrite'],
      ['cd40', 'INT $0x40', 'runtime.pwrite+0x5'],
      ['c3', 'RET', 'runtime.pwrite+0x7'],
    ]);
    expect(ev[1]!.pc - ev[0]!.pc).toBe(5);
  });

  it('uses Intel syntax by default and takes an ADDR-ADDR range', async () => {
    const all = await insns({ range: 'runtime.pwrite' });
    const start = all[0]!.pc;
    const ev = await insns({ range: `${start.toString(16)}-${(start + 5).toString(16)}` });
    expect(ev.map((e) => e.asm)).toEqual(['mov eax, 0x33', 'int 0x40']);
  });

  it('reports the registers the previous instruction changed', async () => {
    const ev = await insns({ range: 'runtime.pwrite', regs: true });
    // Before INT: AX became the call number; before RET: AX holds pwrite's result (12 bytes).
    expect(ev[1]!.regs).toEqual({ ax: 0x33 });
    expect(ev[2]!.regs).toEqual({ ax: 12 });
  });

  it('traces every instruction with no range, from the entry point', async () => {
    const ev = await insns({});
    expect(ev[0]!.sym).toBe('_main');
    expect(ev.length).toBeGreaterThan(10);
  });
});

describe('Plan 9 operand order', () => {
  it('rewrites AT&T operands as Go writes them', () => {
    expect(plan9Operands('4(%esp,%eax,4), %ecx')).toBe('4(SP)(AX*4), CX');
    expect(plan9Operands('$0xe, %eax')).toBe('$0xe, AX');
    expect(plan9Operands('*%eax')).toBe('AX');
    expect(plan9Operands('(,%ebx,2)')).toBe('(BX*2)');
    expect(['calll', 'retl', 'movl', 'jne'].map(plan9Mnemonic)).toEqual(['CALL', 'RET', 'MOVL', 'JNE']);
  });
});
