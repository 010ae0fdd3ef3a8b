import { describe, expect, it } from 'vitest';
import { runProg } from '../kit/runprog.ts';
import { UREG } from '../../emu/386/ureg.ts';

describe('note delivery on the 386', () => {
  it('gives the handler the Ureg, the message and (0, ureg, msg) exactly as the kernel lays them out, and NCONT restores everything', async () => {
    for (const flavor of ['4e', '9front'] as const) {
      const r = await runProg('noteframe.s', { flavor });
      expect(r.stderr).toBe('');
      expect(r.exitstr).toBe('');
      expect(r.stdout.length).toBe(76 + 128 + 16);
      const u = (f: keyof typeof UREG): number => r.stdout.readUInt32LE(UREG[f]);
      const msg = r.stdout.subarray(76, 76 + 128);
      const w = (i: number): number => r.stdout.readUInt32LE(76 + 128 + 4 * i);
      // The interrupted context: pwrite's INT, with its result already in AX.
      expect(u('trap')).toBe(64);
      expect(u('ax')).toBe(5);
      expect([u('bx'), u('cx'), u('dx'), u('si'), u('di'), u('bp')]).toEqual(
        [0x11111111, 0x22222222, 0x33333333, 0x44444444, 0x55555555, 0x66666666]);
      expect(u('flags') & 1).toBe(1);  // CF set before the call
      expect(u('cs')).toBe(0x23);
      expect(u('ss')).toBe(0x1b);
      // The frame: U = usp-256-76; handler ESP = U-144 holding 0, U, U-132.
      const U = (u('sp') - 256 - 76) >>> 0;
      expect(w(0)).toBe(U - 144);
      expect(w(1)).toBe(0);
      expect(w(2)).toBe(U);
      expect(w(3)).toBe(U - 132);
      expect(msg.subarray(0, 6).toString('latin1')).toBe('hello\0');
      expect(msg.every((b, i) => i < 5 || b === 0)).toBe(true);
    }
  });
});
