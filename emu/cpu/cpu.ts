// The narrow CPU interface the kernel model drives (usercorn's models/cpu).
// UnicornCpu (unicorn.ts and the uc*.ts layers under it) implements it on
// the native engine; the engine's own files in this folder (unicorn_ffi.ts,
// regfile.ts, exitreq.ts, notdirty.ts, blockcount.ts, fputrap.ts,
// codehook.ts, hostmem.ts) are the only others that use the FFI. fakecpu.ts implements it with no
// native code: test/kit/kernelkit.ts runs the real kernel on it.
//
// Memory is owned by the kernel: a HostMem is a block of host memory that
// the kernel reads and writes directly through `bytes`, and that one or more
// CPUs map into their guest address space (RFMEM sharing is two CPUs
// mapping the same HostMem).

/** General registers, in Plan 9 Ureg spelling. */
export type Reg =
  | 'di' | 'si' | 'bp' | 'sp' | 'bx' | 'dx' | 'cx' | 'ax'
  | 'pc' | 'flags'
  | 'cs' | 'ss' | 'ds' | 'es' | 'fs' | 'gs';

export const GPRS: readonly Reg[] = ['di', 'si', 'bp', 'sp', 'bx', 'dx', 'cx', 'ax', 'pc', 'flags'];

export type Regs = Record<Reg, number>;

/** Page protections, as Unicorn spells them. */
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
export const PROT_ALL = 7;

/** Host memory that can back guest pages. Page-aligned, zero-filled. */
export interface HostMem {
  readonly size: number;
  /** Direct view of the memory; the kernel's copyin/copyout go through it. */
  readonly bytes: Uint8Array;
  /** Opaque handle for the CPU implementation (a native pointer for Unicorn). */
  readonly handle: unknown;
  /** Releases the host memory; bytes must not be used afterwards. */
  free(): void;
  /** Per page of the first len bytes, nonzero if the host ever backed it (untouched pages are zero); null if unknown. */
  resident?(len?: number): Uint8Array | null;
  /** Make [off, off+len) read as zero without touching pages never used (brk shrinking, segfree). */
  zero?(off: number, len: number): void;
}

/** Why run() returned. */
export type Stop =
  | { kind: 'stopped' }                        // stop() was called from a hook
  | { kind: 'timeout' }                        // the time slice ran out
  | { kind: 'count' }                          // the instruction budget (count or quantum) ran out
  | { kind: 'fault'; access: 'read' | 'write' | 'fetch'; addr: number; pc: number }
  | { kind: 'trap'; vector: number; pc: number }; // CPU exception (#DE=0, #UD=6, #GP=13, INT3=3, …)

/** Full CPU state, FPU and SSE included; opaque to the kernel. */
export interface CpuContext {
  free(): void;
}

export interface RunOptions {
  /** Stop after this many microseconds (preemption); 0 or absent = no limit. */
  timeoutUs?: number;
  /** Stop after this many instructions; 0 or absent = no limit. */
  count?: number;
  /**
   * Stop at the first block start once at least this many instructions
   * ran (Stop kind 'count'): the same code from the same state stops at
   * the same place, much faster than `count` but not exact. A CPU that
   * cannot may treat it as `count`.
   */
  quantum?: number;
}

export interface Cpu {
  /** Map `mem` (or the first `size` bytes of it) at guest address `addr`. Page-aligned. */
  /** `offset`: where in mem the mapping starts (a growing brk maps only its new pages). */
  map(addr: number, mem: HostMem, prot: number, size?: number, offset?: number): void;
  unmap(addr: number, size: number): void;
  protect(addr: number, size: number, prot: number): void;

  reg(r: Reg): number;
  setReg(r: Reg, v: number): void;
  regs(): Regs;
  /** Two registers at once into out[0], out[1] (one engine call where it can). */
  readPair?(a: Reg, b: Reg, out: Uint32Array): void;
  setRegs(r: Partial<Regs>): void;

  /** Save/restore everything, x87/SSE included (note frames, context switches). */
  /** `into`: a context from an earlier save() of this CPU to overwrite (no allocation). */
  save(into?: CpuContext): CpuContext;
  restore(ctx: CpuContext): void;

  /**
   * Called from inside run() when the guest executes `INT $64` (vector 0x40).
   * pc already points after the INT. The handler may read and write
   * registers and memory; to change pc, or to switch away, it must call
   * stop() and let the caller act after run() returns.
   */
  onSyscall(fn: () => void): void;

  /** Run from the current pc until a stop. Never throws for guest faults. */
  run(opts?: RunOptions): Stop;
  /** Ask run() to return at the next instruction boundary (from a hook). */
  stop(): void;

  /**
   * The x87/SSE state alone as bytes (control/status/tag words, MXCSR, the
   * eight x87 registers, XMM0-7), to copy between CPUs: a saved context
   * must not move to another engine, but an rfork child needs the FPU
   * state of its parent at the INT.
   */
  fpstate(): Uint8Array;
  setFpstate(s: Uint8Array): void;

  /**
   * CR0.TS: while on, the next x87/MMX/SSE instruction or WAIT stops the
   * run with trap 7 (#NM) at that instruction (a note handler runs so on
   * Plan 9). False when the CPU cannot model it. `current`: a context
   * just saved from this CPU, which spares a second save (left unchanged).
   */
  fpuTrap?(on: boolean, current?: CpuContext): boolean;

  /** Fresh x87/SSE state with these control words (exec). */
  resetFpu?(fpcw: number, mxcsr: number): void;

  /**
   * What a Plan 9 kernel reads after a #DB or #MF to name it in the
   * note (excnote.ts); reading DR6 clears its status bits, as 9front's
   * debugexc rewrites it. Absent where the CPU cannot say.
   */
  excState?(): ExcState;

  /** Drop translated code for [addr, addr+size) after the kernel wrote code there. */
  invalidate(addr: number, size: number): void;

  close(): void;
}

/**
 * Allocates host memory suitable for Cpu.map. `sparse`: the guest will touch
 * few of its pages (a stack), so it gets no huge pages (hostmem.ts).
 */
export type HostAlloc = (size: number, sparse?: boolean) => HostMem;

/** What the kernel needs from the machine: CPUs and memory for them. */
export interface Machine {
  /** `counted`: the process runs with instruction quanta (--deterministic); a machine may reuse an engine set up so. */
  newCpu(counted?: boolean): Cpu;
  alloc: HostAlloc;
}

/** The debug and FPU status registers after an exception (Cpu.excState). */
export interface ExcState {
  /** DR6: BS (0x4000) after a single step. */
  dr6: number;
  /** The x87 status word and the last x87 instruction's address (FIP). */
  fsw: number;
  fip: number;
}
