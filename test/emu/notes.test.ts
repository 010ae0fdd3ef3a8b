import { describe, expect, it } from 'vitest';
import { runProg } from '../kit/runprog.ts';
import { deterministic } from '../../emu/det/deterministic.ts';
import type { Plan9 } from '../../emu/port/kernel.ts';
import { killproc } from '../../emu/port/note.ts';

const notes = (v: string, o = {}) => runProg('notes.s', { argv: ['notes', v], ...o });

describe('notes', () => {
  it('queue NNOTE=5 notes while the handler runs; the 6th write fails "note not posted"; each is delivered after noted', async () => {
    const r = await notes('q');
    expect(r.stdout.toString()).toBe('+++++-note not posted\nhhhhhh');
    expect(r.exitstr).toBe('');
    const delivered = r.events.filter((e) => e.kind === 'note' && e.what === 'deliver');
    expect(delivered).toHaveLength(6);
  });

  it('kill a process that calls noted when not notified, with "Suicide"', async () => {
    for (const flavor of ['4e', '9front'] as const) {
      const r = await notes('m', { flavor });
      expect(r.stderr).toBe(`notes ${r.pid}: call to noted() when not notified\n`);
      expect(r.exitstr).toBe('Suicide');
    }
  });

  it('kill with the note text on noted(NDFLT), printing nothing for a user note', async () => {
    const r = await notes('d');
    expect(r.exitstr).toBe('boom');
    expect(r.stderr).toBe('');
    expect(r.events.some((e) => e.kind === 'note' && e.what === 'noted' && e.mode === 1)).toBe(true);
  });

  it('kill a process with no handler quietly with a user note', async () => {
    const r = await notes('n');
    expect(r.exitstr).toBe('boom');
    expect(r.stderr).toBe('');
  });

  it('send a notepg write to every process of the group except the writer, and to no other group', async () => {
    // On the virtual clock, so the group's note (at 20 ms) comes before the other group's exit (at 100 ms) however loaded the host is.
    const r = await notes('g', { onkernel: (k: Plan9) => void deterministic(k) });
    const lines = r.stdout.toString().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^2 \d+ \d+ \d+ 'notes 2: interrupt'$/);
    expect(lines[1]).toMatch(/^3 \d+ \d+ \d+ 'notes 3: b-ok'$/);
    expect(r.exitstr).toBe('');
    const posted = r.events.filter((e) => e.kind === 'note' && e.what === 'post').map((e) => e.pid);
    expect(posted).toEqual([2]);
  });

  it('let the parent run while a child spins without system calls, and kill the child through ctl', async () => {
    const r = await notes('k');
    const lines = r.stdout.toString().trim().split('\n');
    expect(lines.slice(0, 2)).toEqual(['tick', 'tick']);
    expect(lines[2]).toMatch(/^2 \d+ \d+ \d+ 'notes 2: Killed'$/);
    expect(r.exitstr).toBe('');
  });

  it('continue at the handler-chosen pc on the handler frame after NSAVE, and restore the context with a later NRSTR', async () => {
    for (const flavor of ['4e', '9front'] as const) {
      const r = await notes('s', { flavor });
      expect(r.stdout.toString()).toBe('saved\nrestored\n');
      expect(r.exitstr).toBe('');
      const modes = r.events.flatMap((e) => (e.kind === 'note' && e.what === 'noted' ? [e.mode] : []));
      expect(modes).toEqual([2, 3]);
    }
  });
  it('kill a handler that uses the FPU (FPillegal, both kernels), and let FP work again after noted', async () => {
    for (const flavor of ['4e', '9front'] as const) {
      const r = await notes('f', { flavor });
      expect(r.stdout.toString()).toBe('fp ok\n');
      expect(r.exitstr).toMatch(flavor === '4e'
        ? /^sys: floating point in note handler pc=0x[0-9a-f]{8}$/
        : /^sys: floating point in note handler pc=0x[0-9a-f]+$/);
      expect(r.stderr).toBe(`notes ${r.pid}: suicide: ${r.exitstr}\n`);
    }
  });
  it('give each of three #GPs its own note (the engine raises no double fault), both kernels', async () => {
    for (const flavor of ['4e', '9front'] as const) {
      const r = await notes('t', { flavor });
      const lines = r.stdout.toString().split('\n');
      expect(lines.slice(3)).toEqual(['done', '']);
      const pcs = lines.slice(0, 3).map((l) => {
        const m = /^sys: trap: general protection violation pc=0x([0-9a-f]+)$/.exec(l);
        expect(m, l).not.toBeNull();
        return parseInt(m![1]!, 16);
      });
      expect([pcs[1]! - pcs[0]!, pcs[2]! - pcs[1]!]).toEqual([1, 1]);
      expect(r.exitstr).toBe('');
    }
  });
  it('let the parent run while a child takes a note after every system call, and kill the child through ctl', async () => {
    // Every note stops the CPU for delivery and noted: the time slice must
    // span those stops, or the child keeps the CPU for ever.
    // Under --deterministic a slice is counted in runs rather than time.
    // A child that kept the CPU would run for ever: it is cut by a budget
    // of system calls (about 400,000 are needed under --deterministic,
    // where the parent's 60 ms of sleep are 6,000 dispatches of 10 µs), not
    // by wall time.
    const BUDGET = 4_000_000;
    for (const det of [false, true]) {
      let calls = 0;
      const r = await notes('p', {
        onkernel: (k: Plan9) => {
          if (det) deterministic(k);
          k.trace.listen(['sys'], (e) => {
            if (e.kind === 'sys' && ++calls === BUDGET) for (const p of [...k.procs.values()]) killproc(p);
          });
        },
      });
      expect(calls).toBeLessThan(BUDGET);
      const lines = r.stdout.toString().trim().split('\n');
      expect(lines.slice(0, 2)).toEqual(['tick', 'tick']);
      expect(lines[2]).toMatch(/^2 \d+ \d+ \d+ 'notes 2: Killed'$/);
      expect(r.exitstr).toBe('');
    }
  }, 600_000);
});
