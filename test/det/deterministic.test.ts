// --deterministic: the same program, arguments and seed give a
// byte-identical JSONL trace; the clock is virtual.
import { describe, expect, it } from 'vitest';
import { detDemo, detRun } from './kit.ts';
import { seededRandom } from '../../emu/det/seeded.ts';
import { fixture, skipWithoutGo } from '../go/gobuild.ts';
import type { SysEvent } from '../../emu/trace/event.ts';
import { runDemo, type DemoResult } from '../../emu/demo/demo.ts';
import { unicornMachine } from '../../emu/cpu/machine.ts';

/** What a demo run ends with, whatever pids the processes got: each M's status, each note's fate. */
function outcome(procs: DemoResult['procs'], notes: DemoResult['notes']) {
  return {
    procs: procs.map((p) => `${p.program} m${p.m} ${p.status}`).sort(),
    notes: notes.map((n) => `${n.msg}: ${n.action}`).sort(),
  };
}

function events(jsonl: string): SysEvent[] {
  return jsonl.trimEnd().split('\n').map((l) => JSON.parse(l) as SysEvent);
}

describe('deterministic runs', () => {
  it('give the after demo the same trace, byte for byte, and the same outcome as a free run', async () => {
    const a = await detDemo('after');
    const b = await detDemo('after');
    expect(a.jsonl.length).toBeGreaterThan(1000);
    expect(b.jsonl).toBe(a.jsonl);
    const free = await runDemo('after', { machine: unicornMachine() });
    const [procs, notes] = JSON.parse(a.summary) as [DemoResult['procs'], DemoResult['notes']];
    expect(outcome(procs, notes)).toEqual(outcome(free.procs, free.notes));
    expect(outcome(procs, notes).notes).toContain('gointr: exits');
  });

  it('give a multi-process guest (rfork, exits, await) the same trace', async () => {
    const a = await detRun('tracecalls.s');
    const b = await detRun('tracecalls.s');
    expect(b.jsonl).toBe(a.jsonl);
    expect(a.stdout).toBe('hi\n');
  });

  it('sleep on the virtual clock: 200 ms pass in the trace', async () => {
    const r = await detRun('rfork.s');
    const sleep = events(r.jsonl).find((e) => e.kind === 'sys' && e.name === 'sleep' && e.args[0]?.v === 200)!;
    expect(sleep.t1 - sleep.t0).toBeGreaterThanOrEqual(200e6);
  });

  it('sleep on the virtual clock, not on the host: a 24.8-day sleep ends', async () => {
    // Had the host waited, the test would time out long before.
    const r = await detRun('nap.s');
    const sleep = events(r.jsonl).find((e) => e.kind === 'sys' && e.name === 'sleep')!;
    expect(sleep.t1 - sleep.t0).toBeGreaterThanOrEqual(0x7fffffff * 1e6);
    expect(r.exitstr).toBe('');
  });

  it.skipIf(skipWithoutGo())('give a Go program with GOMAXPROCS=4 the same trace (RDTSC answered virtually)', async () => {
    const bin = fixture('goroutines');
    const a = await detRun(bin);
    const b = await detRun(bin);
    expect(a.stdout).toContain('results 1000 total 166666500');
    expect(events(a.jsonl).filter((e) => e.kind === 'sys' && e.name === 'rfork').length).toBeGreaterThanOrEqual(3);
    expect(b.jsonl).toBe(a.jsonl);
  }, 120_000);
});

describe('seeded randomness', () => {
  it('repeats for a seed and differs between seeds', () => {
    expect(seededRandom(5)(16)).toEqual(seededRandom(5)(16));
    expect(seededRandom(5)(16)).not.toEqual(seededRandom(6)(16));
  });
});
