import { describe, expect, it } from 'vitest';
import { runProg } from '../kit/runprog.ts';

describe('rfork', () => {
  it('shares data and bss with RFMEM but not the stack, copies them without, and gives the child the parent registers and XMM state', async () => {
    const r = await runProg('rfmem.s');
    expect(r.stderr).toBe('');
    expect(r.exitstr).toBe('');
    const lines = r.stdout.toString().trim().split('\n');
    expect(lines[0]).toMatch(/^2 \d+ \d+ \d+ ''$/);
    expect(lines[1]).toMatch(/^3 \d+ \d+ \d+ ''$/);
    const forks = r.events.filter((e) => e.kind === 'proc' && e.what === 'rfork').map((e) => e.kind === 'proc' && e.detail);
    expect(forks).toEqual(['flags=RFPROC|RFMEM child=2', 'flags=RFPROC child=3']);
  });
});
