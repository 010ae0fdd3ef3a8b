// Machine factories: which Cpu and which host memory the kernel gets.
//
// unicornMachine() is the real thing; fakeMachine() gives FakeCpus over JS
// memory for kernel unit tests (libunicorn is never loaded).

import type { Machine } from './cpu.ts';
import { FakeCpu } from './fakecpu.ts';
import { jsAlloc, unicornAlloc } from './hostmem.ts';
import { UnicornCpu } from './unicorn.ts';
import { unicorn } from './unicorn_ffi.ts';
import { takeEngine } from './enginepool.ts';

export type { Machine } from './cpu.ts';

/** Real CPUs. Throws CpuUnavailable (one line) if libunicorn cannot be loaded. */
export function unicornMachine(): Machine {
  unicorn(); // fail here, once, rather than at the first exec
  return { newCpu: (counted = false) => takeEngine<UnicornCpu>(counted) ?? new UnicornCpu(), alloc: unicornAlloc };
}

export interface FakeMachine extends Machine {
  /** Every CPU handed out, in order, so tests can script them. */
  readonly cpus: FakeCpu[];
  newCpu(): FakeCpu;
}

/** Scriptable CPUs over JS memory. */
export function fakeMachine(setup?: (cpu: FakeCpu, index: number) => void): FakeMachine {
  const cpus: FakeCpu[] = [];
  return {
    cpus,
    alloc: jsAlloc,
    newCpu() {
      const cpu = new FakeCpu();
      setup?.(cpu, cpus.length);
      cpus.push(cpu);
      return cpu;
    },
  };
}
