import { describe, expect, it } from 'vitest';
import { assembleProg, runProg } from '../kit/runprog.ts';
import { parseAout } from '../../emu/aout.ts';

// The address of a label's instruction: from the symbol table, text starts at 0x1020.
function textsym(name: string): number {
  const a = parseAout(assembleProg('fault.s'));
  const s = a.syms.find((x) => x.name === name);
  if (!s) throw new Error(`no symbol ${name}`);
  return s.value;
}

describe('CPU faults become sys: notes', () => {
  const cases: [string, string][] = [
    ['r', 'sys: trap: fault read addr=0x0'],
    ['w', 'sys: trap: fault write addr=0x0'],
    ['d', 'sys: trap: divide error'],
    ['u', 'sys: trap: invalid opcode'],
    ['g', 'sys: trap: general protection violation'],
    ['b', 'sys: breakpoint'],
    ['x', 'sys: trap: fault read addr=0x10'],
    ['i', 'sys: trap: general protection violation'],
    ['o', 'sys: trap: general protection violation'],
    ['e', 'sys: trap: general protection violation'],
    ['s', 'sys: trap: invalid opcode'],
    ['k', 'sys: trap: debug exception'],
  ];
  for (const [arg, text] of cases) {
    it(`kills a process with no handler with '${text} pc=…' (${arg})`, async () => {
      const r = await runProg('fault.s', { argv: ['fault', arg] });
      expect(r.exitstr).toMatch(new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} pc=0x[0-9a-f]{8}$`));
      // 4e's pprint: 'TEXT PID: suicide: MSG'
      expect(r.stderr).toBe(`fault ${r.pid}: suicide: ${r.exitstr}\n`);
      expect(r.code).toBe(1);
    });
  }

  it('names an x87 divide by zero by the FDIVP and the status word, a single step by DR6 (9front), as each kernel does', async () => {
    const hex = (v: number) => v.toString(16);
    const fz = textsym('fpzerofault');  // FDIVP at +4, FWAIT (#MF) at +6
    const st = textsym('stepfault');    // #DB after the XCHGL at +9: pc +10
    const note = async (arg: string, flavor: '4e' | '9front') => (await runProg('fault.s', { argv: ['fault', arg], flavor })).exitstr;
    expect(await note('z', '4e')).toBe(`sys: fp: div-by-zero fppc=0x${hex(fz + 4)} pc=0x${hex(fz + 6).padStart(8, '0')}`);
    // ZE, ES, B and TOP=7 (two loads, one pop).
    expect(await note('z', '9front')).toBe(`sys: fp: division by zero fppc=0x${hex(fz + 4)} status=0xb884 pc=0x${hex(fz + 6)}`);
    expect(await note('t', '4e')).toBe(`sys: trap: debug exception pc=0x${hex(st + 10).padStart(8, '0')}`);
    expect(await note('t', '9front')).toBe(`sys: debug exception dr6=0xffff4ff0 pc=0x${hex(st + 10)}`);
    // ICEBP sets no DR6 bit.
    expect(await note('k', '9front')).toMatch(/^sys: debug exception dr6=0xffff0ff0 pc=0x[0-9a-f]+$/);
  });

  it('reports the faulting instruction as pc (4e: 8 zero-padded digits; 9front: minimal hex)', async () => {
    expect(textsym('_main')).toBe(0x1020);
    const pc = textsym('rdfault') + 5;  // MOVL 0(BX), AX, after MOVL $0, BX
    const r4 = await runProg('fault.s', { argv: ['fault', 'r'] });
    const r9 = await runProg('fault.s', { argv: ['fault', 'r'], flavor: '9front' });
    expect(r4.exitstr).toBe(`sys: trap: fault read addr=0x0 pc=0x${pc.toString(16).padStart(8, '0')}`);
    expect(r9.exitstr).toBe(`sys: trap: fault read addr=0x0 pc=0x${pc.toString(16)}`);
  });
});
