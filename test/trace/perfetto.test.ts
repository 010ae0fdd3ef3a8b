// The Perfetto view of the `after` demo: a track per process, syscalls as
// slices, notes and rforks as flows from the poster/parent to the
// receiver/child.
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../emu/demo/demo.ts';
import { unicornMachine } from '../../emu/cpu/machine.ts';
import { PerfettoBuilder, type ChromeEvent } from '../../emu/trace/perfetto.ts';
import { deterministic } from '../../emu/det/deterministic.ts';
import type { TraceEvent } from '../../emu/trace/event.ts';

/** Slices on one track that overlap without one containing the other ('pid name [a,b) x name [c,d)'). */
function badNesting(ev: ChromeEvent[]): string[] {
  const ns = (us: number) => Math.round(us * 1000);
  const xs = ev.filter((e) => e.ph === 'X').map((e) => ({ pid: e.pid, name: e.name, a: ns(e.ts!), b: ns(e.ts! + e.dur!) }));
  const bad: string[] = [];
  for (const p of xs) {
    for (const q of xs) {
      if (p === q || p.pid !== q.pid) continue;
      if (p.a < q.a && q.a < p.b && p.b < q.b) bad.push(`${p.pid} ${p.name} [${p.a},${p.b}) x ${q.name} [${q.a},${q.b})`);
    }
  }
  return bad;
}

/** The demo runs once for the whole file (several seconds under --deterministic). */
let trace: Promise<ChromeEvent[]> | undefined;
function demoTrace(): Promise<ChromeEvent[]> {
  return (trace ??= demoRun());
}

async function demoRun(det = true, events: TraceEvent[] = []): Promise<ChromeEvent[]> {
  const b = new PerfettoBuilder();
  // Deterministic: which of A and B forks first (and so gets pid 4) is
  // otherwise a matter of wall-clock time slices.
  await runDemo('after', {
    machine: unicornMachine(),
    trace: { cats: ['sys', 'notes', 'proc'], sink: (e) => (events.push(e), b.add(e)) },
    onkernel: (k) => void (det && deterministic(k)),
  });
  // What a file holds: the JSON text, read back.
  return (JSON.parse(JSON.stringify(b.json())) as { traceEvents: ChromeEvent[] }).traceEvents;
}

function flows(ev: ChromeEvent[], cat: string): string[] {
  const start = new Map(ev.filter((e) => e.ph === 's' && e.cat === cat).map((e) => [e.id, e.pid]));
  return ev.filter((e) => e.ph === 'f' && e.cat === cat).map((e) => `${start.get(e.id)}->${e.pid}`);
}

describe('the perfetto trace of the after demo', () => {
  it('names one track per process', async () => {
    const ev = await demoTrace();
    const names = ev.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => (e.args as { name: string }).name);
    expect(names).toEqual(['init 1', 'A 2', 'B 3', 'A 4', 'B 5', 'A 6']);
  });

  it('draws each gointr note as a flow from the poster to the receiver, ending on its handler slice', async () => {
    const ev = await demoTrace();
    expect(flows(ev, 'note').sort()).toEqual(['2->4', '2->6', '3->5']);
    const handlers = ev.filter((e) => e.ph === 'X' && e.cat === 'note').map((e) => `${e.pid} ${e.name}`).sort();
    expect(handlers).toEqual(['4 note handler: gointr', '5 note handler: gointr', '6 note handler: gointr']);
  });

  it('draws rfork as a flow from parent to child, and syscalls as slices with their call', async () => {
    const ev = await demoTrace();
    expect(flows(ev, 'rfork').sort()).toEqual(['2->4', '2->6', '3->5']);
    const sys = ev.filter((e) => e.ph === 'X' && e.cat === 'sys');
    expect(new Set(sys.map((e) => e.pid))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    for (const e of sys) {
      expect(e.dur).toBeGreaterThan(0);
      expect((e.args as { call: string }).call.startsWith(`${e.name}(`)).toBe(true);
    }
    const pwrite = sys.find((e) => (e.args as { call: string }).call.includes('/note'));
    expect(pwrite).toBeDefined();
  });

  it('nests the slices of every track, live and deterministic: an exits inside a handler ends inside it', async () => {
    for (const det of [false, true]) {
      const ev = await demoRun(det);
      expect(badNesting(ev)).toEqual([]);
      const exits = ev.filter((e) => e.ph === 'X' && e.name === 'exits' && [4, 5, 6].includes(e.pid));
      expect(exits).toHaveLength(3);
      for (const x of exits) {
        const h = ev.find((e) => e.ph === 'X' && e.pid === x.pid && e.cat === 'note')!;
        expect(x.ts!).toBeGreaterThan(h.ts!);
        expect(x.ts! + x.dur!).toBeLessThan(h.ts! + h.dur!);
      }
    }
  });

  it('gives every event its own time under --deterministic', async () => {
    const events: TraceEvent[] = [];
    const ev = await demoRun(true, events);
    const times = events.flatMap((e) => (e.kind === 'sys' ? [e.t0, e.t1] : e.kind === 'sysenter' || e.kind === 'insn' ? [] : [e.t]));
    expect(times.length).toBeGreaterThan(100);
    expect(new Set(times).size).toBe(times.length);
    const starts = ev.filter((e) => e.ph === 'X').map((e) => `${e.pid} ${e.ts}`);
    expect(new Set(starts).size).toBe(starts.length);
  });
});
