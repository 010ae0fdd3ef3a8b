// A host exception inside the kernel model is a bug in p9emu, never the
// guest's doing. It is contained at the trap boundary (386/trap.ts): the
// process it happened in dies with an exit string naming the call, the
// event is traced, one line goes to the host's stderr, the other processes
// go on, and the run's result (run.ts) says something went wrong.

import type { Proc } from './proc.ts';
import { pexit } from './pexit.ts';

export interface InternalError {
  pid: number;
  /** The system call, or 'trap' for the return to user mode and note delivery. */
  call: string;
  message: string;
}

const utf8 = new TextEncoder();

/** Kill up for the exception e raised in `call`. */
export function internalerror(up: Proc, call: string, e: unknown): void {
  const k = up.kernel;
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
  k.internal.push({ pid: up.pid, call, message });
  k.trace.procev(up, 'internal', `${call}: ${message}`, { name: call, status: message });
  const stack = process.env.P9EMU_DEBUG && e instanceof Error && e.stack ? `${e.stack}\n` : '';
  k.config.console.write(2, utf8.encode(`p9emu: internal error in ${call} (pid ${up.pid}): ${message}\n${stack}`));
  try {
    pexit(up, `internal error in ${call}`, true);
  } catch {
    // The process's own state is what failed: end it without the bookkeeping.
    up.state = 'Moribund';
    up.exitstr = `internal error in ${call}`;
  }
}
