// Running one stub alone on a fresh CPU under controlled state, for the ABI
// checker: random register values, a caller frame of known argument words
// (addresses in a scratch page, so stubs may dereference them), canary
// words above and below, a return address that faults when reached, and a
// kernel stand-in that records what INT $64 saw and returns a known value.

import type { Regs } from '../cpu/cpu.ts';
import { PROT_ALL, PROT_READ } from '../cpu/cpu.ts';
import { UnicornCpu } from '../cpu/unicorn.ts';
import { unicornAlloc } from '../cpu/hostmem.ts';
import { HDRSZ, UTZERO, dataBase, parseAout, pground } from '../aout.ts';
import { systab } from '../port/systab.ts';

export const STACK_BASE = 0xdfff0000;
export const STACK_SIZE = 0x10000;
/** The stub's SP at entry: the return address is here, its arguments (FP) from SP0+4. */
export const SP0 = 0xdfff8000;
export const FP0 = SP0 + 4;
/** Where RET lands: unmapped, so reaching it is a fetch fault. */
export const RETADDR = 0x0badd000;
/** A page the argument words point into. */
export const SCRATCH = 0x30000000;
/** Argument words given (FP+0 .. FP+4*(NARG-1)); canaries follow. */
export const NARG = 8;
export const CANARY = 0xcafef00d;
const STEPS = 5000;

export const GPR_NAMES = ['ax', 'bx', 'cx', 'dx', 'si', 'di', 'bp'] as const;
export type Gpr = (typeof GPR_NAMES)[number];

export interface TrapRecord {
  /** AX at the INT: the call number. */
  num: number;
  /** SP at the INT. */
  sp: number;
  /** The 5 words the kernel copies from SP+4. */
  words: number[];
  regs: Regs;
}

export interface StubRun {
  traps: TrapRecord[];
  /** How it ended: returned to the caller, exited (exits), faulted elsewhere, or ran out of steps. */
  end: 'returned' | 'exited' | 'fault' | 'steps';
  detail: string;
  entry: Regs;
  /** Registers at the return (or at the end). */
  exit: Regs;
  /** Stack words [SP0-256, SP0+4+4*NARG+64) before and after, by address. */
  before: Map<number, number>;
  after: Map<number, number>;
}

export interface RunSetup {
  /** Register values at entry (sp and pc are set by the harness). */
  regs: Record<Gpr, number>;
  /** The caller's argument words at FP+0, FP+4, … */
  args: number[];
  /** AX the kernel returns. */
  result: number;
  /** Written through the hidden vlong pointer (seek, nsec). */
  vresult: bigint;
}

/** A deterministic PRNG for register and argument values. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

/** Distinct argument words inside the scratch page (4-aligned). */
export function argWords(r: () => number): number[] {
  const used = new Set<number>();
  const out: number[] = [];
  while (out.length < NARG) {
    const w = SCRATCH + 0x100 + (r() % 0xe00 & ~3);
    if (!used.has(w)) {
      used.add(w);
      out.push(w);
    }
  }
  return out;
}

const FRAME_LO = SP0 - 256;
const FRAME_HI = FP0 + 4 * NARG + 64;

function stackWords(mem: DataView): Map<number, number> {
  const m = new Map<number, number>();
  for (let a = FRAME_LO; a < FRAME_HI; a += 4) m.set(a, mem.getUint32(a - STACK_BASE, true));
  return m;
}

/**
 * One CPU with the a.out's text and data, a scratch page and a stack,
 * reused for every run (creating a Unicorn engine costs far more than a
 * run). Each run resets data, scratch and the frame.
 */
export class StubHarness {
  private readonly cpu = new UnicornCpu();
  private readonly mems: { free(): void }[] = [];
  private readonly data: Uint8Array;
  private readonly initData: Uint8Array;
  private readonly scratch: Uint8Array;
  private readonly sv: DataView;
  private traps: TrapRecord[] = [];
  private exited = false;
  private setup: RunSetup | null = null;

  constructor(image: Uint8Array) {
    const aout = parseAout(image);
    const textlen = HDRSZ + aout.text.length;
    this.map(UTZERO, textlen, PROT_READ | 4).set(image.subarray(0, textlen));
    this.data = this.map(dataBase(aout.text.length), aout.data.length + aout.bss + 4096, PROT_ALL);
    this.initData = aout.data;
    this.scratch = this.map(SCRATCH, 4096, PROT_READ | 2);  // not executable: a RET that pops an argument faults there
    const st = this.map(STACK_BASE, STACK_SIZE, PROT_ALL);
    this.sv = new DataView(st.buffer, st.byteOffset, st.byteLength);
    this.cpu.onSyscall(() => this.trap());
  }

  private map(addr: number, size: number, prot: number): Uint8Array {
    const m = unicornAlloc(pground(size));
    this.mems.push(m);
    this.cpu.map(addr, m, prot);
    return m.bytes;
  }

  /** The kernel stand-in: record what INT $64 saw; exits ends the run; others return setup.result. */
  private trap(): void {
    const cpu = this.cpu;
    const num = cpu.reg('ax');
    const sp = cpu.reg('sp');
    const ok = sp >= STACK_BASE && sp + 24 <= STACK_BASE + STACK_SIZE;
    const words = Array.from({ length: 5 }, (_, i) => (ok ? this.sv.getUint32(sp + 4 + 4 * i - STACK_BASE, true) : 0));
    this.traps.push({ num, sp, words, regs: cpu.regs() });
    const sc = systab[num];
    if (sc?.name === 'exits') {
      this.exited = true;
      cpu.stop();
      return;
    }
    const addr = words[0]!;
    if (sc?.sig.startsWith('V') && addr >= STACK_BASE && addr + 8 <= STACK_BASE + STACK_SIZE) {
      this.sv.setBigUint64(addr - STACK_BASE, this.setup!.vresult, true);
    }
    cpu.setReg('ax', this.setup!.result >>> 0);
  }

  /** Run the code at `entry` once under `setup`. */
  run(entry: number, setup: RunSetup): StubRun {
    const { cpu, sv } = this;
    this.setup = setup;
    this.traps = [];
    this.exited = false;
    this.data.fill(0);
    this.data.set(this.initData);
    this.scratch.fill(0);
    // Below SP0, return sentinels (RETADDR+4k at SP0-4k): a RET with SP
    // too low still comes back, and exit SP shows by how much.
    for (let a = FRAME_LO; a < FRAME_HI; a += 4) sv.setUint32(a - STACK_BASE, a < SP0 ? RETADDR + (SP0 - a) : CANARY, true);
    sv.setUint32(SP0 - STACK_BASE, RETADDR, true);
    setup.args.forEach((w, i) => sv.setUint32(FP0 + 4 * i - STACK_BASE, w, true));
    const before = stackWords(sv);
    cpu.setRegs({ ...setup.regs, flags: 0x202, sp: SP0, pc: entry });
    const entryRegs = cpu.regs();
    const stop = cpu.run({ count: STEPS });
    const exit = cpu.regs();
    let end: StubRun['end'];
    let detail = '';
    if (this.exited) end = 'exited';
    else if (stop.kind === 'fault' && stop.access === 'fetch' && returnedTo(stop.addr, setup)) end = 'returned';
    else if (stop.kind === 'count') end = 'steps';
    else {
      end = 'fault';
      detail = stop.kind === 'fault' ? `${stop.access} fault at 0x${stop.addr.toString(16)} pc=0x${stop.pc.toString(16)}`
        : stop.kind === 'trap' ? `trap ${stop.vector} at pc=0x${stop.pc.toString(16)}` : stop.kind;
    }
    return { traps: this.traps, end, detail, entry: entryRegs, exit, before, after: stackWords(sv) };
  }

  close(): void {
    this.cpu.close();
    for (const m of this.mems) m.free();
  }
}

/** A fetch at a return sentinel, or at an argument word a RET popped. */
function returnedTo(addr: number, setup: RunSetup): boolean {
  return (addr >= RETADDR && addr <= RETADDR + (SP0 - FRAME_LO)) || setup.args.includes(addr);
}
