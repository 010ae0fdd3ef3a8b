// The 386 note frame, noted's modes and the system call trap's bad-call
// rules, on the real kernel with a fake CPU: no libunicorn. A test process
// runs nowhere; its registers are set, the kernel's 386 half is called,
// and the registers and memory are read back.

import { describe, expect, it } from 'vitest';
import { DATA, DATASIZE, TestKernel } from '../kit/kernelkit.ts';
import type { FakeCpu } from '../../emu/cpu/fakecpu.ts';
import { syscall } from '../../emu/cpu/fakecpu.ts';
import type { Flavor } from '../../emu/port/dat.ts';
import { ERRMAX, NCONT, NDebug, NRSTR, NSAVE, NUser } from '../../emu/port/dat.ts';
import { Ebadarg } from '../../emu/port/error.ts';
import { postnote } from '../../emu/port/note.ts';
import { consfd } from '../../emu/port/devcons.ts';
import { noted, notify } from '../../emu/386/notify.ts';
import { FLAGS_USER } from '../../emu/386/mem.ts';
import { UREGSIZE, UREG, decodeUreg } from '../../emu/386/ureg.ts';

const SP = DATA + DATASIZE - 0x1000;
const PC = DATA + 0x400;
const HANDLER = DATA + 0x100;
/** Where notify puts the Ureg: 256 bytes below the interrupted stack. */
const U = SP - 256 - UREGSIZE;
const REGS = { ax: 7, bx: 1, cx: 2, dx: 3, si: 4, di: 5, bp: 6, sp: SP, pc: PC };

function setup(flavor: Flavor = '9front') {
  const k = new TestKernel({ flavor });
  const p = k.proc('notes');
  for (const fd of [0, 1, 2] as const) p.fgrp.fd[fd] = consfd(p, fd);
  const cpu = p.cpu as FakeCpu;
  cpu.setRegs(REGS);
  p.notify = HANDLER;
  return { k, p, cpu };
}

describe('notify: the note frame', () => {
  it('puts the Ureg 256 bytes below sp, then the old ureg, the message, and (0, Ureg*, msg) at the new sp', () => {
    const { p, cpu } = setup();
    postnote(p, 'hello', NUser);
    expect(notify(p, 64)).toBe(true);
    const msg = U - 4 - ERRMAX;
    const sp = msg - 12;
    expect(cpu.reg('sp')).toBe(sp);
    expect(cpu.reg('pc')).toBe(HANDLER);
    expect([cpu.read32(sp), cpu.read32(sp + 4), cpu.read32(sp + 8)]).toEqual([0, U, msg]);
    expect(cpu.read32(U - 4)).toBe(0);  // no handler was running
    expect(new TextDecoder().decode(cpu.read(msg, 6))).toBe('hello\0');
    const ureg = decodeUreg(cpu.read(U, UREGSIZE));
    expect(ureg).toMatchObject({ ...REGS, trap: 64 });
    expect(p.notified).toBe(true);
    expect(p.ureg).toBe(U);
  });

  it("ends a sys: note with the interrupted pc, as each kernel prints it", () => {
    for (const [flavor, pc] of [['4e', 'pc=0x00010400'], ['9front', 'pc=0x10400']] as const) {
      const { p, cpu } = setup(flavor);
      postnote(p, 'sys: trap: divide error', NDebug);
      notify(p, 0);
      expect(new TextDecoder().decode(cpu.read(U - 4 - ERRMAX, 40)).split('\0')[0]).toBe(`sys: trap: divide error ${pc}`);
    }
  });

  it('kills a process with no handler, printing "suicide" for an NDebug note only', () => {
    for (const [flag, stderr] of [[NUser, ''], [NDebug, 'notes 1: suicide: sys: trap: divide error pc=0x10400\n']] as const) {
      const { k, p } = setup();
      p.notify = 0;
      postnote(p, 'sys: trap: divide error', flag);
      expect(notify(p, 0)).toBe(false);
      expect(p.alive).toBe(false);
      expect(p.exitstr).toBe('sys: trap: divide error pc=0x10400');
      expect(k.console.stderr()).toBe(stderr);
    }
  });

  it('kills a process whose frame would not fit in mapped memory: "Suicide"', () => {
    const { k, p, cpu } = setup();
    cpu.setReg('sp', DATA + 0x100);
    postnote(p, 'hello', NUser);
    expect(notify(p, 64)).toBe(false);
    expect(p.exitstr).toBe('Suicide');
    expect(k.console.stderr()).toBe('notes 1: suicide: bad address in notify\n');
  });
});

describe('noted', () => {
  function inhandler(flavor: Flavor = '9front') {
    const s = setup(flavor);
    postnote(s.p, 'hello', NUser);
    notify(s.p, 64);
    s.cpu.setRegs({ ax: 99, bx: 98 });  // the handler's own work
    return s;
  }

  it('NCONT: the registers of the Ureg, the previous ureg back, no longer notified', () => {
    const { p, cpu } = inhandler();
    noted(p, NCONT);
    expect(cpu.regs()).toMatchObject(REGS);
    expect(p.notified).toBe(false);
    expect(p.ureg).toBe(0);
  });

  it('takes only the user flags from the Ureg (FLAGS_USER), the rest from the CPU', () => {
    const { p, cpu } = inhandler();
    cpu.write32(U + 4 * Object.keys(UREG).indexOf('flags'), 0xffffffff);
    const before = cpu.reg('flags');
    noted(p, NCONT);
    expect(cpu.reg('flags')).toBe(((0xffffffff & FLAGS_USER) | (before & ~FLAGS_USER)) >>> 0);
  });

  it('NSAVE: the Ureg registers on the handler frame (0, Ureg*) kept for a later NRSTR', () => {
    const { p, cpu } = inhandler();
    noted(p, NSAVE);
    const nsp = U - ERRMAX - 16;
    expect(cpu.regs()).toMatchObject({ ...REGS, sp: nsp });
    expect([cpu.read32(nsp), cpu.read32(nsp + 4)]).toEqual([0, U]);
    expect(p.ureg).toBe(U);
    expect(p.notified).toBe(false);
    // NRSTR is allowed when not notified: back to the interrupted sp and the older ureg.
    noted(p, NRSTR);
    expect(cpu.regs()).toMatchObject(REGS);
    expect(p.ureg).toBe(0);
    expect(p.alive).toBe(true);
  });

  it('kills a process that calls noted when not notified', () => {
    const { k, p } = setup();
    noted(p, NCONT);
    expect(p.exitstr).toBe('Suicide');
    expect(k.console.stderr()).toBe('notes 1: call to noted() when not notified\n');
  });

  it('4e refuses a Ureg with another code selector; 9front forces RPL 3 instead', () => {
    const cs = U + 4 * Object.keys(UREG).indexOf('cs');
    const a = inhandler('4e');
    a.cpu.write32(cs, 0x08);
    noted(a.p, NCONT);
    expect(a.p.exitstr).toBe('Suicide');
    expect(a.k.console.stderr()).toBe('notes 1: bad segment selector in noted\n');
    const b = inhandler('9front');
    b.cpu.write32(cs, 0x20);
    noted(b.p, NCONT);
    expect(b.p.alive).toBe(true);
    expect(b.cpu.reg('cs')).toBe(0x23);
  });
});

describe('the system call trap: bad calls', () => {
  function trap(flavor: Flavor, ax: number, sp: number) {
    const s = setup(flavor);
    s.cpu.script({ syscall: { ax, sp } });
    expect(s.cpu.run()).toEqual({ kind: 'stopped' });  // a note is queued: back to the kernel
    return s;
  }

  it('an unknown number fails with Ebadarg and posts "sys: bad sys call"; 4e also prints it', () => {
    for (const flavor of ['4e', '9front'] as const) {
      const { k, p, cpu } = trap(flavor, 9999, SP);
      expect(cpu.reg('ax')).toBe(0xffffffff);
      expect(p.errstr).toBe(Ebadarg);
      expect(k.posted).toEqual([{ pid: p.pid, msg: 'sys: bad sys call', flag: NDebug, ok: true }]);
      expect(k.console.stderr()).toBe(flavor === '4e' ? `notes 1: bad sys call number 9999 pc ${(PC + 2).toString(16)}\n` : '');
    }
  });

  it('arguments off mapped memory post "sys: bad address in syscall"', () => {
    const { k, p } = trap('9front', 14, DATA + DATASIZE - 8);
    expect(p.errstr).toBe(Ebadarg);
    expect(k.posted.map((n) => n.msg)).toEqual(['sys: bad address in syscall']);
  });

  it('both bad: 9front checks the stack first, 4e the number', () => {
    expect(trap('9front', 9999, 0x900000).k.posted.map((n) => n.msg)).toEqual(['sys: bad address in syscall']);
    expect(trap('4e', 9999, 0x900000).k.posted.map((n) => n.msg)).toEqual(['sys: bad sys call']);
  });

  it('a good call returns its result in AX and the CPU goes on without stopping', () => {
    const { k, cpu } = setup();
    cpu.script(syscall(0, [], { sp: SP, ax: 0 }), { kind: 'trap', vector: 3, pc: PC });  // sysr1, then INT3
    expect(cpu.run().kind).toBe('trap');
    expect(cpu.reg('ax')).toBe(0);
    expect(k.posted).toEqual([]);
  });
});
