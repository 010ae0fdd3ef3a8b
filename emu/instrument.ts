// Everything a run can be instrumented with — trace views, the instruction
// trace, determinism, note and failure injection — turned into the hooks
// run() and runDemo() take. The CLI commands (run, demo, explore) build
// an Instrumentation from their options and pass its result on.

import type { Plan9 } from './port/kernel.ts';
import type { Sink } from './trace/event.ts';
import type { TraceCategory } from './trace/trace.ts';
import type { TraceFilter } from './trace/filter.ts';
import { traceToFile, traceOutput, type TraceFormat } from './trace/output.ts';
import { insnTracer, type InsnOptions } from './trace/insn.ts';
import { Symtab } from './trace/symtab.ts';
import { deterministic, type DetOptions } from './det/deterministic.ts';
import { rdtscSites } from './det/rdtsc.ts';
import { failSyscalls, postNotes, type FailSpec, type NoteSpec } from './det/inject.ts';
import { parseAout } from './aout.ts';
import { killproc } from './port/note.ts';

export interface Instrumentation {
  trace?: {
    cats: readonly TraceCategory[];
    format: TraceFormat;
    /** File to write, null for stderr; or a function taking the output. */
    out: string | null | ((s: string) => void);
    filter?: TraceFilter;
    insn?: InsnOptions;
  };
  det?: DetOptions;
  notes?: readonly NoteSpec[];
  fails?: readonly FailSpec[];
  /** Kill every process after this many system calls (explore's bound on runs that never end). */
  maxSyscalls?: number;
}

export interface Instrumented {
  trace?: { cats: readonly TraceCategory[]; sink: Sink };
  onkernel: (k: Plan9) => void;
  /** Finish the trace (perfetto writes its document here). */
  close(): void;
}

/** After `max` system calls, every process is killed (exit string 'Killed'). */
function killAfter(k: Plan9, max: number): void {
  let n = 0;
  k.trace.listen(['sys'], () => {
    if (++n === max) for (const p of [...k.procs.values()]) if (p.alive) killproc(p);
  });
}

/** `images`: the a.out(s) whose symbols name instruction addresses (the first for sym:NAME and --insn-range). */
export async function instrument(o: Instrumentation, images: readonly Uint8Array[]): Promise<Instrumented> {
  // The first image's symbols, built only when something names addresses.
  const needSyms = (o.notes?.length ?? 0) > 0 || !!o.trace?.cats.includes('insn');
  const first = needSyms && images[0] ? new Symtab(parseAout(images[0]).syms) : null;
  const t = o.trace;
  const out = !t ? undefined
    : typeof t.out === 'function' ? traceOutput(t.format, t.out, t.filter)
    : traceToFile(t.format, t.out, t.filter);
  // RDTSC sites only for one program: several would share text addresses.
  const rdtsc = o.det && images.length === 1 ? await rdtscSites(images[0]!) : [];
  const insn = t?.cats.includes('insn') ? await insnTracer(() => first, t.insn ?? {}, first) : null;
  return {
    trace: t && out ? { cats: t.cats, sink: out.sink } : undefined,
    onkernel(k) {
      if (o.det) deterministic(k, { ...o.det, rdtsc });
      if (insn) k.cpuhooks.push(insn);
      failSyscalls(k, o.fails ?? []);
      postNotes(k, o.notes ?? [], first);
      if (o.maxSyscalls !== undefined) killAfter(k, o.maxSyscalls);
    },
    close: () => out?.close(),
  };
}
