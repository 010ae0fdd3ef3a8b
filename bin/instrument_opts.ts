// The tracing, determinism and injection options shared by `run`, `demo`
// and `explore`, parsed into an emu/instrument.ts Instrumentation.

import { UsageError } from './program.ts';
import { CATEGORIES, type TraceCategory } from '../emu/trace/trace.ts';
import { FORMATS, type TraceFormat } from '../emu/trace/output.ts';
import { parseFailSpec, parseNoteSpec, type FailSpec, type NoteSpec } from '../emu/det/inject.ts';
import type { Instrumentation } from '../emu/instrument.ts';
import { systab } from '../emu/port/systab.ts';
import { parseRange } from '../emu/trace/insn.ts';
import { Symtab } from '../emu/trace/symtab.ts';
import { parseAout } from '../emu/aout.ts';

export const optionsHelp = `tracing:
  --trace LIST          events: sys, notes, proc, insn (comma-separated; all = sys,notes,proc)
  --trace-format F      text (ratrace layout, default), jsonl (docs/trace.md) or perfetto
                        (Chrome trace JSON for ui.perfetto.dev)
  --trace-out FILE      write the trace to FILE (default: stderr)
  --trace-pid LIST      only these pids
  --trace-syscalls LIST only these system calls (open,pwrite,...)
  --insn-range R        instruction trace only in text symbol R, or ADDR-ADDR (hex)
  --insn-syntax S       intel (default) or plan9 (Go operand order: MOVL 4(SP), AX)
  --insn-regs           add the registers each traced instruction changed
determinism and injection:
  --deterministic       slices by instruction count, virtual clock, seeded #c/random
  --seed N              the seed (default 0; implies --deterministic)
  --post-note SPEC      PID:TEXT@WHEN, WHEN = syscall:N, insn:N, ms:N, sym:NAME or MS;
                        PID may be 'self' (the first process); repeatable
  --fail-syscall SPEC   NAME@N:ERRSTR: the Nth call of NAME fails with ERRSTR; repeatable`;

export interface InstrumentArgs {
  cats: TraceCategory[];
  format: TraceFormat;
  out: string | null;
  pids?: Set<number>;
  syscalls?: Set<string>;
  insnRange?: string;
  insnSyntax: 'intel' | 'plan9';
  insnRegs: boolean;
  det: boolean;
  seed: number;
  notes: NoteSpec[];
  fails: FailSpec[];
}

export function newInstrumentArgs(): InstrumentArgs {
  return { cats: [], format: 'text', out: null, insnSyntax: 'intel', insnRegs: false, det: false, seed: 0, notes: [], fails: [] };
}

function list(v: string): string[] {
  return v.split(',').filter(Boolean);
}

function guard<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Take option `a` (its value from val()) if it is one of ours. */
export function takeInstrumentOption(a: string, val: () => string, o: InstrumentArgs): boolean {
  switch (a) {
    case '--trace':
      for (const c of list(val())) {
        if (c === 'all') o.cats.push('sys', 'notes', 'proc');
        else if ((CATEGORIES as readonly string[]).includes(c)) o.cats.push(c as TraceCategory);
        else throw new UsageError(`--trace: unknown category '${c}' (sys, notes, proc, insn, all)`);
      }
      return true;
    case '--trace-format': {
      const f = val();
      if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--trace-format: '${f}' is not text, jsonl or perfetto`);
      o.format = f as TraceFormat;
      return true;
    }
    case '--trace-out': o.out = val(); return true;
    case '--trace-pid': {
      const pids = list(val()).map(Number);
      if (pids.some((p) => !Number.isInteger(p) || p < 1)) throw new UsageError('--trace-pid: a list of pids');
      o.pids = new Set(pids);
      return true;
    }
    case '--trace-syscalls': o.syscalls = new Set(list(val()).map((n) => syscallName('--trace-syscalls', n))); return true;
    case '--insn-range': {
      const r = val();
      // ADDR-ADDR now; a symbol once the program is known (checkInstrument).
      if (/^(?:0x)?[0-9a-f]+-(?:0x)?[0-9a-f]+$/i.test(r)) guard(() => parseRange(r, null));
      o.insnRange = r;
      return true;
    }
    case '--insn-syntax': {
      const s = val();
      if (s !== 'intel' && s !== 'plan9') throw new UsageError(`--insn-syntax: '${s}' is not intel or plan9`);
      o.insnSyntax = s;
      return true;
    }
    case '--insn-regs': o.insnRegs = true; return true;
    case '--deterministic': o.det = true; return true;
    case '--seed': {
      const n = Number(val());
      if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new UsageError('--seed: a whole number from 0 to 4294967295');
      o.seed = n;
      o.det = true;
      return true;
    }
    case '--post-note': o.notes.push(guard(() => parseNoteSpec(val()))); return true;
    case '--fail-syscall': {
      const f = guard(() => parseFailSpec(val()));
      syscallName('--fail-syscall', f.name);
      o.fails.push(f);
      return true;
    }
    default: return false;
  }
}

/** A system call's name as the trace spells it, or a UsageError naming the option. */
function syscallName(opt: string, name: string): string {
  if (systab.some((s) => s?.name === name)) return name;
  throw new UsageError(`${opt}: no system call '${name}'`);
}

/**
 * The checks that need every option, or the program: the instruction
 * trace has no Perfetto view, and an --insn-range symbol must be in the
 * program's (first image's) symbol table.
 */
export function checkInstrument(o: InstrumentArgs, image: Uint8Array | null): void {
  if (!o.cats.includes('insn')) return;
  if (o.format === 'perfetto') throw new UsageError('--trace insn: the perfetto format has no instruction view (use text or jsonl)');
  if (o.insnRange !== undefined && image !== null) guard(() => parseRange(o.insnRange!, new Symtab(parseAout(image).syms)));
}

export function toInstrumentation(o: InstrumentArgs): Instrumentation {
  const cats = [...new Set(o.cats)];
  return {
    trace: cats.length
      ? {
        cats, format: o.format, out: o.out,
        filter: { pids: o.pids, syscalls: o.syscalls },
        insn: { range: o.insnRange, syntax: o.insnSyntax, regs: o.insnRegs },
      }
      : undefined,
    det: o.det ? { seed: o.seed } : undefined,
    notes: o.notes,
    fails: o.fails,
  };
}
