// One run of a program from the command line, as p9emu run and
// go_plan9_386_exec both do it: the host console, the instrumentation the
// options ask for, the gdb stub (--gdb), post-mortem reports and core
// files (--post-mortem, --core), and the lines that say how the run ended,
// prefixed with the command's name.

import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAout } from '../emu/aout.ts';
import type { Control } from '../emu/debug/control.ts';
import type { Debuggee } from '../emu/debug/gdbstub.ts';
import { Deaths } from '../emu/debug/deaths.ts';
import type { Plan9 } from '../emu/port/kernel.ts';
import type { Proc } from '../emu/port/proc.ts';
import { HostConsole } from '../emu/hostcons.ts';
import { run, type RunOptions } from '../emu/run.ts';
import { unicornMachine } from '../emu/cpu/machine.ts';
import { instrument } from '../emu/instrument.ts';
import { toInstrumentation } from './instrument_opts.ts';
import { hostinterrupt } from './hostintr.ts';
import type { RunArgs } from './cmd_run.ts';
import { UsageError, type Program } from './program.ts';
import { mark } from './startup.ts';

export interface Launch {
  /** The command's name, for its lines: 'p9emu', 'go_plan9_386_exec'. */
  who: string;
  prog: Program;
  o: RunArgs;
  /** What the command sets itself: argv, env, root or tree, CPUs. */
  run: Pick<RunOptions, 'argv' | 'env' | 'root' | 'tree' | 'ncpu'>;
  /** The first process, booted: the command's own set-up of it. */
  onboot?: (k: Plan9, first: Proc) => void;
  /** The host's ^C becomes the note `interrupt` (bin/hostintr.ts). */
  interrupt: boolean;
  /** Print 'WHO: exits: STRING' for a non-empty exit string. */
  sayExits: boolean;
}

/** Run; the exit status the command returns. */
export async function launch(l: Launch): Promise<number> {
  const { who, prog, o } = l;
  const cons = new HostConsole();
  const ins = await instrument(toInstrumentation(o.instr), [prog.image]);
  const gdb = o.gdb ? await gdbServer(who, prog, o.gdb) : null;
  const deaths = new Deaths(prog.image, o.postMortem, o.core);
  let unhook = () => {};
  try {
    const machine = unicornMachine();
    mark('unicorn loaded');
    const r = await run(prog.image, {
      ...l.run,
      machine,
      console: cons,
      flavor: o.flavor,
      name: prog.name,
      timeoutMs: o.timeoutMs,
      mem: o.mem,
      procs: o.procs,
      trace: ins.trace,
      onkernel: (k) => {
        ins.onkernel(k);
        deaths.attach(k);
        gdb?.attach(k);
      },
      onend: (_k, first) => gdb?.end(first.pid, first.exitstr),
      onboot: (k, first) => {
        mark('booted');
        l.onboot?.(k, first);
        if (l.interrupt) {
          unhook = hostinterrupt(k, first, () => {
            ins.close();
            cons.close();
          });
        }
      },
    });
    mark('guest exited');
    await deaths.report();
    const say = (s: string) => process.stderr.write(`${who}: ${s}\n`);
    if (r.timedout) say(`timeout: killed after ${o.timeoutMs! / 1000} s`);
    if (r.internal.length > 0) say(`${r.internal.length} internal error(s) contained; see above`);
    for (const b of r.blocked) say(`blocked: ${b}`);
    if (r.deadlock) say('deadlock: every process is blocked and nothing can wake one');
    else if (r.exitstr !== '' && l.sayExits) say(`exits: ${r.exitstr}`);
    return r.code;
  } finally {
    gdb?.close();
    unhook();
    ins.close();
    cons.close();
  }
}

/** --gdb's [HOST:]PORT (HOST defaults to the loopback address). */
export function gdbAddress(v: string): { host: string; port: number } {
  const m = /^(?:(.*):)?(\d+)$/.exec(v);
  if (!m || Number(m[2]) > 65535) throw new UsageError(`--gdb: '${v}' is not [HOST:]PORT`);
  return { host: m[1] || '127.0.0.1', port: Number(m[2]) };
}

/**
 * --gdb: the stub listens before the kernel boots, so the address can be
 * printed at once; the machine it serves is attached at boot (attach), or
 * a core is served (serve). `closed` settles when gdb is done.
 */
export async function gdbServer(who: string, prog: Program, where: { host: string; port: number }) {
  // Loaded only for --gdb: the stub needs node:net, which a plain run never loads (docs/startup.md).
  const [{ aoutToElf }, { lineSections }, { Control }, { GdbStub }] = await Promise.all([
    import('../emu/debug/elfsyms.ts'), import('../emu/debug/dwarfline.ts'), import('../emu/debug/control.ts'), import('../emu/debug/gdbstub.ts'),
  ]);
  const elf = join(tmpdir(), `p9emu-${process.pid}-${prog.name}.elf`);
  const aout = parseAout(prog.image);
  writeFileSync(elf, aoutToElf(aout, lineSections(aout) ?? []));
  const stub = new GdbStub();
  const a = await stub.listen({ host: where.host, port: where.port });
  process.stderr.write(`${who}: gdb: listening on ${a.address}:${a.port}; in gdb: symbol-file ${elf}; target remote ${a.address}:${a.port}\n`);
  let control: Control | null = null;
  return {
    attach(k: Plan9) {
      control = new Control(k);
      stub.serve(control);
    },
    serve(d: Debuggee) {
      stub.serve(d);
    },
    closed: stub.closed,
    end(pid: number, exitstr: string) {
      control?.exited(pid, exitstr);
    },
    close() {
      stub.close();
      rmSync(elf, { force: true });
    },
  };
}
