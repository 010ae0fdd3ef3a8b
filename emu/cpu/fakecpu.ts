// A Cpu that executes nothing, for kernel unit tests.
//
// Registers live in a record and maps are tracked, so the kernel's view of
// the CPU behaves like the real one. What the "guest" does is scripted:
// each run() consumes queued steps until one of them produces a Stop.
//
//   cpu.script(
//     { syscall: { ax: 14 }, stack: [0, nameAddr, 0] }, // INT $64 with these regs
//     { kind: 'fault', access: 'read', addr: 0, pc: 0x1020 },
//   );
//
// A syscall step sets the registers, writes `stack` words at sp (return
// address first, then the arguments, as 8c lays them out), advances pc past
// the INT (2 bytes), and calls the onSyscall handler. If the handler calls
// stop(), run() returns {kind:'stopped'}; otherwise the next step runs, just
// as the real CPU would carry on after the INT.

import {
  GPRS,
  type Cpu,
  type CpuContext,
  type HostMem,
  type Reg,
  type Regs,
  type RunOptions,
  type Stop,
} from './cpu.ts';
import { FPCW_INIT, MXCSR_INIT, UDSEL, UESEL } from '../386/mem.ts';

export const INT64_LEN = 2; // CD 40

export interface SyscallStep {
  syscall: Partial<Regs>;
  /** 32-bit words stored at sp, sp+4, … before the handler runs. */
  stack?: number[];
}

/** Arbitrary guest behaviour: may change registers/memory, may return a Stop. */
export type FnStep = (cpu: FakeCpu, opts: RunOptions) => Stop | void;

export type FakeStep = Stop | SyscallStep | FnStep;

interface Mapping {
  addr: number;
  size: number;
  mem: HostMem;
  prot: number;
  /** Where in mem the mapping starts. */
  offset: number;
}

/** Initial registers: the selectors Plan 9 gives user code. */
export function initialRegs(): Regs {
  return {
    di: 0, si: 0, bp: 0, sp: 0, bx: 0, dx: 0, cx: 0, ax: 0,
    pc: 0, flags: 0x202,
    cs: UESEL, ss: UDSEL, ds: UDSEL, es: UDSEL, fs: 0, gs: 0,
  };
}

class FakeContext implements CpuContext {
  constructor(readonly regs: Regs, readonly fpu: unknown) {}
  free(): void {}
}

export class FakeCpu implements Cpu {
  private r: Regs = initialRegs();
  private maps: Mapping[] = [];
  private steps: FakeStep[] = [];
  private handler: (() => void) | undefined;
  private stopRequested = false;
  private closed = false;
  /** Stand-in for x87/SSE state: tests may put anything here and check save/restore. */
  fpu: unknown = { fpcw: FPCW_INIT, mxcsr: MXCSR_INIT };
  /** Every run() call's options, in order (lets tests check preemption settings). */
  readonly runs: RunOptions[] = [];
  /** invalidate() calls, for tests that check the kernel flushes code it wrote. */
  readonly invalidated: Array<{ addr: number; size: number }> = [];

  /** Queue guest behaviour for subsequent run() calls. */
  script(...steps: FakeStep[]): this {
    this.steps.push(...steps);
    return this;
  }

  /** Steps not yet consumed. */
  get pending(): number {
    return this.steps.length;
  }

  map(addr: number, mem: HostMem, prot: number, size = mem.size, offset = 0): void {
    checkPage(addr, size);
    if (offset + size > mem.size) throw new RangeError('FakeCpu.map: size larger than mem');
    if (this.maps.some((m) => addr < m.addr + m.size && m.addr < addr + size)) {
      throw new Error(`FakeCpu.map: ${hex(addr)}+${hex(size)} overlaps an existing mapping`);
    }
    this.maps.push({ addr, size, mem, prot, offset });
  }

  unmap(addr: number, size: number): void {
    checkPage(addr, size);
    this.maps = this.maps.filter((m) => !(m.addr >= addr && m.addr + m.size <= addr + size));
  }

  protect(addr: number, size: number, prot: number): void {
    checkPage(addr, size);
    for (const m of this.maps) if (m.addr >= addr && m.addr + m.size <= addr + size) m.prot = prot;
  }

  /** The current mappings (copies), for assertions. */
  mappings(): Array<{ addr: number; size: number; prot: number; mem: HostMem }> {
    return this.maps.map((m) => ({ ...m }));
  }

  reg(r: Reg): number {
    return this.r[r];
  }
  setReg(r: Reg, v: number): void {
    this.r[r] = r === 'cs' || r === 'ss' || r === 'ds' || r === 'es' || r === 'fs' || r === 'gs' ? v & 0xffff : v >>> 0;
  }
  regs(): Regs {
    return { ...this.r };
  }
  setRegs(r: Partial<Regs>): void {
    for (const k of Object.keys(r) as Reg[]) this.setReg(k, r[k]!);
  }

  fpstate(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify(this.fpu));
  }
  setFpstate(s: Uint8Array): void {
    this.fpu = JSON.parse(new TextDecoder().decode(s));
  }

  save(_into?: CpuContext): CpuContext {
    return new FakeContext({ ...this.r }, structuredClone(this.fpu));
  }
  restore(ctx: CpuContext): void {
    const c = ctx as FakeContext;
    this.r = { ...c.regs };
    this.fpu = structuredClone(c.fpu);
  }

  onSyscall(fn: () => void): void {
    this.handler = fn;
  }

  stop(): void {
    this.stopRequested = true;
  }

  invalidate(addr: number, size: number): void {
    this.invalidated.push({ addr, size });
  }

  close(): void {
    this.closed = true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  run(opts: RunOptions = {}): Stop {
    if (this.closed) throw new Error('FakeCpu.run: closed');
    this.runs.push({ ...opts });
    this.stopRequested = false;
    for (;;) {
      const step = this.steps.shift();
      if (step === undefined) throw new Error('FakeCpu.run: script exhausted');
      if (typeof step === 'function') {
        const s = step(this, opts);
        if (s) return this.finish(s);
        if (this.stopRequested) return { kind: 'stopped' };
      } else if ('syscall' in step) {
        this.setRegs(step.syscall);
        if (step.stack) step.stack.forEach((w, i) => this.write32(this.r.sp + 4 * i, w));
        this.r.pc = (this.r.pc + INT64_LEN) >>> 0;
        if (!this.handler) throw new Error('FakeCpu.run: INT $64 with no onSyscall handler');
        this.handler();
        if (this.stopRequested) return { kind: 'stopped' };
      } else {
        return this.finish(step);
      }
    }
  }

  // Faults and traps leave pc where the real CPU reports them.
  private finish(s: Stop): Stop {
    if (s.kind === 'fault' || s.kind === 'trap') this.r.pc = s.pc >>> 0;
    return s;
  }

  /** Guest-side memory access through the mappings (ignores protections). */
  read(addr: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const ref = this.byteRef(addr + i, 'read');
      out[i] = ref.bytes[ref.off];
    }
    return out;
  }
  write(addr: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) {
      const ref = this.byteRef(addr + i, 'write');
      ref.bytes[ref.off] = data[i];
    }
  }
  read32(addr: number): number {
    const b = this.read(addr, 4);
    return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }
  write32(addr: number, v: number): void {
    this.write(addr, new Uint8Array([v, v >>> 8, v >>> 16, v >>> 24]));
  }

  private byteRef(a: number, what: string): { bytes: Uint8Array; off: number } {
    a >>>= 0;
    for (const m of this.maps) if (a >= m.addr && a < m.addr + m.size) return { bytes: m.mem.bytes, off: a - m.addr + m.offset };
    throw new Error(`FakeCpu.${what}: ${hex(a)} not mapped`);
  }
}

/** Convenience: a syscall step. */
export function syscall(ax: number, args: number[] = [], regs: Partial<Regs> = {}, retpc = 0): SyscallStep {
  return { syscall: { ...regs, ax }, stack: [retpc, ...args] };
}

export { GPRS };

function checkPage(addr: number, size: number): void {
  if (addr % 4096 !== 0 || size % 4096 !== 0 || size <= 0) {
    throw new RangeError(`not page aligned: ${hex(addr)}+${hex(size)}`);
  }
}

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16);
}
