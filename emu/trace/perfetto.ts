// The Perfetto view: Chrome trace-event JSON ({"traceEvents": [...]}),
// which ui.perfetto.dev and chrome://tracing open. One track per process,
// system calls as slices, note handlers as slices, notes as flow arrows
// from the poster to the receiver's handler, rfork as a flow from the
// parent's call to the child's first slice. Timestamps are µs since boot,
// each event its own (Trace.now). Slices on a track nest: a handler that
// ends because its process exits (an exits call inside the handler) ends
// after that call's slice, not at the exit inside it.

import type { TraceEvent } from './event.ts';
import { callText } from './text.ts';

export interface ChromeEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  id?: number;
  bp?: string;
  s?: string;
  args?: Record<string, unknown>;
}

const us = (ns: number): number => Math.round(ns) / 1000;

export class PerfettoBuilder {
  private out: ChromeEvent[] = [];
  private named = new Set<number>();
  private flowid = 0;
  /** Flows waiting for the receiver's handler slice, per receiver, in post order. */
  private notesIn = new Map<number, { id: number; msg: string }[]>();
  /** Open handler slices: pid → start and note; exitAt: the process exited inside its system call. */
  private handler = new Map<number, { t: number; msg: string; flow?: number; exitAt?: number }>();
  /** Processes inside a system call (its sysenter seen, its exit not yet). */
  private insys = new Set<number>();
  /** rfork flows waiting for the child's first event. */
  private childIn = new Map<number, number>();
  private names = new Map<number, string>();

  add(ev: TraceEvent): void {
    if (ev.kind === 'sysenter') this.insys.add(ev.pid);
    if (ev.kind === 'insn' || ev.kind === 'sysenter') return;
    const t = ev.kind === 'sys' ? ev.t0 : ev.t;
    this.track(ev.pid, ev.kind === 'proc' && ev.what === 'exec' ? ev.name : undefined);
    const pending = this.childIn.get(ev.pid);
    if (pending !== undefined) {
      this.childIn.delete(ev.pid);
      this.flowEnd(pending, ev.pid, t, 'rfork');
    }
    switch (ev.kind) {
      case 'sys':
        this.out.push({
          ph: 'X', cat: 'sys', name: ev.name, pid: ev.pid, tid: ev.pid, ts: us(ev.t0), dur: Math.max(us(ev.t1 - ev.t0), 0.001),
          args: { call: callText(ev), ret: ev.ret, ...(ev.err ? { err: ev.err } : {}) },
        });
        this.insys.delete(ev.pid);
        if (this.handler.get(ev.pid)?.exitAt !== undefined) this.closeHandler(ev.pid, ev.t1 + 1);
        return;
      case 'note':
        this.note(ev, t);
        return;
      case 'proc':
        if (ev.what === 'rfork' && ev.child) {
          const id = ++this.flowid;
          this.out.push({ ph: 's', cat: 'rfork', name: 'rfork', id, pid: ev.pid, tid: ev.pid, ts: us(t) });
          this.childIn.set(ev.child, id);
          this.names.set(ev.child, this.names.get(ev.pid) ?? '');
        }
        if (ev.what === 'exits') {
          const h = this.handler.get(ev.pid);
          // Inside its exits call: the handler ends after that call's slice.
          if (h && this.insys.has(ev.pid)) h.exitAt = t;
          else this.closeHandler(ev.pid, t);
        }
        this.instant(ev.pid, t, `${ev.what} ${ev.detail}`, 'proc');
        return;
      case 'fault':
        this.instant(ev.pid, t, `fault: ${ev.note}`, 'fault');
        return;
    }
  }

  private note(ev: Extract<TraceEvent, { kind: 'note' }>, t: number): void {
    switch (ev.what) {
      case 'post': {
        const id = ++this.flowid;
        const from = ev.from ?? ev.pid;
        this.track(from);
        this.out.push({ ph: 's', cat: 'note', name: 'note', id, pid: from, tid: from, ts: us(t) });
        this.instant(from, t, `post "${ev.msg}" to ${ev.pid}`, 'note');
        const q = this.notesIn.get(ev.pid) ?? [];
        q.push({ id, msg: ev.msg });
        this.notesIn.set(ev.pid, q);
        return;
      }
      case 'deliver': {
        this.closeHandler(ev.pid, t);
        const q = this.notesIn.get(ev.pid) ?? [];
        const i = q.findIndex((n) => ev.msg.startsWith(n.msg));
        const flow = i >= 0 ? q.splice(i, 1)[0]!.id : undefined;
        this.handler.set(ev.pid, { t, msg: ev.msg, flow });
        return;
      }
      case 'noted':
        this.closeHandler(ev.pid, t, ev.mode);
        return;
      default:
        this.instant(ev.pid, t, `note ${ev.what} "${ev.msg}"`, 'note');
    }
  }

  private closeHandler(pid: number, t: number, mode?: number): void {
    const h = this.handler.get(pid);
    if (!h) return;
    this.handler.delete(pid);
    this.out.push({
      ph: 'X', cat: 'note', name: `note handler: ${h.msg}`, pid, tid: pid, ts: us(h.t), dur: Math.max(us(t - h.t), 0.001),
      args: { msg: h.msg, ...(mode !== undefined ? { noted: mode } : {}) },
    });
    if (h.flow !== undefined) this.flowEnd(h.flow, pid, h.t, 'note');
  }

  private flowEnd(id: number, pid: number, t: number, cat: string): void {
    this.out.push({ ph: 'f', bp: 'e', cat, name: cat === 'note' ? 'note' : 'rfork', id, pid, tid: pid, ts: us(t) });
  }

  private instant(pid: number, t: number, name: string, cat: string): void {
    this.out.push({ ph: 'i', s: 't', cat, name, pid, tid: pid, ts: us(t) });
  }

  private track(pid: number, name?: string): void {
    if (name !== undefined) this.names.set(pid, name);
    if (this.named.has(pid) && name === undefined) return;
    this.named.add(pid);
    const label = `${this.names.get(pid) || 'proc'} ${pid}`;
    this.out.push({ ph: 'M', name: 'process_name', pid, tid: pid, args: { name: label } });
    this.out.push({ ph: 'M', name: 'thread_name', pid, tid: pid, args: { name: label } });
  }

  /** The whole trace; handler slices still open end at the last timestamp. */
  json(): { traceEvents: ChromeEvent[]; displayTimeUnit: string } {
    const last = Math.max(0, ...this.out.map((e) => (e.ts ?? 0) * 1000 + (e.dur ?? 0) * 1000));
    for (const [pid, h] of [...this.handler]) this.closeHandler(pid, h.exitAt ?? last);
    return { traceEvents: this.out, displayTimeUnit: 'ns' };
  }
}
