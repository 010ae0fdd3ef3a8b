// Snapshots of a stopped machine and their restore: a run from the
// restored point gives what the first run from that point gave (stdout,
// exit strings, every event), under --deterministic. The examples of
// docs/api.md, "Snapshots".

import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { boot, load, type RunResult, type Until } from 'p9emu';

const fixture = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const prog = load(fixture('stop.s'));
const u32 = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint32(0, true);
const outcome = (r: RunResult) => ({ stdout: r.stdout, stderr: r.stderr, exits: r.exits, events: r.events });

/** Stop at the nth hit of `until`, snapshot, run to the end, restore, run to the end again. */
async function twice(file: string, args: string[], until: Until, nth: number) {
  const g = boot(load(fixture(file)), { deterministic: true, args });
  for (let i = 0; i < nth; i++) expect((await g.runUntil(until)).reason).not.toBe('exit');
  const at = g.stop;
  const s = g.snapshot();
  const first = await g.run();
  g.restore(s);
  expect(g.stop).toEqual(at);
  const again = await g.run();
  await g.close();
  return { first, again };
}

describe('snapshot and restore', () => {
  it('rerun from a stop after the end gives the same output, exit and events', async () => {
    const g = boot(prog, { deterministic: true });
    await g.runUntil({ symbol: 'bump' });
    await g.continue();                      // the second bump: counter is 1
    const s = g.snapshot();
    const first = await g.run();
    g.restore(s);
    expect(u32(g.read('counter', 4))).toBe(1);
    expect(g.regs().pc).toBe(prog.addr('bump'));
    const again = await g.run();
    expect(outcome(again)).toEqual(outcome(first));
    expect(again.exitstr).toBe('');
    expect(again.events.filter((e) => e.kind === 'sys').map((e) => e.kind === 'sys' && e.name)).toEqual(['open', 'pwrite', 'exits']);
    await g.close();
  });

  it('restores at a stop too, and any number of times, to try something else from there', async () => {
    const g = boot(prog, { deterministic: true });
    await g.runUntil({ symbol: 'pick' });
    const s = g.snapshot();
    expect((await g.run()).exitstr).toBe('');
    g.restore(s);
    g.setRegs({ bx: 1 });
    expect((await g.run()).exitstr).toBe('picked');
    g.restore(s);
    await g.runUntil({ insns: 1 });          // CMPL BX, $0
    g.restore(s);
    expect(g.regs().pc).toBe(prog.addr('pick'));
    expect((await g.run()).exitstr).toBe('');
    await g.close();
  });

  it('keeps processes, pipes, rendezvous, notes, timers and the clock (several programs)', async () => {
    // rendez x: an rfork child meets the parent; i: a note interrupts a rendezvous; alarm h: alarms, a handler, sleeps.
    for (const [file, args, until, nth] of [
      ['../prog/rendez.s', ['x'], { syscall: '*' }, 5],
      ['../prog/rendez.s', ['i'], { syscall: '*', when: 'exit' }, 6],
      ['../prog/alarm.s', ['h'], { syscall: 'sleep' }, 1],
      ['../prog/alarm.s', ['h'], { note: 'alarm' }, 1],
    ] as const) {
      const { first, again } = await twice(file, [...args], until as Until, nth);
      expect(outcome(again), `${file} ${args}`).toEqual(outcome(first));
      expect(first.events.length).toBeGreaterThan(5);
    }
  });

  it('refuses what it cannot save or restore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'p9emu-snap-'));
    try {
      const w = boot(prog, { root: dir, rw: true });
      await w.runUntil({ symbol: 'bump' });
      expect(() => w.snapshot()).toThrow(`snapshot: the host directory ${dir} is bound writable at /: host files cannot be saved`);
      await w.close();
    } finally {
      rmSync(dir, { recursive: true });
    }
    const g = boot(prog, { deterministic: true });
    expect(() => g.snapshot()).toThrow('Guest.snapshot: the machine is not stopped (runUntil stops it)');
    await g.runUntil({ symbol: 'bump' });
    const s = g.snapshot();
    const other = boot(prog);
    await other.runUntil({ symbol: 'bump' });
    expect(() => other.restore(s)).toThrow('Guest.restore: the snapshot is of another guest');
    await other.close();
    await g.close();
    expect(() => g.restore(s)).toThrow('Guest.restore: the run is over');
  });
});
