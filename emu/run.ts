// One run of a program: boot a kernel on a machine, start the first
// process, run until nothing can run, and report how it ended. The CLI,
// the demo, the tests and the benchmarks all come through here.

import type { Machine } from './cpu/cpu.ts';
import type { Console } from './port/console.ts';
import type { Flavor } from './port/dat.ts';
import type { HostRoot } from './port/kernel.ts';
import type { Proc } from './port/proc.ts';
import { boot, type Plan9 } from './port/kernel.ts';
import type { Sink, TraceCategory } from './trace/trace.ts';
import { arch386, spawn } from './386/main.ts';
import { pc } from './conf.ts';
import { killproc } from './port/note.ts';

export interface RunOptions {
  machine: Machine;
  console: Console;
  flavor?: Flavor;
  argv?: readonly string[];
  name?: string;
  env?: Record<string, string>;
  root?: HostRoot | null;
  ncpu?: number;
  brkmax?: number;
  trace?: { cats: readonly TraceCategory[]; sink: Sink };
  /** Wall-clock limit in ms: then every process is killed, as ctl kill does (--timeout). */
  timeoutMs?: number;
  /** Called after boot, before the first process exists (clock, hooks, injection). */
  onkernel?: (k: Plan9) => void;
  /** Called after boot, before the first process runs (tests post notes here). */
  onboot?: (k: Plan9, first: Proc) => void;
  /** Called when nothing can run any more, before the machine is freed (a debugger's last stop). */
  onend?: (k: Plan9, first: Proc) => void | Promise<void>;
}

export interface RunResult {
  /** The first process's exit string ('' for success). */
  exitstr: string;
  /** Host exit code: '' → 0, a decimal 1–255 → that number, anything else → 1. */
  code: number;
  /** True when the run ended with processes still blocked and nothing to wake them. */
  deadlock: boolean;
  /** True when timeoutMs ran out and the processes were killed. */
  timedout: boolean;
  pid: number;
}

export function exitcode(exitstr: string): number {
  if (exitstr === '') return 0;
  if (/^[1-9][0-9]{0,2}$/.test(exitstr) && Number(exitstr) <= 255) return Number(exitstr);
  return 1;
}

export async function run(image: Uint8Array, o: RunOptions): Promise<RunResult> {
  const k = boot(
    {
      flavor: o.flavor ?? '4e',
      console: o.console,
      root: o.root ?? null,
      env: o.env ?? {},
      ncpu: o.ncpu ?? 1,
      sysname: 'p9emu',
      user: 'glenda',
    },
    o.machine,
    arch386,
    pc,
  );
  if (o.trace) k.trace.listen(o.trace.cats, o.trace.sink);
  o.onkernel?.(k);
  const first = spawn(k, image, { argv: o.argv, name: o.name, brkmax: o.brkmax });
  o.onboot?.(k, first);
  let timedout = false;
  if (o.timeoutMs !== undefined) {
    k.sched.limit = {
      at: Date.now() + o.timeoutMs,
      expire: () => {
        timedout = true;
        for (const p of [...k.procs.values()]) killproc(p);
      },
    };
  }
  try {
    await k.run();
    await o.onend?.(k, first);
  } finally {
    k.shutdown();
  }
  const done = first.state === 'Dead' || first.state === 'Broken';
  const exitstr = done ? first.exitstr : 'deadlock';
  return { exitstr, code: exitcode(exitstr), deadlock: !done, timedout, pid: first.pid };
}
