// REP MOVSL through the kernel: a copy running off the end of bss ends in
// the same 'sys: trap: fault' note with the fast path (emu/cpu/repstring.ts)
// as with the engine's own loop, naming the first unmapped address and the
// REP instruction.
import { afterEach, describe, expect, it } from 'vitest';
import { assembleProg, runProg } from '../kit/runprog.ts';
import { parseAout } from '../../emu/aout.ts';
import { setFastStrings } from '../../emu/cpu/unicorn.ts';

afterEach(() => setFastStrings(true));

describe('REP MOVSL off the end of bss', () => {
  it('is killed by the same note with and without the fast path', async () => {
    const a = parseAout(assembleProg('repfault.s'));
    const at = a.text.findIndex((b, i) => b === 0xf3 && a.text[i + 1] === 0xa5);
    expect(at).toBeGreaterThan(0);
    const rep = 0x1020 + at; // text starts at 0x1020
    const buf = a.syms.find((s) => s.name === 'buf')?.value;
    const end = (buf! + 8192 + 4095) & ~4095; // bss ends on a page boundary
    const fast = await runProg('repfault.s');
    setFastStrings(false);
    const slow = await runProg('repfault.s');
    expect(fast.exitstr).toBe(`sys: trap: fault write addr=0x${end.toString(16)} pc=0x${rep!.toString(16).padStart(8, '0')}`);
    expect(fast.exitstr).toBe(slow.exitstr);
    expect(fast.stderr).toBe(slow.stderr.replace(`${slow.pid}:`, `${fast.pid}:`));
  });
});
