// The kernel's event stream. Every syscall, note, process event, fault and
// (when asked) instruction goes through one Trace; categories nobody asked
// for cost one boolean test at the emitting site, and nothing is decoded or
// formatted unless a sink listens (the EVM's step-event rule).
// The event types are in event.ts; the views in text.ts, jsonl.ts, perfetto.ts.

import type { Proc } from '../port/proc.ts';
import type { NoteEvent, NoteWhat, ProcEvent, ProcWhat, Sink, TraceEvent } from './event.ts';

export type { Sink, TraceEvent, NoteWhat, SysArg } from './event.ts';

export type TraceCategory = 'sys' | 'notes' | 'proc' | 'insn';
export const CATEGORIES: readonly TraceCategory[] = ['sys', 'notes', 'proc', 'insn'];

type NoteExtra = Omit<NoteEvent, 'kind' | 'pid' | 'what' | 'msg' | 't'>;
type ProcExtra = Omit<ProcEvent, 'kind' | 'pid' | 'what' | 'detail' | 't'>;

export class Trace {
  sys = false;
  notes = false;
  proc = false;
  insn = false;
  private sinks: { cats: ReadonlySet<TraceCategory>; sink: Sink }[] = [];
  /** Kernel time in ns since boot (the kernel sets it). */
  clock: () => number = () => 0;
  private last = -1;

  /**
   * An event's time: the kernel clock, made strictly increasing. Under
   * --deterministic the clock moves only between slices, so the many events
   * of one slice would share a time; each gets the next nanosecond instead,
   * and times order the events as they were emitted. The guest's clock is
   * not touched.
   */
  now(): number {
    const t = this.clock();
    this.last = t > this.last ? t : this.last + 1;
    return this.last;
  }

  /** sink gets the events of these categories (and only those). */
  listen(cats: readonly TraceCategory[], sink: Sink): void {
    for (const c of cats) this[c] = true;
    this.sinks.push({ cats: new Set(cats), sink });
  }

  emit(ev: TraceEvent): void {
    const c = categoryOf(ev);
    for (const s of this.sinks) if (s.cats.has(c)) s.sink(ev);
  }

  note(p: Proc, what: NoteWhat, msg: string, extra: NoteExtra = {}): void {
    if (this.notes) this.emit({ kind: 'note', pid: p.pid, what, msg, ...extra, t: this.now() });
  }

  procev(p: Proc, what: ProcWhat, detail: string, extra: ProcExtra = {}): void {
    if (this.proc) this.emit({ kind: 'proc', pid: p.pid, what, detail, ...extra, t: this.now() });
  }
}

/** The --trace category an event belongs to (faults go with notes: they become notes). */
export function categoryOf(ev: TraceEvent): TraceCategory {
  switch (ev.kind) {
    case 'sys': case 'sysenter': return 'sys';
    case 'note': case 'fault': return 'notes';
    case 'proc': return 'proc';
    case 'insn': return 'insn';
  }
}
