// UnicornCpu.run budgets: instruction count and time slice.
import { afterEach, describe, expect, it } from 'vitest';
import { setPreemptMode } from '../../emu/cpu/unicorn.ts';
import { startWatchdog, watchdogState } from '../../emu/cpu/preempt.ts';
import { unicorn } from '../../emu/cpu/unicorn_ffi.ts';
import { CODE, guest, type Guest } from './guest.ts';

let g: Guest | undefined;
afterEach(() => {
  g?.close();
  g = undefined;
  setPreemptMode('watchdog');
});

const INCS = Array(40).fill(0x40); // INCL AX x 40

describe('UnicornCpu count', () => {
  it('count N executes exactly N instructions', () => {
    g = guest([...INCS, 0xcd, 0x40]);
    expect(g.cpu.run({ count: 5 })).toEqual({ kind: 'count' });
    expect(g.cpu.reg('ax')).toBe(5);
    expect(g.cpu.reg('pc')).toBe(CODE + 5);
    expect(g.cpu.run({ count: 7 })).toEqual({ kind: 'count' });
    expect(g.cpu.reg('ax')).toBe(12);
    expect(g.cpu.reg('pc')).toBe(CODE + 12);
  });

  it('count works for code first translated without it', () => {
    g = guest([...INCS, 0xcd, 0x40]);
    g.cpu.onSyscall(() => g!.cpu.stop());
    expect(g.cpu.run()).toEqual({ kind: 'stopped' });
    expect(g.cpu.reg('ax')).toBe(40);
    g.cpu.setReg('pc', CODE);
    g.cpu.setReg('ax', 0);
    expect(g.cpu.run({ count: 3 })).toEqual({ kind: 'count' });
    expect(g.cpu.reg('ax')).toBe(3);
    // And a run without count afterwards runs to the end.
    expect(g.cpu.run()).toEqual({ kind: 'stopped' });
    expect(g.cpu.reg('ax')).toBe(40);
  });

  it('a stop before the count runs out wins', () => {
    g = guest([0x40, 0xcd, 0x40, 0x40]);
    g.cpu.onSyscall(() => g!.cpu.stop());
    expect(g.cpu.run({ count: 100 })).toEqual({ kind: 'stopped' });
    expect(g.cpu.reg('pc')).toBe(CODE + 3);
  });

  it('count mode gives exact pcs for mid-block faults', () => {
    // MOVL $1, AX; ADDL $2, AX; MOVL AX, 0x5000000
    g = guest([0xb8, 1, 0, 0, 0, 0x83, 0xc0, 2, 0xa3, 0, 0, 0, 5]);
    expect(g.cpu.run({ count: 1000 })).toEqual({ kind: 'fault', access: 'write', addr: 0x5000000, pc: CODE + 8 });
  });
});

describe('UnicornCpu time slice', () => {
  for (const mode of ['watchdog', 'unicorn'] as const) {
    it(`an infinite loop returns 'timeout' (${mode})`, async () => {
      setPreemptMode(mode);
      // The watchdog thread itself, not Unicorn's timeout that stands in for it until it is started (preempt_lazy.test.ts).
      if (mode === 'watchdog') {
        await startWatchdog(unicorn()).started;
        expect(watchdogState()).toBe('ready');
      }
      g = guest([0x40, 0xeb, 0xfd]); // loop: INCL AX; JMP loop
      const t0 = performance.now();
      expect(g.cpu.run({ timeoutUs: 20_000 })).toEqual({ kind: 'timeout' });
      const ms = performance.now() - t0;
      expect(ms).toBeGreaterThanOrEqual(19);
      // A bound on a hang only.
      expect(ms).toBeLessThan(60_000);
      // The loop ran, and the next slices continue it. A slice on a loaded
      // host may pass with the guest never scheduled, so progress is asked of
      // up to 1000 slices, a bound far above the need.
      const n = g.cpu.reg('ax');
      for (let i = 0; i < 1_000 && g.cpu.reg('ax') === n; i++) {
        expect(g.cpu.run({ timeoutUs: 5_000 })).toEqual({ kind: 'timeout' });
      }
      expect(g.cpu.reg('ax')).toBeGreaterThan(n);
    });
  }

  it('short runs with a slice are not cut short', () => {
    g = guest([0x40, 0xcd, 0x40, 0xeb, 0xfb]); // loop: INCL AX; INT $64; JMP loop
    g.cpu.onSyscall(() => g!.cpu.stop());
    for (let i = 1; i <= 200; i++) {
      expect(g.cpu.run({ timeoutUs: 10_000 })).toEqual({ kind: 'stopped' });
    }
    expect(g.cpu.reg('ax')).toBe(200);
  });
});
