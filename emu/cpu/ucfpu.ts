// The FPU on the engine: Plan 9's initial x87/SSE state, the whole state
// as bytes (fork), saved contexts (a note handler's FPU state), and the
// TS bit that makes FP in a note handler trap (fputrap.ts); and the status
// registers a kernel reads to name an FP or debug exception.

import type { CpuContext, ExcState } from './cpu.ts';
import { UC_ERR_OK, X86, ucErrorText, type UcLib } from './unicorn_ffi.ts';
import { check, CpuError } from './ucengine.ts';
import { UcRegs } from './ucregs.ts';
import { setTS } from './fputrap.ts';
import { FPCW_INIT, MXCSR_INIT } from '../386/mem.ts';

const X86_FP0 = 82;  // UC_X86_REG_FP0: the physical x87 registers
const FPSTATE_SIZE = 220;
/** DR6 with no status bit: its reserved bits read as ones. */
const DR6_CLEAR = 0xffff0ff0;

class UnicornContext implements CpuContext {
  constructor(private ptr: bigint | null, private readonly L: UcLib) {}
  get live(): boolean {
    return this.ptr !== null;
  }
  get handle(): bigint {
    if (this.ptr === null) throw new CpuError('CpuContext used after free');
    return this.ptr;
  }
  free(): void {
    if (this.ptr !== null) this.L.uc_context_free(this.ptr);
    this.ptr = null;
  }
}

export abstract class UcFpu extends UcRegs {
  protected setupFpu(): void {
    // CR0: PE|MP|NE (native #MF for unmasked x87 errors, as Plan 9 sets
    // it); CR4: OSFXSR|OSXMMEXCPT. Unicorn stores these without recomputing
    // its cached flags; SSE is already enabled in Unicorn's 32-bit reset.
    this.rawWrite(X86.cr0, 0x23);
    this.rawWrite(X86.cr4, 0x600);
    this.resetFpu();
  }

  excState(): ExcState {
    const st = {
      dr6: this.rawRead(X86.dr6) >>> 0,
      fsw: this.rawRead(X86.fpsw) & 0xffff,
      fip: this.rawRead(X86.fip) >>> 0,
    };
    // The status bits go (9front debugexc: putdr6 of the process's 0); the
    // reserved bits read as ones, as on the hardware.
    this.rawWrite(X86.dr6, DR6_CLEAR);
    return st;
  }

  /** The FPU state of a fresh Plan 9 process (exec). */
  resetFpu(): void {
    this.rawWrite(X86.fpcw, FPCW_INIT);
    this.rawWrite(X86.fpsw, 0);
    this.rawWrite(X86.fptag, 0xffff); // all empty (Unicorn's reset marks them valid)
    this.rawWrite(X86.mxcsr, MXCSR_INIT);
  }

  // fpstate() layout: fpcw 0, fpsw 2, fptag 4, mxcsr 8, fp0-7 at 12 (10
  // bytes each, physical order), xmm0-7 at 92 (16 bytes each); 220 bytes.
  fpstate(): Uint8Array {
    const out = new Uint8Array(FPSTATE_SIZE);
    const dv = new DataView(out.buffer);
    dv.setUint16(0, this.rawRead(X86.fpcw), true);
    dv.setUint16(2, this.rawRead(X86.fpsw), true);
    dv.setUint16(4, this.rawRead(X86.fptag), true);
    dv.setUint32(8, this.rawRead(X86.mxcsr), true);
    for (let i = 0; i < 8; i++) out.set(this.readWide(X86_FP0 + i, 10), 12 + 10 * i);
    for (let i = 0; i < 8; i++) out.set(this.readWide(X86.xmm0 + i, 16), 92 + 16 * i);
    return out;
  }

  setFpstate(st: Uint8Array): void {
    if (st.length !== FPSTATE_SIZE) throw new CpuError('UnicornCpu.setFpstate: bad state size');
    const dv = new DataView(st.buffer, st.byteOffset, st.byteLength);
    this.rawWrite(X86.fpcw, dv.getUint16(0, true), 'fpcw');
    this.rawWrite(X86.fpsw, dv.getUint16(2, true), 'fpsw');
    for (let i = 0; i < 8; i++) this.writeWide(X86_FP0 + i, st.subarray(12 + 10 * i, 22 + 10 * i));
    this.rawWrite(X86.fptag, dv.getUint16(4, true), 'fptag');
    this.rawWrite(X86.mxcsr, dv.getUint32(8, true), 'mxcsr');
    for (let i = 0; i < 8; i++) this.writeWide(X86.xmm0 + i, st.subarray(92 + 16 * i, 108 + 16 * i));
  }

  /** A register wider than 32 bits, through the 16-byte scratch slot. */
  private readWide(id: number, n: number): Uint8Array {
    this.u8.fill(0, 0, 16);
    this.regRead(this.uc, id, this.scratch);
    return this.u8.slice(0, n);
  }

  private writeWide(id: number, v: Uint8Array): void {
    this.u8.fill(0, 0, 16);
    this.u8.set(v, 0);
    const err = this.regWrite(this.uc, id, this.scratch);
    if (err !== UC_ERR_OK) throw new CpuError(`UnicornCpu: write register ${id}: ${ucErrorText(err)}`);
  }

  save(into?: CpuContext): CpuContext {
    this.live();
    let ctx: UnicornContext;
    if (into instanceof UnicornContext && into.live) {
      ctx = into;  // reused: a note delivery saves once per note
    } else {
      const out: unknown[] = [null];
      check(this.L.uc_context_alloc(this.uc, out), 'uc_context_alloc');
      ctx = new UnicornContext(out[0] as bigint, this.L);
    }
    check(this.L.uc_context_save(this.uc, ctx.handle), 'uc_context_save');
    return ctx;
  }

  /** A context kept for fpuTrap's save-edit-restore. */
  private tsctx: UnicornContext | null = null;

  fpuTrap(on: boolean, current?: CpuContext): boolean {
    this.live();
    // A context just saved holds the engine's state already: edit and load
    // that one (and put it back as it was) rather than saving again.
    const given = current instanceof UnicornContext && current.live;
    const ctx = given ? current : (this.tsctx = this.save(this.tsctx ?? undefined) as UnicornContext);
    const was = setTS(this.L, ctx.handle, on);
    if (was === null) return false;
    check(this.L.uc_context_restore(this.uc, ctx.handle), 'uc_context_restore');
    if (given) setTS(this.L, ctx.handle, was);
    return true;
  }

  restore(ctx: CpuContext): void {
    this.live();
    if (!(ctx instanceof UnicornContext)) throw new CpuError('UnicornCpu.restore: not a Unicorn context');
    check(this.L.uc_context_restore(this.uc, ctx.handle), 'uc_context_restore');
  }

  protected closeFpu(): void {
    this.tsctx?.free();
    this.tsctx = null;
  }
}
