// Error reporting: every problem in a file, as exact `file:line: message` lines.

import { describe, expect, it } from 'vitest';
import { assemble } from '../../asm/asm.ts';

const errorsOf = (src: string, extra: Parameters<typeof assemble>[1] = { file: 'bad.s' }) => assemble(src, extra).errors;

describe('assembler errors', () => {
  it('reports every bad line of a file, each with its line number', () => {
    const src = [
      'TEXT _main(SB),4,$0', // 1
      '\tFOO AX', // 2
      '\tMOVL $1, $2', // 3
      '\tJMP nowhere', // 4
      '\tMOVL AX', // 5  (one operand: From only; MOVL needs two → no table row)
      '\tRET', // 6
      'TEXT _main(SB),4,$0', // 7
      '\tRET', // 8
    ].join('\n');
    const r = assemble(src, { file: 'bad.s' });
    expect(r.ok).toBe(false);
    expect(r.aout).toBeUndefined();
    expect(r.errors).toEqual([
      'bad.s:2: unknown instruction FOO',
      'bad.s:3: invalid instruction: MOVL $1, $2',
      'bad.s:4: undefined label nowhere',
      'bad.s:5: invalid instruction: MOVL AX',
      'bad.s:7: duplicate symbol _main',
    ]);
  });

  it('reports operands no instruction form accepts after parsing succeeds', () => {
    expect(errorsOf('TEXT _main(SB),4,$0\n\tMOVL $1, $2\n\tINT AX\n\tLEAL AX, BX\n\tRET\n')).toEqual([
      'bad.s:2: invalid instruction: MOVL $1, $2',
      'bad.s:3: invalid instruction: INT AX',
      'bad.s:4: invalid instruction: LEAL AX, BX',
    ]);
  });

  it('reports malformed operands with the reason', () => {
    expect(errorsOf('TEXT _main(SB),4,$0\n\tMOVL 0(FP), AX\n\tMOVL (AX)(BX*3), CX\n\tMOVL 4, AX\n\tRET\n')).toEqual([
      'bad.s:2: cannot reference FP without a symbol',
      'bad.s:3: bad scale: 3',
      'bad.s:4: constant operand needs $',
    ]);
  });

  it('reports a label defined twice in one function but allows it again in the next', () => {
    const src = 'TEXT a(SB),4,$0\nx:\n\tNOP\nx:\n\tRET\nTEXT b(SB),4,$0\nx:\n\tJMP x\n';
    expect(errorsOf(src)).toEqual(['bad.s:4: label x multiply defined']);
  });

  it('reports references to symbols the file does not define', () => {
    expect(errorsOf('TEXT _main(SB),$0\n\tCALL runtime·exit(SB)\n\tRET\n')).toEqual([
      'bad.s:1: undefined: _privates',
      'bad.s:1: undefined: runtime.exit',
      'bad.s:1: undefined: runtime.morestack_noctxt',
    ]);
  });

  it('reports unbalanced PUSH/POP at the RET', () => {
    expect(errorsOf('TEXT f(SB),4,$8\n\tPUSHL AX\n\tRET\n')).toEqual(['bad.s:3: f: unbalanced PUSH/POP']);
  });

  it('reports preprocessor problems: missing includes, unterminated #ifdef, unknown directives', () => {
    expect(errorsOf('#include "go_asm.h"\n#bogus\n#ifdef X\n#bogus\n', { file: 'bad.s', readFile: () => { throw new Error('ENOENT'); } })).toEqual([
      'bad.s:1: #include: cannot find go_asm.h',
      'bad.s:2: unknown directive #bogus',
      'bad.s:3: unterminated #ifdef',
    ]);
  });

  it('reports a bad entry symbol instead of producing an a.out', () => {
    const r = assemble('TEXT a(SB),4,$0\n\tRET\n', { file: 'e.s', entry: 'nothere' });
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual(['e.s: entry symbol nothere not defined']);
  });

  it('never throws, even on garbage input', () => {
    for (const junk of ['\u0000\u0001', 'TEXT', '$$$', ')(', "MOVL $'", 'TEXT x(SB),$', 'DATA x+0(SB)/4, $1\n', '#define', '#define F(a) a\nF(']) {
      const r = assemble(junk, { file: 'j.s' });
      expect(r.ok).toBe(false);
      expect(r.errors.length).toBeGreaterThan(0);
      for (const e of r.errors) expect(e).toMatch(/^j\.s(:\d+)?: /);
    }
  });
});
