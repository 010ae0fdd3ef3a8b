// Trace outputs: JSONL lines parse back to the events; filters by pid and
// by syscall name; perfetto writes one document at close.
import { describe, expect, it } from 'vitest';
import { traceOutput } from '../../emu/trace/output.ts';
import type { TraceEvent } from '../../emu/trace/event.ts';
import { runProg } from '../kit/runprog.ts';

async function collect(format: 'jsonl' | 'perfetto', filter = {}): Promise<{ text: string; events: TraceEvent[] }> {
  let text = '';
  const out = traceOutput(format, (s) => (text += s), filter);
  const r = await runProg('tracecalls.s', { trace: { cats: ['sys', 'notes', 'proc'], sink: out.sink } });
  out.close();
  return { text, events: r.events };
}

describe('jsonl output', () => {
  it('is one JSON event per line', async () => {
    const { text } = await collect('jsonl');
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as TraceEvent);
    expect(lines[0]).toMatchObject({ kind: 'proc', what: 'exec', pid: 1, name: 'tracecalls' });
    expect(lines.filter((e) => e.kind === 'sys').length).toBeGreaterThanOrEqual(7);
  });

  it('keeps only the chosen pids and system calls', async () => {
    const { text } = await collect('jsonl', { pids: new Set([1]), syscalls: new Set(['open']) });
    const evs = text.trimEnd().split('\n').map((l) => JSON.parse(l) as TraceEvent);
    expect(evs.every((e) => e.pid === 1)).toBe(true);
    const names = evs.flatMap((e) => (e.kind === 'sys' ? [e.name] : []));
    expect(names).toEqual(['open', 'open']);
    expect(evs.some((e) => e.kind === 'proc')).toBe(true);
  });
});

describe('perfetto output', () => {
  it('is written once, as a traceEvents document, at close', async () => {
    const { text } = await collect('perfetto');
    const doc = JSON.parse(text) as { traceEvents: unknown[]; displayTimeUnit: string };
    expect(doc.traceEvents.length).toBeGreaterThan(10);
    expect(doc.displayTimeUnit).toBe('ns');
  });
});
