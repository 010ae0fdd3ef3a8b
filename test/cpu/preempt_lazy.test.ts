// The preemption watchdog thread starts only once a process has made
// LAZY_RUNS timed runs (emu/cpu/preempt.ts): before, Unicorn's own timeout
// stops a runaway guest all the same.
import { describe, expect, it } from 'vitest';
import { LAZY_RUNS, startWatchdog, watchdogState } from '../../emu/cpu/preempt.ts';
import { unicornPath } from '../../emu/cpu/unicorn_ffi.ts';
import { guest } from './guest.ts';

describe('lazy preemption watchdog', () => {
  it('stops a runaway guest before the thread starts, starts it at the LAZY_RUNS-th timed run, and stops one with it', async () => {
    const g = guest([0x40, 0xcd, 0x40, 0xeb, 0xfb]); // loop: INCL AX; INT $64; JMP loop
    const loop = guest([0x40, 0xeb, 0xfd]); // loop: INCL AX; JMP loop
    try {
      expect(loop.cpu.run({ timeoutUs: 5_000 })).toEqual({ kind: 'timeout' });
      expect(watchdogState()).toBe('off');
      g.cpu.onSyscall(() => g.cpu.stop());
      // Runs without a slice do not count.
      for (let i = 0; i < 2 * LAZY_RUNS; i++) expect(g.cpu.run()).toEqual({ kind: 'stopped' });
      expect(watchdogState()).toBe('off');
      for (let i = 2; i < LAZY_RUNS; i++) expect(g.cpu.run({ timeoutUs: 10_000 })).toEqual({ kind: 'stopped' });
      expect(watchdogState()).toBe('off');
      expect(g.cpu.run({ timeoutUs: 10_000 })).toEqual({ kind: 'stopped' });
      expect(watchdogState()).not.toBe('off');
      await startWatchdog(unicornPath()).started;
      expect(watchdogState()).toBe('ready');
      const n = loop.cpu.reg('ax');
      expect(loop.cpu.run({ timeoutUs: 5_000 })).toEqual({ kind: 'timeout' });
      expect(loop.cpu.reg('ax')).toBeGreaterThan(n);
    } finally {
      g.close();
      loop.close();
    }
  }, 60_000);
});
