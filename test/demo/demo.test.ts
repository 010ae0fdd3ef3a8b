// The scenario end to end: init with A and B in one note group, linked with
// the runtime before and after commit ccdca2c, and the fault variant.
import { describe, expect, it } from 'vitest';
import { run } from '../../emu/run.ts';
import { unicornMachine } from '../../emu/cpu/machine.ts';
import { BufferConsole } from '../../emu/port/console.ts';
import { assembleRuntime, runDemo, type DemoResult, type Variant } from '../../emu/demo/demo.ts';
import { deterministic } from '../../emu/det/deterministic.ts';

// The demo needs RFMEM children (newosproc). This probe is the smallest
// such program; the scenario tests below only make sense once it passes.
const PROBE = `
#include "../../asm/sys_plan9_386.s"
TEXT _main(SB),7,$24
	MOVL	$(16|32|64), 0(SP)
	CALL	runtime·rfork(SB)
	CMPL	AX, $0
	JEQ	child
	MOVL	$100, 0(SP)
	CALL	runtime·sleep(SB)
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
child:
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
`;

async function probe(): Promise<string> {
  try {
    const r = await run(assembleRuntime('after/probe.s', PROBE), { machine: unicornMachine(), console: new BufferConsole('') });
    return r.exitstr;
  } catch (e) {
    return `threw: ${(e as Error).message}`;
  }
}

// Under --deterministic: a free run's interleaving follows the host's timer,
// so on a loaded machine the order of the notes below could change.
const runs = new Map<Variant, Promise<DemoResult>>();
function demo(v: Variant): Promise<DemoResult> {
  if (!runs.has(v)) runs.set(v, runDemo(v, { machine: unicornMachine(), onkernel: (k) => void deterministic(k) }));
  return runs.get(v)!;
}
const who = (r: DemoResult, pid: number) => {
  const p = r.procs.find((q) => q.pid === pid);
  return p ? (p.m === null ? p.program : `${p.program}${p.m}`) : `?${pid}`;
};
const statuses = (r: DemoResult) => Object.fromEntries(r.procs.map((p) => [who(r, p.pid), p.status]));
const notes = (r: DemoResult) => r.notes.map((n) => `${n.from === null ? 'kernel' : who(r, n.from)}>${who(r, n.to)} ${n.msg} ${n.action}`);

describe('rfork(RFPROC|RFMEM|RFNOWAIT) child runs and exits (needed by newosproc)', () => {
  it('probe', async () => {
    expect(await probe()).toBe('');
  });
});

describe('p9emu demo scenario', () => {
  it('after: only B\'s other M gets gointr and exits 3; A runs to completion', async () => {
    const r = await demo('after');
    expect(r.deadlock).toBe(false);
    expect(statuses(r)).toEqual({ init: '', A0: '', A1: '', A2: '', B0: '3', B1: '3' });
    expect(notes(r)).toEqual(['B0>B1 gointr exits', 'A0>A2 gointr exits', 'A0>A1 gointr exits']);
    expect(r.stdout).toContain('A m0: done, exit(0)');
    const waits = r.stdout.split('\n').filter((l) => l.startsWith('init: wait: '));
    expect(waits).toHaveLength(2);
    expect(waits[0]).toMatch(/'B \d+: 3'$/);
    expect(waits[1]).toMatch(/ ''$/);
  });

  it('before: B\'s exit interrupts the whole note group and its status is lost', async () => {
    const r = await demo('before');
    expect(r.deadlock).toBe(false);
    expect(statuses(r)).toEqual({ init: '', A0: 'interrupt', A1: 'interrupt', A2: 'interrupt', B0: '', B1: 'interrupt' });
    expect(notes(r).sort()).toEqual(
      ['B0>A0 interrupt dies', 'B0>A1 interrupt dies', 'B0>A2 interrupt dies', 'B0>B1 interrupt dies', 'B0>init interrupt continues'].sort(),
    );
    expect(r.stdout).not.toContain('A m0: done');
    const waits = r.stdout.split('\n').filter((l) => l.startsWith('init: wait: '));
    expect(waits).toHaveLength(2);
  });

  it('fault: the faulting M dies with the trap text, A\'s other Ms exit with it, B is unaffected', async () => {
    const r = await demo('fault');
    expect(r.deadlock).toBe(false);
    const s = statuses(r);
    expect(s.A2).toMatch(/^sys: trap: fault read addr=0x0 pc=0x[0-9a-f]{8}$/);
    expect(s.A1).toBe(s.A2);
    expect(s.A0).toBe(s.A2);
    expect([s.init, s.B0, s.B1]).toEqual(['', '3', '3']);
    expect(notes(r)).toEqual([
      `A2>A2 ${s.A2} dies`,
      'A2>A1 gointr exits',
      'A2>A0 gointr exits',
      'B0>B1 gointr exits',
    ]);
  });
});
