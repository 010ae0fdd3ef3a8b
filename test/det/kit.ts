// One deterministic run of a program or of the demo, its JSONL trace as text.

import { readFileSync } from 'node:fs';
import { instrument, type Instrumentation } from '../../emu/instrument.ts';
import { run } from '../../emu/run.ts';
import { unicornMachine } from '../../emu/cpu/machine.ts';
import { BufferConsole } from '../../emu/port/console.ts';
import { assembleRuntime, PROGRAMS, runDemo, type Variant } from '../../emu/demo/demo.ts';
import { assembleProg } from '../kit/runprog.ts';

export interface DetRun {
  jsonl: string;
  stdout: string;
  exitstr: string;
}

const ALL = ['sys', 'notes', 'proc'] as const;

function withJsonl(o: Instrumentation): { o: Instrumentation; text: () => string } {
  let text = '';
  return { o: { ...o, trace: { cats: ALL, format: 'jsonl', out: (s) => (text += s) } }, text: () => text };
}

/** A test/prog program or an a.out file (path), run with --deterministic and the given extras. */
export async function detRun(prog: string, extra: Instrumentation = {}, argv?: string[]): Promise<DetRun> {
  const img = prog.endsWith('.s') ? assembleProg(prog) : new Uint8Array(readFileSync(prog));
  const { o, text } = withJsonl({ det: { seed: 1 }, ...extra });
  const ins = await instrument(o, [img]);
  const cons = new BufferConsole('');
  const r = await run(img, { machine: unicornMachine(), console: cons, argv, name: 'prog', trace: ins.trace, onkernel: ins.onkernel, brkmax: 1 << 28 });
  ins.close();
  return { jsonl: text(), stdout: Buffer.concat(cons.out).toString('latin1'), exitstr: r.exitstr };
}

export async function detDemo(v: Variant, extra: Instrumentation = {}): Promise<DetRun & { summary: string }> {
  const { o, text } = withJsonl({ det: { seed: 1 }, ...extra });
  const ins = await instrument(o, [assembleRuntime(PROGRAMS[v].a), assembleRuntime(PROGRAMS[v].b)]);
  const r = await runDemo(v, { machine: unicornMachine(), trace: ins.trace, onkernel: ins.onkernel });
  ins.close();
  return { jsonl: text(), stdout: r.stdout, exitstr: '', summary: JSON.stringify([r.procs, r.notes]) };
}
