import { describe, expect, it } from 'vitest';
import { assembleProg, runProg } from '../kit/runprog.ts';
import { parseAout } from '../../emu/aout.ts';
import { Control, type StopReason } from '../../emu/debug/control.ts';
import type { Plan9 } from '../../emu/port/kernel.ts';

const syms = parseAout(assembleProg('dbg.s')).syms;
const sym = (name: string) => {
  const s = syms.find((x) => x.name === name);
  if (!s) throw new Error(`no symbol ${name}`);
  return s.value;
};

/** Run dbg.s under a Control; `drive` gets each stop and says how to go on. */
async function debug(argv: string[], drive: (c: Control, r: StopReason, n: number) => void) {
  const stops: StopReason[] = [];
  let control: Control | undefined;
  const r = await runProg('dbg.s', {
    argv,
    onkernel(k: Plan9) {
      const c = new Control(k);
      c.onStop((s) => {
        stops.push(s);
        if (s.kind !== 'exited') drive(c, s, stops.length - 1);
      });
      control = c;
    },
    onend(_k, first) {
      control!.exited(first.pid, first.exitstr);
    },
  });
  return { ...r, stops };
}

describe('machine control', () => {
  it('stops before the first instruction, at the entry point', async () => {
    let pc = 0;
    const r = await debug(['dbg'], (c, s) => {
      if (s.kind === 'start') pc = c.regs(s.pid).pc;
      c.cont();
    });
    expect(r.stops[0]).toEqual({ kind: 'start', pid: r.pid });
    expect(pc).toBe(sym('_main'));
    expect(r.stdout.toString()).toBe('ok\nA\n');
  });

  it('breaks at an address every time it is reached, and single-steps', async () => {
    const seen: string[] = [];
    const r = await debug(['dbg'], (c, s) => {
      if (s.kind === 'start') c.addBreakpoint(sym('bump'));
      if (s.kind === 'breakpoint') {
        seen.push(`bp ${c.regs(s.pid).pc === sym('bump')}`);
        if (seen.length === 1) return c.step(s.pid);
      }
      if (s.kind === 'step') seen.push(`step ${(c.regs(s.pid).pc - sym('bump')).toString(16)}`);
      c.cont();
    });
    // MOVL counter(SB), AX is 6 bytes (8B 05 imm32).
    expect(seen).toEqual(['bp true', 'step 6', 'bp true', 'bp true']);
    expect(r.stdout.toString()).toBe('ok\nA\n');
  });

  it('changes a register and the program prints something else', async () => {
    const r = await debug(['dbg'], (c, s) => {
      if (s.kind === 'start') c.addBreakpoint(sym('pick'));
      if (s.kind === 'breakpoint') c.setRegs(s.pid, { bx: 2 });
      c.cont();
    });
    expect(r.stdout.toString()).toBe('ok\nC\n');
  });

  it('stops after a write to a watched variable', async () => {
    const vals: number[] = [];
    let pcs = new Set<number>();
    const r = await debug(['dbg'], (c, s) => {
      if (s.kind === 'start') c.addWatchpoint(sym('counter'), 4, 'write');
      if (s.kind === 'watchpoint') {
        vals.push(new DataView(c.read(s.pid, sym('counter'), 4).buffer).getUint32(0, true));
        pcs.add(c.regs(s.pid).pc);
      }
      c.cont();
    });
    expect(vals).toEqual([0, 1, 2, 3]);
    // After _main's MOVL $0 and after bump's MOVL AX, counter (its RET).
    expect(pcs.size).toBe(2);
    // bump: MOVL counter, AX (6 bytes); INCL AX (1); MOVL AX, counter (6).
    expect(pcs.has(sym('bump') + 6 + 1 + 6)).toBe(true);
    expect(r.stdout.toString()).toBe('ok\nA\n');
  });

  it('reads AX after a system call returns', async () => {
    let ax = -1;
    await debug(['dbg'], (c, s) => {
      const pw = sym('runtime.pwrite');
      if (s.kind === 'start') c.addBreakpoint(pw);
      if (s.kind === 'breakpoint' && c.regs(s.pid).pc === pw) {
        c.removeBreakpoint(pw);
        // pwrite is MOVL $51, AX; INT $64; ... : step to after the INT.
        return c.step(s.pid);
      }
      if (s.kind === 'step' && ax === -1) {
        const b = c.read(s.pid, c.regs(s.pid).pc - 2, 2);
        if (b[0] !== 0xcd || b[1] !== 0x40) return c.step(s.pid);
        ax = c.regs(s.pid).ax;
      }
      c.cont();
    });
    expect(ax).toBe(3);
  });

  it('stops on a fault note before it is delivered, at the faulting pc', async () => {
    let note = '';
    let pc = 0;
    const r = await debug(['dbg', 'f'], (c, s) => {
      if (s.kind === 'note') {
        note = s.note;
        pc = c.regs(s.pid).pc;
        return c.cont({ deliver: true });
      }
      c.cont();
    });
    expect(note).toBe('sys: trap: fault read addr=0x0');
    expect(r.exitstr).toBe(`sys: trap: fault read addr=0x0 pc=0x${pc.toString(16).padStart(8, '0')}`);
    expect(r.stops.at(-1)).toMatchObject({ kind: 'exited' });
  });
});
