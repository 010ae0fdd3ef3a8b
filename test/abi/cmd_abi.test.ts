// The abi command: exit status and output forms.
import { describe, expect, it, vi } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { abiMain } from '../../bin/cmd_abi.ts';

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  try {
    return { code: await abiMain(args), out };
  } finally {
    spy.mockRestore();
  }
}

describe('p9emu abi', () => {
  it('exits 0 on the 2012 stubs, with one JSON report per stub', async () => {
    const r = await cli([fileURLToPath(new URL('../../asm/sys_plan9_386.s', import.meta.url)), '--json']);
    expect(r.code).toBe(0);
    const reports = JSON.parse(r.out) as { symbol: string; convention: string }[];
    expect(reports).toHaveLength(17);
    expect(reports.every((x) => x.convention === 'c')).toBe(true);
  });

  it('exits 1 and names the violation in its table for a broken stub; --symbol picks one', async () => {
    const f = join(mkdtempSync(join(tmpdir(), 'abi-')), 'bad.s');
    writeFileSync(f, '#include "textflag.h"\nTEXT runtime·sleep(SB),NOSPLIT,$0\n\tMOVL\t$17, AX\n\tINT\t$64\n\tRET\n'
      + 'TEXT runtime·noted(SB),NOSPLIT,$0\n\tMOVL\t$29, AX\n\tINT\t$64\n\tMOVL\tAX, ret+4(FP)\n\tRET\n');
    const r = await cli([f]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/runtime\.sleep +go +17 sleep .*VIOLATION\n +result not stored in ret\+4\(FP\)/);
    expect(r.out).toMatch(/runtime\.noted +go +29 noted .* ok\n/);
    expect((await cli([f, '--symbol', 'runtime·noted'])).code).toBe(0);
  });
});
