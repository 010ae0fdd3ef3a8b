// The library's stops (runUntil, continue), and what a stopped machine
// shows and lets change: registers (general, EIP, EFLAGS, segment, x87,
// SSE) and memory by address or symbol. The examples of docs/api.md,
// "Stopping and going on".

import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { boot, load, type Stop } from 'p9emu';

const fixture = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const prog = load(fixture('stop.s'));
const u32 = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint32(0, true);

describe('runUntil', () => {
  it('stops before a symbol runs, each time continue() is called', async () => {
    const g = boot(prog, { deterministic: true });
    const seen: number[] = [];
    let s: Stop = await g.runUntil({ symbol: 'bump' });
    while (s.reason === 'pc') {
      expect(s).toEqual({ reason: 'pc', pid: 1, pc: prog.addr('bump'), symbol: 'bump' });
      expect(g.regs().pc).toBe(prog.addr('bump'));
      seen.push(u32(g.read('counter', 4)));
      s = await g.continue();
    }
    expect(seen).toEqual([0, 1, 2]);
    expect(s.reason === 'exit' && s.result.exitstr).toBe('');
  });

  it('stops at a system call before it runs (enter) and after (exit)', async () => {
    const g = boot(prog, { deterministic: true });
    const enter = await g.runUntil({ syscall: 'open' });
    expect(enter).toMatchObject({ reason: 'syscall', when: 'enter', name: 'open', num: 14, pid: 1 });
    // pc is at the INT $64 (CD 40) and the call has not run: no event yet.
    expect(enter.reason !== 'exit' && [...g.read(enter.pc, 2)]).toEqual([0xcd, 0x40]);
    expect(g.regs().ax).toBe(14);
    expect(g.stop).toBe(enter);
    const exit = await g.runUntil({ syscall: 14, when: 'exit' });
    expect(exit).toMatchObject({ reason: 'syscall', when: 'exit', name: 'open', ret: 3 });
    expect(exit.reason !== 'exit' && enter.reason !== 'exit' && exit.pc - enter.pc).toBe(2);
    const r = await g.run();
    expect(r.events.filter((e) => e.kind === 'sys').map((e) => e.kind === 'sys' && e.name)).toEqual(['open', 'pwrite', 'exits']);
  });

  it('lets a call stopped at enter be changed before it runs', async () => {
    const g = boot(prog, { deterministic: true });
    await g.runUntil({ syscall: 'open', when: 'enter' });
    const name = u32(g.read(g.regs().sp + 4, 4));   // open's first argument
    g.write(name, new TextEncoder().encode('/dev/nix\0'));
    await g.runUntil({ symbol: 'check' });
    expect(u32(g.read('fd', 4)) | 0).toBe(-1);
    const r = await g.run();
    expect(r.events.find((e) => e.kind === 'sys' && e.name === 'open')).toMatchObject({ ret: -1 });
  });

  it('counts instructions', async () => {
    const g = boot(prog, { deterministic: true });
    await g.runUntil({ symbol: 'bump' });
    const ret = u32(g.read(g.regs().sp, 4));   // bump's return address
    // INCL counter(SB) is 6 bytes (FF 05 imm32), then RET.
    expect(await g.runUntil({ insns: 1 })).toEqual({ reason: 'insns', pid: 1, pc: prog.addr('bump') + 6, insns: 1 });
    expect(u32(g.read('counter', 4))).toBe(1);
    expect(await g.runUntil({ insns: 1 })).toMatchObject({ pc: ret });
    // DECL SI; JNE loop; CALL bump(SB): at bump again.
    expect(await g.runUntil({ insns: 3 })).toMatchObject({ reason: 'insns', insns: 3, pc: prog.addr('bump') });
    // INCL, RET, DECL SI (1 byte).
    expect(await g.continue()).toMatchObject({ reason: 'insns', insns: 3, pc: ret + 1 });
    expect((await g.run()).exitstr).toBe('');
  });

  it('stops at a note before it is delivered; continuing delivers it', async () => {
    const g = boot(load(fixture('../prog/noteframe.s')), { deterministic: true });
    const s = await g.runUntil([{ note: /^hel/ }, { symbol: 'handler' }]);
    expect(s).toMatchObject({ reason: 'note', pid: 1, note: 'hello' });
    expect(g.procs()).toMatchObject([{ pid: 1, notes: ['hello'] }]);
    expect(await g.continue()).toMatchObject({ reason: 'pc', symbol: 'handler' });
    expect((await g.run()).exitstr).toBe('');
  });

  it('stops in one process only when given a pid', async () => {
    const g = boot(load(fixture('../prog/rfmem.s')), { deterministic: true });
    expect(await g.runUntil({ syscall: '*', pid: 2 })).toMatchObject({ reason: 'syscall', pid: 2, name: 'exits', when: 'enter' });
    expect(g.procs().map((p) => [p.pid, p.state])).toEqual([[1, 'Ready'], [2, 'Ready']]);
    expect((await g.run()).exitstr).toBe('');
  });

  it('kills every process at a stop (kill, close)', async () => {
    const g = boot(prog, { deterministic: true });
    await g.runUntil({ symbol: 'check' });
    const r = await g.kill();
    expect(r.stdout).toBe('');   // check never wrote
    expect(r.exits).toEqual({ 1: 'Killed' });
    expect(r.exitstr).toBe('Killed');
    const c = boot(prog, { deterministic: true });
    await c.runUntil({ symbol: 'check' });
    await c.close();             // the same, for a guest you are done with
    expect(() => c.regs()).toThrow('Guest.regs: the run is over');
  });

  it('refuses what is not a condition, and inspection while running', async () => {
    const g = boot(prog);
    await expect(g.runUntil({ syscall: 'nosuch' })).rejects.toThrow("runUntil: no system call 'nosuch'");
    await expect(g.runUntil({ symbol: 'nosuch' })).rejects.toThrow("no symbol 'nosuch'");
    await expect(g.runUntil({ insns: 0 })).rejects.toThrow('insns is a whole number above 0');
    expect(() => g.regs()).toThrow('Guest.regs: the machine is not stopped (runUntil stops it)');
    const end = await g.runUntil({ pc: 1 });
    expect(end.reason === 'exit' && end.result.exitstr).toBe('');
    expect(() => g.read('counter', 4)).toThrow('Guest.read: the run is over');
  });
});

describe('registers and memory at a stop', () => {
  it('reads general, segment, x87 and SSE registers, and changes them', async () => {
    const g = boot(prog, { deterministic: true });
    await g.runUntil({ symbol: 'check' });
    const r = g.regs();
    expect(r.pc).toBe(prog.addr('check'));
    expect(r.cs).not.toBe(0);
    expect(r.fp.fctrl).toBe(0x0232);   // Plan 9's initial control word
    expect(r.fp.xmm).toHaveLength(8);
    g.setRegs({ fp: { fctrl: 0x0a7f, xmm: [new TextEncoder().encode('0123456789abcdef')] } });
    expect(g.regs().fp.fctrl).toBe(0x0a7f);
    await g.runUntil({ symbol: 'pick' });
    expect(u32(g.read('cw', 4)) & 0xffff).toBe(0x0a7f);   // FSTCW stored the new control word
    // pick: CMPL BX, $0 and the caller's JEQ: BX 1 exits "picked".
    g.setRegs({ bx: 1 });
    const r2 = await g.run();
    expect(r2.stdout).toBe('0123456789abcdef');   // MOVOU X0 wrote what we set
    expect(r2.exitstr).toBe('picked');
  });

  it('changes EFLAGS: ZF set after the compare takes the other branch', async () => {
    const g = boot(prog, { deterministic: true });
    await g.runUntil({ symbol: 'pick' });
    g.setRegs({ bx: 1 });
    await g.runUntil({ insns: 2 });   // CMPL, RET: the JEQ is next
    expect(g.regs().flags & 0x40).toBe(0);
    g.setRegs({ flags: g.regs().flags | 0x40 });
    expect((await g.run()).exitstr).toBe('');
  });

  it('writes memory by symbol', async () => {
    const g = boot(prog, { deterministic: true });
    await g.runUntil({ symbol: 'bump' });
    g.write('counter', new Uint8Array([40, 0, 0, 0]));
    await g.runUntil({ symbol: 'check' });
    expect(u32(g.read('counter', 4))).toBe(43);   // three bumps on 40
    expect(() => g.read(0, 4)).toThrow('bad address 0x0');
    await g.run();
    expect(() => g.read('counter', 4)).toThrow('the run is over');
  });
});
