// The general registers read and written in the engine's memory
// (emu/cpu/regfile.ts): found on the system library, identical to the API
// inside a hook, and their writes seen by the guest when it resumes.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { DATA, guest, le32, type Guest } from './guest.ts';
import type { Reg } from '../../emu/cpu/cpu.ts';

let g: Guest | undefined;
afterEach(() => {
  g?.close();
  g = undefined;
});

const GPRS: Reg[] = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
// MOVL $imm, r for r = AX CX DX BX SP BP SI DI (B8+r).
const loadAll = GPRS.flatMap((_, r) => [0xb8 + r, ...le32(0x11111111 * (r + 1))]);
// MOVL r, DATA+4r (89 /r with disp32: modrm 00 r 101).
const storeAll = GPRS.flatMap((_, r) => [0x89, (r << 3) | 5, ...le32(DATA + 4 * r)]);

describe('regfile: general registers in engine memory', () => {
  it('is used on the system library (Debian 2.0.1)', () => {
    g = guest([0xcd, 0x40]);
    // Another library (P9EMU_LIBUNICORN) may legitimately not match.
    if (!process.env.P9EMU_LIBUNICORN) expect(g.cpu.regsDirect).toBe(true);
  });

  it('inside the INT hook: the same values as the API, and writes the guest sees', () => {
    g = guest([...loadAll, 0xcd, 0x40, ...storeAll, 0xcd, 0x40]);
    const cpu = g.cpu;
    const seen: Record<string, number>[] = [];
    cpu.onSyscall(() => {
      if (seen.length === 1) return cpu.stop();
      const api = cpu.regs(); // one uc_reg_read_batch
      const direct: Record<string, number> = {};
      for (const r of GPRS) direct[r] = cpu.reg(r);
      const pair = new Uint32Array(2);
      cpu.readPair!('ax', 'sp', pair);
      seen.push(direct);
      expect(direct).toEqual(Object.fromEntries(GPRS.map((r) => [r, api[r]])));
      expect([...pair]).toEqual([api.ax, api.sp]);
      for (const [i, r] of GPRS.entries()) cpu.setReg(r, 0xf0000000 + i);
      expect(cpu.regs()).toMatchObject(Object.fromEntries(GPRS.map((r, i) => [r, 0xf0000000 + i])));
    });
    expect(cpu.run().kind).toBe('stopped');
    expect(seen[0]).toEqual(Object.fromEntries(GPRS.map((r, i) => [r, 0x11111111 * (i + 1)])));
    expect(GPRS.map((_, i) => g!.dv.getUint32(4 * i, true))).toEqual(GPRS.map((_, i) => 0xf0000000 + i));
  });

  it('between runs: setReg, setRegs and reg agree with the batch read, and the guest starts from them', () => {
    g = guest([...storeAll, 0xcd, 0x40]);
    const cpu = g.cpu;
    // setReg for half, setRegs (with flags, which goes through the API) for the rest.
    for (const [i, r] of GPRS.slice(0, 4).entries()) cpu.setReg(r, 0x01020304 * (i + 1));
    cpu.setRegs({ ...Object.fromEntries(GPRS.slice(4).map((r, i) => [r, 0x01020304 * (i + 5)])), flags: 0x8d5 });
    expect(cpu.regs()).toMatchObject({ ...Object.fromEntries(GPRS.map((r, i) => [r, (0x01020304 * (i + 1)) >>> 0])), flags: 0x8d5 | 0x202 });
    cpu.onSyscall(() => cpu.stop());
    cpu.run();
    expect(GPRS.map((_, i) => g!.dv.getUint32(4 * i, true))).toEqual(GPRS.map((_, i) => (0x01020304 * (i + 1)) >>> 0));
    expect(GPRS.map((r) => cpu.reg(r))).toEqual(GPRS.map((_, i) => (0x01020304 * (i + 1)) >>> 0));
  });

  it('P9EMU_REGS=ffi keeps every access on the API', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
      const { UnicornCpu } = await import('./emu/cpu/unicorn.ts');
      const cpu = new UnicornCpu();
      cpu.setReg('bx', 42);
      console.log(cpu.regsDirect, cpu.reg('bx'));
      cpu.close();`], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: { ...process.env, P9EMU_REGS: 'ffi' },
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('false 42');
  });
});
