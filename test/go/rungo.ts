// Running a plan9/386 Go binary under the kernel in this process, with a
// captured console and trace, for the tests in test/go.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { run, type RunOptions, type RunResult } from '../../emu/run.ts';
import { unicornMachine } from '../../emu/cpu/machine.ts';
import { BufferConsole } from '../../emu/port/console.ts';

export interface GoRan extends RunResult {
  stdout: string;
  stderr: string;
  /** Trace events, when asked for. */
  events: any[];
}

export async function runGo(
  bin: string,
  args: string[] = [],
  o: Partial<RunOptions> & { input?: string; traced?: boolean } = {},
): Promise<GoRan> {
  const cons = new BufferConsole(o.input ?? '');
  const events: any[] = [];
  const name = basename(bin);
  const r = await run(readFileSync(bin), {
    machine: unicornMachine(),
    console: cons,
    name,
    argv: [name, ...args],
    trace: o.traced ? { cats: ['sys', 'notes', 'proc'] as never, sink: (e: unknown) => events.push(e) } : undefined,
    ...o,
  });
  return { ...r, stdout: cons.stdout(), stderr: cons.stderr(), events };
}
