// The Unicorn engine under a UnicornCpu: one uc_engine handle, the native
// scratch memory every register access goes through, and the raw register
// read and write the other parts of the binding build on. The parts, each
// a layer of UnicornCpu: ucmem.ts (mapping), ucregs.ts (registers),
// ucfpu.ts (FPU state and saved contexts), uchooks.ts (hooks and trap
// classification), gdt.ts (segments), unicorn.ts (the run loop).

import { UC_ARCH_X86, UC_ERR_OK, UC_MODE_32, ucErrorText, unicorn, type UcLib } from './unicorn_ffi.ts';
import { bigTlb } from './tlbsize.ts';
import { smallTbHtable } from './tbhtable.ts';

/** An error of the engine or of the caller (never a guest fault). */
export class CpuError extends Error {
  override name = 'CpuError';
}

// Scratch layout (native memory reused for every register access).
// bytes 0-15: one register value
export const SCR_MMR = 16; // 24 bytes: uc_x86_mmr for GDTR
export const SCR_BYTES = 48; // 16 bytes: instruction bytes for trap decoding
export const SCR_BATCH_VALS = 64; // 16 x 8 bytes: regs() values
export const SCR_BATCH_PTRS = 192; // 16 x 8 bytes: pointers to the values
export const SCR_PAIR_IDS = 320; // 2 x 4 bytes: register ids for readPair
export const SCR_WRITE_IDS = 328; // 16 x 4 bytes: register ids for setRegs
export const SCR_BLOCK = 392; // 32 bytes: the block counter's cell (blockcount.ts)
const SCR_SIZE = 424;

export class UcEngine {
  readonly L: UcLib;
  protected uc: bigint;
  readonly scratch: bigint;
  readonly u32: Uint32Array;
  readonly u8: Uint8Array;
  protected readonly regRead: (uc: bigint, id: number, p: bigint) => number;
  protected readonly regWrite: (uc: bigint, id: number, p: bigint) => number;
  protected closed = false;

  constructor() {
    const L = (this.L = unicorn());
    const k = L.koffi;
    this.regRead = L.uc_reg_read;
    this.regWrite = L.uc_reg_write;
    const out: unknown[] = [null];
    // Before uc_open, which sizes the engine's TLB and its table of blocks: tlbsize.ts, tbhtable.ts.
    bigTlb(L);
    smallTbHtable(L);
    check(L.uc_open(UC_ARCH_X86, UC_MODE_32, out), 'uc_open');
    this.uc = out[0] as bigint;
    this.scratch = k.address(k.alloc('uint8_t', SCR_SIZE)) as bigint;
    const view = k.view(this.scratch, SCR_SIZE);
    this.u32 = new Uint32Array(view);
    this.u8 = new Uint8Array(view);
    const ptrs = new BigUint64Array(view, SCR_BATCH_PTRS, 16);
    for (let i = 0; i < 16; i++) ptrs[i] = this.scratch + BigInt(SCR_BATCH_VALS + 8 * i);
  }

  /** Engine handle, for the floor benchmark, code hooks and diagnostics. */
  get engine(): bigint {
    return this.uc;
  }

  rawRead(id: number): number {
    this.u32[0] = 0; // segment registers only write 16 bits
    this.regRead(this.uc, id, this.scratch);
    return this.u32[0];
  }

  rawWrite(id: number, v: number, what = 'register write'): void {
    this.u32[0] = v;
    this.u32[1] = 0;
    const err = this.regWrite(this.uc, id, this.scratch);
    if (err !== UC_ERR_OK) throw new CpuError(`UnicornCpu: ${what} ${hex(v)}: ${ucErrorText(err)}`);
  }

  protected live(): void {
    if (this.closed) throw new CpuError('UnicornCpu: used after close()');
  }

  /** Free the engine and the scratch memory (after the layers above freed theirs). */
  protected closeEngine(): void {
    this.L.uc_close(this.uc);
    this.uc = 0n;
    this.L.koffi.free(this.scratch);
  }
}

export function check(err: number, what: string): void {
  if (err !== UC_ERR_OK) throw new CpuError(`UnicornCpu: ${what}: ${ucErrorText(err)}`);
}

export function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16);
}
