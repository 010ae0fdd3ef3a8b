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

  it('reports the faulting instruction as pc (4e: 8 zero-padded digits; 9front: minimal hex)', async () => {
    expect(textsym('_main')).toBe(0x1020);
    const pc = textsym('rdfault') + 5;  // MOVL 0(BX), AX, after MOVL $0, BX
    const r4 = await runProg('fault.s', { argv: ['fault', 'r'] });
    const r9 = await runProg('fault.s', { argv: ['fault', 'r'], flavor: '9front' });
    expect(r4.exitstr).toBe(`sys: trap: fault read addr=0x0 pc=0x${pc.toString(16).padStart(8, '0')}`);
    expect(r9.exitstr).toBe(`sys: trap: fault read addr=0x0 pc=0x${pc.toString(16)}`);
  });
});
