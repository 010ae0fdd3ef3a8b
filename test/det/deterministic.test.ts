// --deterministic: the same program, arguments and seed give a
// byte-identical JSONL trace; the clock is virtual.
import { describe, expect, it } from 'vitest';
import { detDemo, detRun } from './kit.ts';
import { seededRandom } from '../../emu/det/seeded.ts';
import { fixture, skipWithoutGo } from '../go/gobuild.ts';
import type { SysEvent } from '../../emu/trace/event.ts';

function events(jsonl: string): SysEvent[] {
  return jsonl.trimEnd().split('\n').map((l) => JSON.parse(l) as SysEvent);
}

describe('deterministic runs', () => {
  it('give the after demo the same trace, byte for byte, and the same outcome as a free run', async () => {
    const a = await detDemo('after');
    const b = await detDemo('after');
    expect(a.jsonl.length).toBeGreaterThan(1000);
    expect(b.jsonl).toBe(a.jsonl);
    expect(a.summary).toContain('"gointr"');
  });

  it('give a multi-process guest (rfork, exits, await) the same trace', async () => {
    const a = await detRun('tracecalls.s');
    const b = await detRun('tracecalls.s');
    expect(b.jsonl).toBe(a.jsonl);
    expect(a.stdout).toBe('hi\n');
  });

  it('sleep on the virtual clock: 200 ms pass in the trace, not on the host', async () => {
    const r = await detRun('rfork.s');
    const sleep = events(r.jsonl).find((e) => e.kind === 'sys' && e.name === 'sleep' && e.args[0]?.v === 200)!;
    expect(sleep.t1 - sleep.t0).toBeGreaterThanOrEqual(200e6);
    expect(r.ms).toBeLessThan(2000);
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
