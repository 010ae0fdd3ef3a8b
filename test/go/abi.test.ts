// The stub checker on a real Go 1.19 binary, through the package's API
// and the CLI: Go's convention by default, only the functions that execute
// INT $64 themselves, and runtime.seek's hidden vlong pointer (README).

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { checkAbi, load } from 'p9emu';
import { fixture, REPO, skipWithoutGo } from './gobuild.ts';

describe.skipIf(skipWithoutGo())('abi on a Go a.out', () => {
  it('checks only the stubs, in Go ABI0, and finds no violation in hello', async () => {
    const reports = await checkAbi(load(fixture('hello')));
    const names = reports.map((r) => r.symbol);
    expect(names).toContain('runtime.pwrite');
    expect(names).not.toContain('runtime.write1');   // a caller of a stub
    expect(reports.filter((r) => r.violations.length > 0)).toEqual([]);
    expect(reports.find((r) => r.symbol === 'runtime.pwrite')!.convention).toBe('go');
    expect(reports.length).toBeLessThan(30);
    const callers = await checkAbi(load(fixture('hello')), { callers: true, symbol: 'runtime.seek' });
    expect(callers).toHaveLength(1);
    expect(callers[0]!.args.map((a) => a.from)).toEqual(['&FP+16', 'FP+0', 'FP+4', 'FP+8', 'FP+12']);
    expect(callers[0]!.result).toContain('ret+16(FP) (vlong, by the kernel)');
  });

  it("reproduces the README's runtime.seek row with the command it shows", () => {
    const r = spawnSync('node', [join(REPO, 'bin/p9emu'), 'abi', '--callers', '--symbol', 'runtime.seek', fixture('hello')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^runtime\.seek +go +39 seek +&FP\+16 FP\+0 FP\+4 FP\+8 FP\+12 +AX ret\+16\(FP\) \(vlong, by the kernel\) .* ok$/m);
  });
});
