// The kernel's event stream. Every syscall, note and process event goes
// through one Trace; categories nobody asked for cost one boolean test, and
// nothing is formatted unless a sink listens (the EVM's step-event rule).

import type { Proc } from '../port/proc.ts';

export type TraceCategory = 'sys' | 'notes' | 'proc';

export type TraceEvent =
  | { kind: 'sys'; pid: number; name: string; args: string; ret: number; err: string; t0: number; t1: number }
  | { kind: 'note'; pid: number; what: NoteWhat; msg: string; from?: number; ureg?: number; pc?: number; mode?: number }
  | { kind: 'proc'; pid: number; what: 'rfork' | 'exec' | 'exits' | 'wait'; detail: string };

export type NoteWhat = 'post' | 'drop' | 'deliver' | 'noted' | 'killed';

export type Sink = (ev: TraceEvent) => void;

export class Trace {
  sys = false;
  notes = false;
  proc = false;
  private sinks: Sink[] = [];

  listen(cats: readonly TraceCategory[], sink: Sink): void {
    for (const c of cats) this[c] = true;
    this.sinks.push(sink);
  }

  emit(ev: TraceEvent): void {
    for (const s of this.sinks) s(ev);
  }

  note(p: Proc, what: NoteWhat, msg: string, extra: { from?: number; ureg?: number; pc?: number; mode?: number } = {}): void {
    if (this.notes) this.emit({ kind: 'note', pid: p.pid, what, msg, ...extra });
  }

  procev(p: Proc, what: 'rfork' | 'exec' | 'exits' | 'wait', detail: string): void {
    if (this.proc) this.emit({ kind: 'proc', pid: p.pid, what, detail });
  }
}

const NOTED = ['NCONT', 'NDFLT', 'NSAVE', 'NRSTR'];

/** One line per event, for --trace on stderr. */
export function formatText(ev: TraceEvent): string {
  switch (ev.kind) {
    case 'sys': {
      const err = ev.ret === -1 && ev.err ? ` "${ev.err}"` : '';
      return `${ev.pid} ${ev.name}(${ev.args}) = ${ev.ret}${err}`;
    }
    case 'note': {
      const extra =
        ev.what === 'deliver' ? ` ureg=0x${(ev.ureg ?? 0).toString(16)} pc=0x${(ev.pc ?? 0).toString(16)}`
        : ev.what === 'noted' ? ` ${NOTED[ev.mode ?? 1] ?? `mode=${ev.mode}`}`
        : ev.from !== undefined ? ` from ${ev.from}` : '';
      return `${ev.pid} note ${ev.what} "${ev.msg}"${extra}`;
    }
    case 'proc':
      return `${ev.pid} ${ev.what} ${ev.detail}`;
  }
}
