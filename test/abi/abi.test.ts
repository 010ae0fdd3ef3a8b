// p9emu abi: the 2012 stubs and Go 1.19's pass; broken stubs are caught.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../asm/asm.ts';
import { checkImage } from '../../emu/abi/abi.ts';
import type { Convention } from '../../emu/abi/conventions.ts';
import { goStubsSource } from './gostubs.ts';
import { goroot } from '../kit/gopin.ts';
import { skipWithoutGo } from '../go/gobuild.ts';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

function image(src: string): Uint8Array {
  const r = assemble(src, { file: 'stub.s', allowUndefined: true });
  if (!r.ok || !r.aout) throw new Error(r.errors.join('\n'));
  return r.aout;
}

async function violations(src: string, convention: Convention = 'c'): Promise<string[]> {
  const [r] = await checkImage(image(src), { convention });
  return r!.violations;
}

describe('correct stubs', () => {
  it('passes every stub of asm/sys_plan9_386.s (the 2012 C convention)', async () => {
    const file = fileURLToPath(new URL('../../asm/sys_plan9_386.s', import.meta.url));
    const reports = await checkImage(image(readFileSync(file, 'utf8')), { convention: 'c' });
    expect(reports.map((r) => r.symbol)).toHaveLength(17);
    for (const r of reports) expect([r.symbol, r.violations]).toEqual([r.symbol, []]);
    const open = reports.find((r) => r.symbol === 'runtime.open')!;
    expect(open).toMatchObject({ call: 14, expected: 14, result: ['AX'], stack: 0, clobbers: [], readsBeforeWrite: [] });
    expect(open.args.map((a) => a.from)).toEqual(['FP+0', 'FP+4']);
  });

  it.skipIf(skipWithoutGo())('passes Go 1.19\'s stubs that need no generated headers (Go ABI0)', async () => {
    const { src } = goStubsSource(goroot()!);
    const reports = await checkImage(image(src), { convention: 'go' });
    expect(reports.length).toBeGreaterThanOrEqual(18);
    for (const r of reports) expect([r.symbol, r.violations]).toEqual([r.symbol, []]);
    const seek = reports.find((r) => r.symbol === 'runtime.seek')!;
    expect(seek.args.map((a) => a.from)).toEqual(['&FP+16', 'FP+0', 'FP+4', 'FP+8', 'FP+12']);
    expect(reports.find((r) => r.symbol === 'runtime.open')!.result).toContain('ret+12(FP)');
  });
});

describe('broken stubs', () => {
  it('catches a wrong call number', async () => {
    expect(await violations('TEXT runtime·open(SB),7,$0\n\tMOVL\t$15, AX\n\tINT\t$64\n\tRET\n'))
      .toEqual(['calls 15 (_read), but runtime.open is 14 (open)']);
  });

  it('catches a Go stub that does not store its result', async () => {
    expect(await violations('TEXT runtime·closefd(SB),4,$0\n\tMOVL\t$4, AX\n\tINT\t$64\n\tRET\n', 'go'))
      .toEqual(['result not stored in ret+4(FP)']);
  });

  it('catches a C stub that loses its result', async () => {
    expect(await violations('TEXT runtime·sleep(SB),7,$0\n\tMOVL\t$17, AX\n\tINT\t$64\n\tMOVL\t$0, AX\n\tRET\n'))
      .toEqual(['result not left in AX']);
  });

  it('catches an unbalanced stack at RET', async () => {
    const v = await violations('TEXT runtime·close(SB),7,$0\n\tMOVL\t$4, AX\n\tINT\t$64\n\tSUBL\t$8, SP\n\tRET\n');
    expect(v).toEqual(['stack unbalanced at RET: SP off by -8']);
  });

  it('catches arguments at the wrong offset', async () => {
    const v = await violations('TEXT runtime·open(SB),7,$0\n\tMOVL\t$14, AX\n\tSUBL\t$4, SP\n\tINT\t$64\n\tADDL\t$4, SP\n\tRET\n');
    expect(v).toEqual(['kernel argument 0 came from 0xbadd000, expected FP+0', 'kernel argument 1 came from FP+0, expected FP+4']);
  });

  it('catches an rfork whose child path clobbers a register the caller keeps', async () => {
    const src = 'TEXT runtime·rfork(SB),7,$0\n\tMOVL\t$19, AX\n\tINT\t$64\n\tCMPL\tAX, $0\n\tJNE\t2(PC)\n\tMOVL\t$0, BX\n\tRET\n';
    expect(await violations(src)).toEqual(['child: clobbers BX, which the caller keeps']);
  });

  it('catches a register read before it is written', async () => {
    const v = await violations('TEXT runtime·close(SB),7,$0\n\tMOVL\t$4, AX\n\tINT\t$64\n\tMOVL\tCX, 4(SP)\n\tRET\n');
    expect(v).toEqual(["wrote the caller's FP+0", 'reads CX before writing it']);
  });
});
