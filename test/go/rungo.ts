// Running a plan9/386 Go binary under the kernel in this process, with a
// captured console and trace, for the tests in test/go.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { run, type RunOptions, type RunResult } from '../../emu/run.ts';
import { unicornMachine } from '../../emu/cpu/machine.ts';
import { BufferConsole } from '../../emu/port/console.ts';
import type { Plan9 } from '../../emu/port/kernel.ts';
import { killproc } from '../../emu/port/note.ts';

export interface GoRan extends RunResult {
  stdout: string;
  stderr: string;
  /** Trace events, when asked for. */
  events: any[];
  /** The 'sys: floating point in note handler' note that killed a process, if one did (docs/go-note-fp.md). */
  fpnote: string;
}

const FPNOTE = 'sys: floating point in note handler';

export async function runGo(
  bin: string,
  args: string[] = [],
  o: Partial<RunOptions> & { input?: string; traced?: boolean } = {},
): Promise<GoRan> {
  const cons = new BufferConsole(o.input ?? '');
  const events: any[] = [];
  const name = basename(bin);
  // A Go program whose note handler dies of Go's own FP bug hangs, as on
  // Plan 9: the run ends when that note kills a process, with the note kept.
  let fpnote = '';
  let k: Plan9 | undefined;
  const sink = (e: any): void => {
    if (o.traced) events.push(e);
    if (e.kind === 'note' && e.what === 'killed' && e.msg.startsWith(FPNOTE) && !fpnote && k) {
      fpnote = e.msg;
      for (const p of [...k.procs.values()]) killproc(p);
    }
  };
  const r = await run(readFileSync(bin), {
    machine: unicornMachine(),
    console: cons,
    name,
    argv: [name, ...args],
    trace: o.trace ?? { cats: (o.traced ? ['sys', 'notes', 'proc'] : ['notes']) as never, sink },
    ...o,
    onkernel: (kk) => {
      k = kk;
      o.onkernel?.(kk);
    },
  });
  return { ...r, stdout: cons.stdout(), stderr: cons.stderr(), events, fpnote };
}
