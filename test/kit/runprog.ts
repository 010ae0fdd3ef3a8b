// Run a guest program from test/prog under the real machine, capturing its
// console and the trace, for end-to-end kernel tests.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assemble } from '../../asm/asm.ts';
import { run, type RunOptions, type RunResult } from '../../emu/run.ts';
import { unicornMachine } from '../../emu/cpu/machine.ts';
import { BufferConsole } from '../../emu/port/console.ts';
import type { TraceEvent } from '../../emu/trace/trace.ts';

export function progpath(name: string): string {
  return fileURLToPath(new URL(`../prog/${name}`, import.meta.url));
}

export function assembleProg(name: string, src?: string): Uint8Array {
  const file = progpath(name);
  const r = assemble(src ?? readFileSync(file, 'utf8'), { file, readFile: (p) => readFileSync(p, 'utf8') });
  if (!r.ok || !r.aout) throw new Error(r.errors.join('\n'));
  return r.aout;
}

export interface Ran extends RunResult {
  stdout: Buffer;
  stderr: string;
  events: TraceEvent[];
}

export async function runProg(
  name: string,
  o: Partial<RunOptions> & { src?: string; input?: string } = {},
): Promise<Ran> {
  return runImage(assembleProg(name, o.src), { name: name.replace(/\.s$/, ''), ...o });
}

/** Run an a.out the test built itself. */
export async function runImage(image: Uint8Array, o: Partial<RunOptions> & { input?: string } = {}): Promise<Ran> {
  const cons = new BufferConsole(o.input ?? '');
  const events: TraceEvent[] = [];
  const r = await run(image, {
    machine: unicornMachine(),
    console: cons,
    trace: { cats: ['sys', 'notes', 'proc'], sink: (e) => events.push(e) },
    brkmax: 16 << 20,
    ...o,
  });
  return { ...r, stdout: Buffer.concat(cons.out), stderr: cons.stderr(), events };
}
