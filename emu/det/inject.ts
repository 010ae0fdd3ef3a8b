// Fault injection: --post-note PID:TEXT@WHEN and --fail-syscall NAME@N:ERRSTR.
//
// WHEN is syscall:N (right after the Nth system call of the run returns,
// counting every process), insn:N (before the target's Nth instruction),
// ms:N (once the kernel clock passes N ms since boot) or sym:NAME (the
// first time the target reaches text symbol NAME). A bare number is ms,
// and PID may be 'self' (the first process): the short form
// 'self:TEXT@MS' posts a note to the program itself after MS ms.

import type { Plan9 } from '../port/kernel.ts';
import type { Proc } from '../port/proc.ts';
import type { Symtab } from '../trace/symtab.ts';
import { NUser } from '../port/dat.ts';
import { addCodeHook } from '../cpu/codehook.ts';
import { postnote } from '../port/note.ts';

export type When =
  | { kind: 'syscall'; n: number }
  | { kind: 'insn'; n: number }
  | { kind: 'ms'; n: number }
  | { kind: 'sym'; name: string };

export interface NoteSpec {
  pid: number | 'self';
  text: string;
  when: When;
}

export interface FailSpec {
  name: string;
  n: number;
  err: string;
}

/** PID:TEXT@WHEN, PID|self, WHEN as above. Throws an Error naming what is wrong. */
export function parseNoteSpec(spec: string): NoteSpec {
  const colon = spec.indexOf(':');
  const at = spec.lastIndexOf('@');
  if (colon <= 0 || at < colon) throw new Error(`--post-note: '${spec}' is not PID:TEXT@WHEN`);
  const who = spec.slice(0, colon);
  if (who !== 'self' && !/^[1-9][0-9]*$/.test(who)) throw new Error(`--post-note: '${who}' is not a pid or self`);
  const text = spec.slice(colon + 1, at);
  if (text === '') throw new Error('--post-note: empty note text');
  return { pid: who === 'self' ? 'self' : Number(who), text, when: parseWhen(spec.slice(at + 1)) };
}

function parseWhen(w: string): When {
  if (/^[0-9]+$/.test(w)) return { kind: 'ms', n: Number(w) };
  const m = /^(syscall|insn|ms|sym):(.+)$/.exec(w);
  if (!m) throw new Error(`--post-note: '${w}' is not syscall:N, insn:N, ms:N, sym:NAME or MS`);
  if (m[1] === 'sym') return { kind: 'sym', name: m[2]! };
  if (!/^[0-9]+$/.test(m[2]!)) throw new Error(`--post-note: '${m[2]}' is not a number`);
  return { kind: m[1] as 'syscall' | 'insn' | 'ms', n: Number(m[2]) };
}

/** NAME@N:ERRSTR — the Nth call (from 1) of NAME fails with ERRSTR. */
export function parseFailSpec(spec: string): FailSpec {
  const m = /^([a-z_0-9]+)@([1-9][0-9]*):(.+)$/.exec(spec);
  if (!m) throw new Error(`--fail-syscall: '${spec}' is not NAME@N:ERRSTR`);
  return { name: m[1]!, n: Number(m[2]), err: m[3]! };
}

/** The --fail-syscall hook: counts calls by name and fails the chosen ones. */
export function failSyscalls(k: Plan9, specs: readonly FailSpec[]): void {
  if (specs.length === 0) return;
  const seen = new Map<string, number>();
  k.sysbefore = (_up, name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    const err = specs.find((s) => s.name === name && s.n === n)?.err;
    return err === undefined ? null : { err };
  };
}

/**
 * Arrange for each note to be posted. Call from run's onkernel (before
 * the first process exists); `syms` resolves sym:NAME. syscall:N needs
 * the 'sys' events, so it listens to them.
 */
export function postNotes(k: Plan9, specs: readonly NoteSpec[], syms: Symtab | null): void {
  let firstpid = 0;
  const target = (s: NoteSpec): number => (s.pid === 'self' ? firstpid : s.pid);
  const post = (s: NoteSpec): void => {
    const p = k.procs.get(target(s));
    if (p?.alive) postnote(p, s.text, NUser);
  };
  k.cpuhooks.push((p) => {
    if (firstpid === 0) firstpid = p.pid;
  });

  const bysys = specs.filter((s) => s.when.kind === 'syscall');
  if (bysys.length) {
    let n = 0;
    k.trace.listen(['sys'], (ev) => {
      if (ev.kind !== 'sys') return;
      n++;
      for (const s of bysys) if ((s.when as { n: number }).n === n) post(s);
    });
  }

  for (const s of specs) {
    const w = s.when;
    if (w.kind === 'insn' || w.kind === 'sym') {
      const addr = w.kind === 'sym' ? syms?.lookup(w.name) : undefined;
      if (w.kind === 'sym' && addr === undefined) throw new Error(`--post-note: no text symbol '${w.name}'`);
      k.cpuhooks.push((p) => {
        if (p.pid !== target(s)) return;
        let count = 0;
        const remove = addCodeHook(p.cpu, addr ?? 1, addr ?? 0, () => {
          if (w.kind === 'insn' && ++count < w.n) return;
          remove();
          post(s);
          p.cpu.stop();  // deliver now: notes go out on the way back to user mode
        });
      });
    }
  }

  const byms = specs.filter((s) => s.when.kind === 'ms');
  if (byms.length) {
    const due = byms.map((s) => ({ s, at: (s.when as { n: number }).n * 1e6, done: false }));
    const dispatch = k.sched.dispatch;
    let armed = false;
    k.sched.dispatch = (p: Proc) => {
      if (!armed) {
        // A timer per note bounds the slices so the clock is checked in time.
        armed = true;
        for (const d of due) k.sched.wakeAt(p, k.now() - k.uptime() + d.at);
      }
      for (const d of due) {
        if (!d.done && k.uptime() >= d.at) {
          d.done = true;
          post(d.s);
        }
      }
      dispatch(p);
    };
  }
}
