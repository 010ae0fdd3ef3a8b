// p9emu explore: one note at each point, distinct outcomes, reproducers.
import { describe, expect, it } from 'vitest';
import { explore } from '../../emu/explore/explore.ts';
import { programRunner, runnerFor, type Target } from '../../emu/explore/runners.ts';
import { pool } from '../../emu/explore/pool.ts';
import { lanesFor, ordinal, reproducer } from '../../bin/cmd_explore.ts';
import { fixture, skipWithoutGo } from '../go/gobuild.ts';
import { readFileSync } from 'node:fs';
import { assembleProg } from '../kit/runprog.ts';

describe('explore', () => {
  it('finds the three fates of a program that handles interrupt once its handler is in', async () => {
    const run = programRunner(assembleProg('interrupt.s'), ['interrupt'], 'interrupt');
    const x = await explore(run, { note: 'interrupt', pid: 'self', every: 1, seed: 0 });
    expect(x.syscalls).toBe(5);
    expect(x.baseline.exits).toEqual({ 1: '' });
    expect(x.outcomes.map((o) => [o.exits, o.points])).toEqual([
      [{ 1: 'interrupt' }, [1]],    // before notify: the note kills it
      [{ 1: 'interrupted' }, [2, 3, 4]],  // handled, and seen at the end
      [{ 1: '' }, [5]],             // after exits: too late
    ]);
    expect(x.outcomes[1]!.stdoutHash).toBe(x.baseline.stdoutHash);
  });

  const target: Target = { kind: 'program', image: assembleProg('interrupt.s'), argv: ['interrupt'], name: 'interrupt' };
  const o = { note: 'interrupt', pid: 'self' as const, every: 1, seed: 0 };

  for (const local of [true, false]) {
    it(`gets the same exploration from runs shared out over ${local ? 'this process and two worker processes' : 'worker processes alone'}`, async () => {
      const runner = runnerFor(target);
      const serial = await explore(runner, o);
      const workers = pool(target, o, local ? 3 : 2, local ? runner : undefined);
      const seen: number[] = [];
      try {
        expect(await explore(runner, o, (done) => seen.push(done), workers.runPoints)).toEqual(serial);
      } finally {
        await workers.close();
      }
      expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    }, 60_000);
  }

  it('takes back points a worker holds and has not started when this process has none left', async () => {
    const runner = runnerFor(target);
    const serial = await explore(runner, o);
    // The worker is sent all 5 points at once, this process none: it asks
    // for the later half of them before the worker can have run more than one.
    const workers = pool(target, o, 2, runner, 5);
    try {
      expect(await explore(runner, o, undefined, workers.runPoints)).toEqual(serial);
    } finally {
      await workers.close();
    }
    const [self, worker] = workers.lanes;
    expect(self!.stolen).toBeGreaterThanOrEqual(2);
    expect(self!.runs.length).toBe(self!.stolen);
    expect(self!.runs.length + worker!.runs.length).toBe(5);
    expect(worker!.ready).toBeDefined();
  }, 60_000);

  it('fails, rather than waits, when a worker process dies', async () => {
    // A demo variant the worker has not got: building its runner throws there.
    const workers = pool({ kind: 'demo', variant: 'nonesuch' as never }, o, 1);
    try {
      await expect(explore(runnerFor(target), o, undefined, workers.runPoints)).rejects.toThrow(/^explore worker exited with status 1$/);
    } finally {
      await workers.close();
    }
  }, 60_000);

  it('makes a lane by default for each CPU that the runs pay for and the load leaves idle', () => {
    expect(lanesFor(10_000, 2, 0.3)).toBe(2);
    expect(lanesFor(10_000, 2, 1.4)).toBe(2); // this process's own run is part of the load
    expect(lanesFor(10_000, 2, 2.6)).toBe(1);
    expect(lanesFor(10_000, 2, 9)).toBe(1);
    expect(lanesFor(40_000, 8, 4)).toBe(5);
    expect(lanesFor(3000, 8, 0)).toBe(1); // 4 s of (guessed) runs a worker
    expect(lanesFor(8000, 8, 0)).toBe(2);
  });

  it('says every 2nd, 3rd, 4th, 11th, 12th, 21st, 22nd, 111th system call', () => {
    expect([2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112].map(ordinal))
      .toEqual(['2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '111th', '112th']);
  });

  it('prints a reproducer per outcome', () => {
    const o = { target: 'test/prog/interrupt.s', args: [], note: 'interrupt', pid: 'self' as const, every: 1, seed: 0, json: false };
    expect(reproducer(o, 2)).toBe('p9emu run --deterministic --seed 0 --post-note self:interrupt@syscall:2 test/prog/interrupt.s');
    expect(reproducer({ ...o, target: 'demo:before', pid: 2 as never, note: 'go intr' }, 7))
      .toBe("p9emu demo before --deterministic --seed 0 --post-note '2:go intr@syscall:7'");
  });

  it.skipIf(skipWithoutGo())('tells apart a Go program killed before signal.Notify from one that handles interrupt', async () => {
    const run = programRunner(new Uint8Array(readFileSync(fixture('signal'))), ['signal', 'wait', '1'], 'signal');
    const x = await explore(run, { note: 'interrupt', pid: 'self', every: 60, seed: 0 });
    expect(x.outcomes.map((o) => [o.exits[1], o.points])).toEqual([['interrupt', [1]], ['', [61]]]);
  }, 120_000);
});
