// The native watchdog thread (emu/cpu/preempt_native.ts): on x86-64 Linux
// it is the one a timed run starts (no worker thread, no V8 isolate), it
// is ready at once, it stops a spinning guest at each slice's end, and it
// wakes from its idle sleep when a slice is armed.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startWatchdog } from '../../emu/cpu/preempt.ts';
import { NativeWatchdog } from '../../emu/cpu/preempt_native.ts';
import { IDLE } from '../../emu/cpu/slices.ts';
import { unicorn } from '../../emu/cpu/unicorn_ffi.ts';
import { guest } from './guest.ts';

/** This process's threads. */
const threads = (): string[] => readdirSync('/proc/self/task');

describe('native preemption watchdog (x86-64 Linux)', () => {
  it('is the watchdog, ready at once, one thread more', () => {
    const before = threads().length;
    const dog = startWatchdog(unicorn());
    expect(dog).toBeInstanceOf(NativeWatchdog);
    expect(dog.ready).toBe(true);
    expect(threads().length).toBe(before + 1);
    expect(startWatchdog(unicorn())).toBe(dog); // one a process
  });

  it('stops a spinning guest at the end of each slice, also after sleeping idle', async () => {
    const dog = startWatchdog(unicorn()) as unknown as { ctl: Int32Array };
    const loop = guest([0x40, 0xeb, 0xfd]); // loop: INCL AX; JMP loop
    try {
      // Every run must come back stopped; whether a given 1 ms slice ran any
      // guest instruction depends on the host's scheduler (a loaded machine
      // can spend the whole slice elsewhere), so progress is asked of the
      // runs together, with a bound far above the need.
      const runUntilProgress = (): void => {
        const last = loop.cpu.reg('ax');
        for (let i = 0; i < 1_000 && loop.cpu.reg('ax') === last; i++) {
          expect(loop.cpu.run({ timeoutUs: 1_000 })).toEqual({ kind: 'timeout' });
        }
        expect(loop.cpu.reg('ax')).not.toBe(last);
      };
      for (let i = 0; i < 20; i++) runUntilProgress();
      // Unarmed, the thread goes to sleep with no timeout (after 50 waits of 1 ms).
      for (let i = 0; i < 10_000 && Atomics.load(dog.ctl, IDLE) === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(Atomics.load(dog.ctl, IDLE)).toBe(1);
      runUntilProgress();
    } finally {
      loop.close();
    }
  }, 200_000);
});
