// CPU time (emu/port/cputime.ts): under --deterministic every dispatch
// costs the virtual clock's 10 µs, so the times are exact; the children's
// user and system time reach the parent at their exit, real time never.
import { describe, expect, it } from 'vitest';
import { detRun } from '../det/kit.ts';
import { TestKernel } from '../kit/kernelkit.ts';
import { read } from '../kit/devkit.ts';

describe('CPU time', () => {
  it('a child that yields 300 times used 3 ms: its wait record says so, and its parent counts it as its children\'s', async () => {
    const r = await detRun('cputime.s');
    const [wait, cputime] = r.stdout.split('\n');
    // pid user sys real 'msg': 300 dispatches of 10 µs each, no time in the kernel's clock.
    expect(wait).toBe("2 3 0 3 ''");
    const t = cputime!.trim().split(/ +/).map(Number);
    expect(t).toEqual([0, 0, 3, 3, 0, 0]);
  });

  it('status shows user, system and real time and the children\'s, in ms', () => {
    const k = new TestKernel({ flavor: '9front' });
    const p = k.proc('rc');
    const q = k.proc('sleep', p);
    Object.assign(q.time, { cpu: 7.5e6, sys: 2e6, cuser: 11e6, csys: 4e6 });
    const f = read(p, '/proc/2/status').slice(56 + 12).trim().split(/ +/).map(Number);
    expect(f.slice(0, 2)).toEqual([5, 2]);
    expect(f[2]).toBeGreaterThanOrEqual(0);
    expect(f.slice(3, 6)).toEqual([11, 4, 0]);
  });
});
