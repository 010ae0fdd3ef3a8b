// Trace filters: --trace-pid and --trace-syscalls, applied in front of a sink.

import type { Sink } from './event.ts';

export interface TraceFilter {
  /** Only these processes (all when absent). */
  pids?: ReadonlySet<number>;
  /** Only these system calls, by systab name (all when absent); other kinds pass. */
  syscalls?: ReadonlySet<string>;
}

export function filtered(sink: Sink, f: TraceFilter): Sink {
  const { pids, syscalls } = f;
  if (!pids && !syscalls) return sink;
  return (ev) => {
    if (pids && !pids.has(ev.pid)) return;
    if (syscalls && (ev.kind === 'sys' || ev.kind === 'sysenter') && !syscalls.has(ev.name)) return;
    sink(ev);
  };
}
