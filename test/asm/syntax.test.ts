// Assembler behaviour that needs no Go toolchain: branch sizing at the
// short/near boundary, frames, macros and includes.

import { describe, expect, it } from 'vitest';
import { assemble } from '../../asm/asm.ts';

function hexOf(body: string, opts: { frame?: string; files?: Record<string, string> } = {}): string {
  const src = `TEXT _main(SB),4,${opts.frame ?? '$0'}\n${body}\n`;
  const r = assemble(src, { file: '/t/m.s', readFile: (p) => opts.files?.[p] ?? (() => { throw new Error('ENOENT'); })() });
  expect(r.errors).toEqual([]);
  return r.symbols.find((s) => s.name === '_main')!.hex!;
}
const pad = (n: number) => Array.from({ length: n }, () => '\tBYTE $0x90').join('\n');

describe('branch sizes', () => {
  it('keeps a forward jump short at a displacement of 127 and makes it near at 128', () => {
    expect(hexOf(`\tJMP l\n${pad(127)}\nl:\n\tRET`).slice(0, 4)).toBe('eb7f');
    expect(hexOf(`\tJMP l\n${pad(128)}\nl:\n\tRET`).slice(0, 10)).toBe('e980000000');
    expect(hexOf(`\tJEQ l\n${pad(128)}\nl:\n\tRET`).slice(0, 12)).toBe('0f8480000000');
  });

  it('keeps a backward jump short at -128 and makes it near beyond', () => {
    expect(hexOf(`l:\n${pad(126)}\n\tJMP l`).slice(-4)).toBe('eb80');
    expect(hexOf(`l:\n${pad(127)}\n\tJMP l`).slice(-10)).toBe('e97cffffff');
  });

  it('counts N(PC) in instructions and threads jumps to jumps like Go', () => {
    expect(hexOf('\tJEQ 2(PC)\n\tNOP\n\tRET')).toBe('7400c3');
    expect(hexOf('\tJEQ l\n\tINT $3\nl:\n\tJMP m\n\tINT $3\nm:\n\tRET')).toBe('7406cd03eb02cd03c3') // JEQ goes straight to the RET;
  });
});

describe('frames and pseudo-registers', () => {
  it('adds SUBL/ADDL for the frame and rewrites FP and pseudo-SP offsets, following pushes', () => {
    const h = hexOf('\tMOVL a+0(FP), AX\n\tMOVL AX, x-4(SP)\n\tPUSHL AX\n\tMOVL a+0(FP), BX\n\tPOPL AX\n\tRET', { frame: '$8-4' });
    expect(h).toBe('83ec08' + '8b44240c' + '89442404' + '50' + '8b5c2410' + '58' + '83c408' + 'c3');
  });
});

describe('preprocessor', () => {
  it('expands object- and function-like macros, honours #ifdef/#else and includes local files', () => {
    const files = { '/t/inc/defs.h': '#define SYS_EXITS 8\n#define SYSCALL(n) MOVL $n, AX; INT $64\n' };
    const body = '#include "inc/defs.h"\n#ifdef SYS_EXITS\n\tSYSCALL(SYS_EXITS)\n#else\n\tHLT\n#endif\n\tRET /* done */ // really';
    expect(hexOf(body, { files })).toBe('b808000000cd40c3');
  });

  it('evaluates constant expressions with Go precedence and character constants', () => {
    // Go: 1|2<<3 is 1|(2<<3) = 17, and 6-2|1 is (6-2)|1 = 5.
    expect(hexOf("\tMOVL $(1|2<<3), AX\n\tMOVL $(6-2|1), BX\n\tMOVL $'A', CX\n\tRET")).toBe('b811000000' + 'bb05000000' + 'b941000000' + 'c3');
  });
});
