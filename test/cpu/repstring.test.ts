// REP MOVS/STOS in one host copy (emu/cpu/repstring.ts): every case runs
// twice on fresh engines, with the fast path and with the engine's own
// element-by-element loop (setFastStrings(false)), and must end with the
// same stop, registers and memory. A code hook on the instruction counts how
// often the engine ran it, to show which path ran.
import { afterEach, describe, expect, it } from 'vitest';
import { PROT_READ, PROT_WRITE, PROT_EXEC, type HostMem, type RunOptions, type Stop } from '../../emu/cpu/cpu.ts';
import { unicornAlloc } from '../../emu/cpu/hostmem.ts';
import { setFastStrings, UnicornCpu } from '../../emu/cpu/unicorn.ts';
import { addCodeHook } from '../../emu/cpu/codehook.ts';
import { MIN_ELEMS, repSites } from '../../emu/cpu/repstring.ts';

const CODE = 0x1000;
const A = 0x10000;     // 64 KiB read-write, then 32 KiB of another memory (A2)
const A2 = 0x20000;
const B = 0x28000;     // 16 KiB read-write, a third memory
const END_B = 0x2c000; // unmapped from here
const RO = 0x40000;    // 4 KiB read-only

const MOVSB = [0xf3, 0xa4], MOVSL = [0xf3, 0xa5], STOSB = [0xf3, 0xaa], STOSL = [0xf3, 0xab];

interface Case {
  insn: number[];
  cx: number;
  si?: number;
  di: number;
  down?: boolean;
  ax?: number;
  es?: number;
}

interface Outcome {
  stop: Stop;
  regs: Record<string, number>;
  a: Uint8Array;
  b: Uint8Array;
  execs: number;
}

const open: (() => void)[] = [];
afterEach(() => {
  for (const f of open.splice(0)) f();
  setFastStrings(true);
});

function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + seed + (i >> 8) * 13) & 0xff;
  return b;
}

function runCase(c: Case, fast: boolean, opts: RunOptions = {}): Outcome {
  const cpu = new UnicornCpu();
  const mems: HostMem[] = [];
  const mem = (n: number) => { const m = unicornAlloc(n); mems.push(m); return m; };
  open.push(() => { cpu.close(); for (const m of mems) m.free(); });
  const code = mem(0x1000);
  code.bytes.set([...c.insn, 0xcd, 0x40]); // the instruction, then INT $64
  cpu.map(CODE, code, PROT_READ | PROT_EXEC);
  const a = mem(0x10000), b = mem(0x4000), ro = mem(0x1000);
  a.bytes.set(pattern(0x10000, 1));
  b.bytes.set(pattern(0x4000, 2));
  cpu.map(A, a, PROT_READ | PROT_WRITE);
  cpu.map(B, b, PROT_READ | PROT_WRITE);
  const a2 = mem(0x8000);
  a2.bytes.set(pattern(0x8000, 3));
  cpu.map(A2, a2, PROT_READ | PROT_WRITE);
  cpu.map(RO, ro, PROT_READ);
  cpu.setRegs({ pc: CODE, cx: c.cx, si: c.si ?? 0, di: c.di, ax: c.ax ?? 0x11223344, flags: c.down ? 0x602 : 0x202 });
  if (c.es !== undefined) cpu.setReg('es', c.es);
  let execs = 0;
  addCodeHook(cpu, CODE, CODE, () => execs++);
  cpu.onSyscall(() => cpu.stop());
  setFastStrings(fast);
  const stop = cpu.run(opts);
  const r = cpu.regs();
  return {
    stop,
    regs: { cx: r.cx, si: r.si, di: r.di, ax: r.ax, pc: r.pc, flags: r.flags },
    a: Buffer.concat([a.bytes, a2.bytes]), b: b.bytes.slice(), execs,
  };
}

/** Both runs agree; returns how many times the fast run executed the instruction. */
function same(c: Case): Outcome {
  const slow = runCase(c, false);
  const fast = runCase(c, true);
  expect(fast.stop).toEqual(slow.stop);
  expect(fast.regs).toEqual(slow.regs);
  expect(Buffer.compare(fast.a, slow.a)).toBe(0);
  expect(Buffer.compare(fast.b, slow.b)).toBe(0);
  return fast;
}

describe('REP MOVS/STOS fast path', () => {
  it('finds the sites', () => {
    expect(repSites(Uint8Array.of(0x90, 0xf3, 0xa5, 0xf3, 0xab, 0xf3, 0x90, 0xf3, 0xa4, 0xf3, 0xaa, 0xf3), 0x100)).toEqual([0x101, 0x103, 0x107, 0x109]);
  });

  it('copies 4 KiB forward with REP MOVSL in one go', () => {
    const o = same({ insn: MOVSL, cx: 1024, si: A, di: A + 0x8000 });
    expect(o.regs.cx).toBe(0);
    expect(o.execs).toBeLessThan(4);
  });

  it('copies backward (DF=1) with REP MOVSL and REP MOVSB', () => {
    expect(same({ insn: MOVSL, cx: 1000, si: A + 0x4000, di: A + 0x9000, down: true }).execs).toBeLessThan(4);
    expect(same({ insn: MOVSB, cx: 3001, si: A + 0x4001, di: A + 0x9003, down: true }).execs).toBeLessThan(4);
  });

  it('fills with REP STOSL and REP STOSB, both directions, unaligned', () => {
    expect(same({ insn: STOSL, cx: 1023, di: A + 0x101, ax: 0xdeadbeef }).execs).toBeLessThan(4);
    expect(same({ insn: STOSL, cx: 777, di: A + 0x8002, ax: 0x01020304, down: true }).execs).toBeLessThan(4);
    expect(same({ insn: STOSB, cx: 4097, di: A + 3, ax: 0xab }).execs).toBeLessThan(4);
    expect(same({ insn: STOSB, cx: 300, di: A + 0x5000, ax: 0x1cd, down: true }).execs).toBeLessThan(4);
  });

  it('keeps the element order of overlapping copies', () => {
    for (const [d, down] of [[4, false], [2, false], [1, false], [8, false], [-4, false], [-4, true], [-2, true], [4, true], [-1, true]] as const) {
      same({ insn: MOVSL, cx: 600, si: A + 0x2000, di: A + 0x2000 + d, down });
      same({ insn: MOVSB, cx: 600, si: A + 0x2000, di: A + 0x2000 + d, down });
    }
    same({ insn: MOVSL, cx: 512, si: A + 0x2000, di: A + 0x2000 });
  });

  it('leaves counts 0 and 1 to the engine and copies from 2 up', () => {
    for (const cx of [0, 1]) {
      const o = same({ insn: MOVSL, cx, si: A, di: A + 0x8000 });
      expect(o.execs).toBe(cx + 1); // each element, then the one with ECX = 0
    }
    for (const cx of [2, 3, 33, 255, 256]) expect(same({ insn: MOVSL, cx, si: A, di: A + 0x8000 }).execs).toBeLessThan(4);
  });

  it('leaves short backward copies to the engine, and takes long ones', () => {
    expect(same({ insn: MOVSL, cx: MIN_ELEMS - 1, si: A + 0x4000, di: A + 0x9000, down: true }).execs).toBe(MIN_ELEMS);
    expect(same({ insn: STOSB, cx: MIN_ELEMS, di: A + 0x9000, down: true }).execs).toBeLessThan(4);
  });

  it('crosses from one memory into the next', () => {
    // A's second half is its own memory, mapped right after it.
    same({ insn: MOVSL, cx: 2048, si: A + 0xf001, di: B + 0x100 });
    same({ insn: STOSL, cx: 2048, di: A + 0xf002, ax: 0x55667788 });
    same({ insn: MOVSB, cx: 4000, si: B + 0x800, di: A + 0x10000 - 2000, down: true });
  });

  it('faults on an unmapped destination where the engine does, with the same registers', () => {
    const o = same({ insn: MOVSL, cx: 1024, si: A, di: END_B - 0x800 + 2 });
    expect(o.stop).toMatchObject({ kind: 'fault', access: 'write', pc: CODE });
    expect(o.regs.cx).toBe(1024 - Math.floor(0x7fe / 4)); // the element across the end did not run
    expect(o.execs).toBeLessThan(4);
    same({ insn: STOSL, cx: 1024, di: END_B - 0x400 });
    same({ insn: STOSB, cx: 1024, di: A + 0x300, down: true });
  });

  it('faults on an unmapped source and on a read-only destination as the engine does', () => {
    same({ insn: MOVSL, cx: 1024, si: END_B - 0x800, di: A });
    const o = same({ insn: MOVSL, cx: 1024, si: A, di: RO + 0x100 });
    expect(o.stop).toMatchObject({ kind: 'fault', access: 'write', addr: RO + 0x100, pc: CODE });
  });

  it('agrees with the engine on 150 seeded random cases near every edge', () => {
    let x = 0x9e3779b9;
    const rnd = (n: number) => {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      return (x >>> 0) % n;
    };
    // Near the ends of A, A2 and B, in the middle, and in the holes.
    const spots = [A, A + 0x8000, A2 - 0x10, A2 + 0x7ff0, B, END_B - 0x10, END_B + 0x100, RO, RO + 0xff8, 0x0fff0];
    const insns = [MOVSB, MOVSL, STOSB, STOSL];
    for (let i = 0; i < 150; i++) {
      same({
        insn: insns[rnd(4)]!,
        cx: [0, 1, 2, 7, 255, 256, 1000, 3000][rnd(8)]! + rnd(3),
        si: spots[rnd(spots.length)]! + rnd(64) - 32,
        di: spots[rnd(spots.length)]! + rnd(64) - 32,
        down: rnd(2) === 1,
        ax: x >>> 0,
      });
    }
  });

  it('leaves a null ES to the engine', () => {
    expect(same({ insn: STOSL, cx: 1024, di: A, es: 0 }).execs).toBe(1025);
  });

  it('leaves count runs to the engine', () => {
    const o = runCase({ insn: MOVSL, cx: 1024, si: A, di: A + 0x8000 }, true, { count: 1_000_000 });
    expect(o.execs).toBe(1025);
    expect(o.regs.cx).toBe(0);
  });
});
