// The two kinds of explore target: one program (as `p9emu run`), or a
// variant of the demo (as `p9emu demo`). A Target says which in plain data,
// so that a worker process can build the same runner.

import { instrument, type Instrumentation } from '../instrument.ts';
import { run } from '../run.ts';
import { unicornMachine } from '../cpu/machine.ts';
import { BufferConsole } from '../port/console.ts';
import { assembleRuntime, knownPrograms, PROGRAMS, runDemo, type Variant } from '../demo/demo.ts';
import type { Plan9 } from '../port/kernel.ts';
import type { Ran, Runner } from './explore.ts';

export type Target =
  | { kind: 'program'; image: Uint8Array; argv: readonly string[]; name: string }
  /** programs: the variant's, assembled (demoPrograms), if at hand. */
  | { kind: 'demo'; variant: Variant; programs?: Record<string, Uint8Array> };

export function runnerFor(t: Target): Runner {
  return t.kind === 'demo' ? demoRunner(t.variant, t.programs) : programRunner(t.image, t.argv, t.name);
}

/** Also record every process's exit string. */
function recording(onkernel: (k: Plan9) => void, exits: Record<number, string>): (k: Plan9) => void {
  return (k) => {
    onkernel(k);
    k.trace.listen(['proc'], (e) => {
      if (e.kind === 'proc' && e.what === 'exec') exits[e.pid] ??= '(running)';
      if (e.kind === 'proc' && e.what === 'rfork' && e.child) exits[e.child] = '(running)';
      if (e.kind === 'proc' && e.what === 'exits') exits[e.pid] = e.status ?? '';
    });
  };
}

export function programRunner(image: Uint8Array, argv: readonly string[], name: string): Runner {
  return async (o: Instrumentation): Promise<Ran> => {
    const ins = await instrument(o, [image]);
    const exits: Record<number, string> = {};
    const cons = new BufferConsole('');
    try {
      await run(image, { machine: unicornMachine(), console: cons, argv, name, trace: ins.trace, onkernel: recording(ins.onkernel, exits) });
    } finally {
      ins.close();
    }
    return { exits, stdout: Buffer.concat(cons.out).toString('latin1') };
  };
}

export function demoRunner(v: Variant, programs?: Record<string, Uint8Array>): Runner {
  if (programs) knownPrograms(programs);
  const images = [assembleRuntime(PROGRAMS[v].a), assembleRuntime(PROGRAMS[v].b)];
  return async (o: Instrumentation): Promise<Ran> => {
    const ins = await instrument(o, images);
    const exits: Record<number, string> = {};
    try {
      const r = await runDemo(v, { machine: unicornMachine(), trace: ins.trace, onkernel: recording(ins.onkernel, exits) });
      return { exits, stdout: r.stdout };
    } finally {
      ins.close();
    }
  };
}
