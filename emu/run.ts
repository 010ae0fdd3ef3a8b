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
import type { InternalError } from './port/internal.ts';
import { arch386, spawn } from './386/main.ts';
import { pc } from './conf.ts';
import { killproc } from './port/note.ts';
import { MEMDEFAULT, PROCSDEFAULT } from './port/vmem.ts';
import { deadlockreport } from './port/deadlock.ts';
import { treeenv } from './tree/tree.ts';

const USER = 'glenda';
const SYSNAME = 'p9emu';

/** Host exit statuses for runs that went wrong, apart from any the guest can give (1-255 by exit string). */
export const EXIT_INTERNAL = 70;  // a host exception was contained (sysexits.h EX_SOFTWARE)
export const EXIT_TIMEOUT = 124;  // --timeout ran out (as timeout(1))
export const EXIT_DEADLOCK = 125; // every process blocked for good

export interface RunOptions {
  machine: Machine;
  console: Console;
  flavor?: Flavor;
  argv?: readonly string[];
  name?: string;
  env?: Record<string, string>;
  root?: HostRoot | null;
  /** A Plan 9 tree as the root (emu/tree): its namespace, environment and /bin. */
  tree?: HostRoot | null;
  ncpu?: number;
  brkmax?: number;
  /** Guest memory for the machine in bytes (--mem; default MEMDEFAULT). */
  mem?: number;
  /** Live processes at most (--procs; default PROCSDEFAULT). */
  procs?: number;
  trace?: { cats: readonly TraceCategory[]; sink: Sink };
  /** Wall-clock limit in ms: then every process is killed, as ctl kill does (--timeout). */
  timeoutMs?: number;
  /** Called after boot, before the first process exists (clock, hooks, injection). */
  onkernel?: (k: Plan9) => void;
  /** Called after boot, before the first process runs (tests post notes here). */
  onboot?: (k: Plan9, first: Proc) => void;
  /**
   * Called when nothing can run any more, with how the run ended, before
   * the machine is freed (a debugger's last stop). 'again': the machine
   * was brought back to an earlier state (a snapshot restored): run on.
   */
  onend?: (k: Plan9, first: Proc, end: RunResult) => void | 'again' | Promise<void | 'again'>;
}

export interface RunResult {
  /** The first process's exit string ('' for success). */
  exitstr: string;
  /**
   * Host exit code: EXIT_INTERNAL, EXIT_DEADLOCK or EXIT_TIMEOUT when the
   * run went so; else by the first process's exit string: '' → 0, a
   * decimal 1–255 → that number, anything else → 1.
   */
  code: number;
  /** Host exceptions contained in the kernel model, each of which ended one process. */
  internal: InternalError[];
  /** True when the run ended with processes still blocked and nothing to wake them. */
  deadlock: boolean;
  /** Then, each blocked process: 'pid 3 (cat) pwrite on fd 1 (#|/data1)' (deadlock.ts). */
  blocked: string[];
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
      tree: o.tree ?? null,
      env: o.tree ? { ...treeenv(o.tree.dir, USER, SYSNAME), ...o.env } : o.env ?? {},
      ncpu: o.ncpu ?? 1,
      sysname: SYSNAME,
      user: USER,
      mem: o.mem ?? MEMDEFAULT,
      nproc: o.procs ?? PROCSDEFAULT,
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
        for (const p of [...k.procs.values()]) if (p.alive) killproc(p);
      },
    };
  }
  let r: RunResult;
  try {
    for (;;) {
      await k.run();
      r = ended(k, first, timedout);
      if ((await o.onend?.(k, first, r)) !== 'again') break;
    }
  } finally {
    k.shutdown();
  }
  return r;
}

/** How the run ended, before shutdown (which ends the blocked processes too). */
function ended(k: Plan9, first: Proc, timedout: boolean): RunResult {
  const done = first.state === 'Dead' || first.state === 'Broken';
  const blocked = timedout ? [] : deadlockreport(k);
  const exitstr = done ? first.exitstr : 'deadlock';
  const deadlock = !done;
  const code = k.internal.length > 0 ? EXIT_INTERNAL : deadlock ? EXIT_DEADLOCK : timedout ? EXIT_TIMEOUT : exitcode(exitstr);
  return { exitstr, code, deadlock, blocked, timedout, pid: first.pid, internal: k.internal };
}
