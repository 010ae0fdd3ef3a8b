import { describe, expect, it } from 'vitest';
import { runProg } from '../kit/runprog.ts';

describe('code in data, bss and stack (Plan 9 386 has no no-execute bit)', () => {
  it('runs there, and a store into code that already ran is seen', async () => {
    // datacode.s: the template in data (7), a bss copy patched to 9, a
    // stack copy (7) patched to 5. p9emu maps these segments without exec
    // and grants it on the first fetch (AddressSpace.execfault); no note.
    const r = await runProg('datacode.s');
    expect(r.stdout.toString()).toBe('7 9 7 5\n');
    expect(r.exitstr).toBe('');
    expect(r.events.filter((e) => e.kind === 'fault')).toEqual([]);
  });
});
