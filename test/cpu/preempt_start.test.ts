// The preemption watchdog thread starts at the first timed run, and a run
// armed before the thread is ready is still stopped by it once it is
// (emu/cpu/preempt.ts): Unicorn's own timer, used beside it meanwhile,
// can lose its stop.
import { describe, expect, it } from 'vitest';
import { Watchdog, watchdogState } from '../../emu/cpu/preempt.ts';
import { unicornPath } from '../../emu/cpu/unicorn_ffi.ts';
import { CODE, guest } from './guest.ts';

/** The engine handle and library of a test CPU (UcEngine keeps them protected). */
const raw = (cpu: unknown) => cpu as { uc: bigint; L: { uc_emu_start(uc: bigint, b: number, u: number, t: number, n: number): number } };

describe('preemption watchdog start', () => {
  it('no thread for runs without a slice; the first timed run starts it and is stopped', () => {
    const g = guest([0x40, 0xcd, 0x40, 0xeb, 0xfb]); // loop: INCL AX; INT $64; JMP loop
    const loop = guest([0x40, 0xeb, 0xfd]); // loop: INCL AX; JMP loop
    try {
      g.cpu.onSyscall(() => g.cpu.stop());
      for (let i = 0; i < 100; i++) expect(g.cpu.run()).toEqual({ kind: 'stopped' });
      expect(watchdogState()).toBe('off');
      expect(loop.cpu.run({ timeoutUs: 5_000 })).toEqual({ kind: 'timeout' });
      expect(watchdogState()).not.toBe('off');
    } finally {
      g.close();
      loop.close();
    }
  });

  it('a run armed while the thread still loads, with no other timer, ends once the thread is ready', async () => {
    const loop = guest([0x40, 0xeb, 0xfd]);
    const dog = new Watchdog(unicornPath());
    try {
      expect(dog.ready).toBe(false); // it loads koffi and libunicorn first
      const { uc, L } = raw(loop.cpu);
      dog.arm(uc, 1);
      // As a run whose Unicorn stop was lost: nothing but the thread can end it.
      L.uc_emu_start(uc, CODE, 0, 0, 0);
      expect(dog.disarm()).toBe(true);
      expect(dog.ready).toBe(true);
      expect(loop.cpu.reg('ax')).toBeGreaterThan(0);
    } finally {
      await dog.terminate();
      loop.close();
    }
  }, 60_000);
});
