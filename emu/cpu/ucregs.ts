// Register access on the engine: general registers straight in the
// engine's memory (regfile.ts) when found, else one koffi call each with no
// allocation (values go through the scratch); a pair in one call (the
// syscall path's AX and SP); all of them in one batch. pc written while
// the CPU runs is held until run() returns (Unicorn 2 restarts at a pc
// written from a hook).

import type { Reg, Regs } from './cpu.ts';
import { UC_ERR_OK, X86, ucErrorText } from './unicorn_ffi.ts';
import { check, CpuError, SCR_BATCH_PTRS, SCR_BATCH_VALS, SCR_PAIR_IDS, SCR_WRITE_IDS } from './ucengine.ts';
import { UcMem } from './ucmem.ts';
import { FLAGS_FIXED, loadseg } from './gdt.ts';
import { GPR } from './regfile.ts';

const REG_ID: Record<Reg, number> = {
  di: X86.edi, si: X86.esi, bp: X86.ebp, sp: X86.esp, bx: X86.ebx, dx: X86.edx, cx: X86.ecx, ax: X86.eax,
  pc: X86.eip, flags: X86.eflags,
  cs: X86.cs, ss: X86.ss, ds: X86.ds, es: X86.es, fs: X86.fs, gs: X86.gs,
};
const ALL_REGS = Object.keys(REG_ID) as Reg[];
const REG_MASK = Object.fromEntries(ALL_REGS.map((r) => [r, isSeg(r) ? 0xffff : 0xffffffff])) as Record<Reg, number>;
/** Where each general register sits in the regfile.ts view; undefined for the others. */
const GPR_AT: Partial<Record<Reg, number>> = GPR;
function isSeg(r: Reg): boolean {
  return r === 'cs' || r === 'ss' || r === 'ds' || r === 'es' || r === 'fs' || r === 'gs';
}

// Bits user code may hold in EFLAGS: CF PF AF ZF SF TF DF OF AC ID.
const USER_FLAGS = 0x240dd5;

export abstract class UcRegs extends UcMem {
  private readonly batchIds = Int32Array.from(ALL_REGS.map((r) => REG_ID[r]));
  /** The engine's regs[] (regfile.ts), or null: then every access is an API call. */
  protected gpr: Uint32Array | null = null;
  /** Whether general registers are read and written in the engine's memory (regfile.ts) rather than through the API. */
  get regsDirect(): boolean {
    return this.gpr !== null;
  }
  protected inRun = false;
  protected pendingPc: number | undefined; // pc written from a hook

  /** Stop the run at the end of the current instruction (unicorn.ts). */
  abstract stop(): void;

  private pairPtrs = 0n;
  private pairIdsPtr = 0n;
  private pairA: Reg | null = null;
  private pairB: Reg | null = null;
  private pairMaskA = 0;
  private pairMaskB = 0;

  /** Two registers in one engine call (the syscall path's AX and SP). */
  readPair(a: Reg, b: Reg, out: Uint32Array): void {
    const gpr = this.gpr;
    if (gpr !== null) {
      const i = GPR_AT[a], j = GPR_AT[b];
      if (i !== undefined && j !== undefined) {
        out[0] = gpr[i]!;
        out[1] = gpr[j]!;
        return;
      }
    }
    const u32 = this.u32;
    if (a !== this.pairA || b !== this.pairB) {
      // The ids and masks live in native scratch memory and in fields: a
      // call for the same pair (every syscall) does no lookups.
      u32[SCR_PAIR_IDS >> 2] = REG_ID[a];
      u32[(SCR_PAIR_IDS >> 2) + 1] = REG_ID[b];
      this.pairA = a;
      this.pairB = b;
      this.pairMaskA = REG_MASK[a];
      this.pairMaskB = REG_MASK[b];
      this.pairPtrs = this.scratch + BigInt(SCR_BATCH_PTRS);
      this.pairIdsPtr = this.scratch + BigInt(SCR_PAIR_IDS);
    }
    const base = SCR_BATCH_VALS >> 2;
    u32[base] = 0;
    u32[base + 2] = 0;
    this.L.uc_reg_read_batch_p(this.uc, this.pairIdsPtr, this.pairPtrs, 2);
    out[0] = (u32[base]! & this.pairMaskA) >>> 0;
    out[1] = (u32[base + 2]! & this.pairMaskB) >>> 0;
    if (this.pendingPc !== undefined) {
      if (a === 'pc') out[0] = this.pendingPc;
      if (b === 'pc') out[1] = this.pendingPc;
    }
  }

  reg(r: Reg): number {
    const i = GPR_AT[r];
    if (i !== undefined && this.gpr !== null) return this.gpr[i]!;
    if (r === 'pc' && this.pendingPc !== undefined) return this.pendingPc;
    return (this.rawRead(REG_ID[r]) & REG_MASK[r]) >>> 0;
  }

  setReg(r: Reg, v: number): void {
    if (this.closed) this.live();
    const i = GPR_AT[r];
    if (i !== undefined && this.gpr !== null) {
      this.gpr[i] = v;
      return;
    }
    if (r === 'pc' && this.inRun) {
      // Writing EIP inside a hook makes Unicorn 2 restart at the new pc and
      // drop any pending uc_emu_stop; instead apply it when run() returns.
      this.pendingPc = v >>> 0;
      this.stop();
      return;
    }
    if (r === 'flags') v = (v & USER_FLAGS) | FLAGS_FIXED;
    v = (v & REG_MASK[r]) >>> 0;
    if (!isSeg(r)) this.rawWrite(REG_ID[r], v, r);
    else if ((this.rawRead(REG_ID[r]) & 0xffff) !== v) loadseg(this, REG_ID[r], v, r);  // noted gives back the same ones
  }

  regs(): Regs {
    const L = this.L;
    this.u8.fill(0, SCR_BATCH_VALS, SCR_BATCH_VALS + 128);
    check(L.uc_reg_read_batch(this.uc, this.batchIds, this.scratch + BigInt(SCR_BATCH_PTRS), 16), 'uc_reg_read_batch');
    const out = {} as Regs;
    const u32 = this.u32;
    for (let i = 0; i < ALL_REGS.length; i++) {
      const r = ALL_REGS[i]!;
      const v = u32[(SCR_BATCH_VALS >> 2) + 2 * i]!;
      out[r] = isSeg(r) ? v & 0xffff : v;
    }
    if (this.pendingPc !== undefined) out.pc = this.pendingPc;
    return out;
  }

  setRegs(r: Partial<Regs>): void {
    if (this.closed) this.live();
    // General registers straight into the engine's memory (regfile.ts), or
    // else with the rest in one engine call (a note delivery or noted sets
    // up to ten); pc apart while in a run (see setReg). Segment registers
    // last, one by one: each load is checked, and a failure should leave
    // the general registers already set.
    const u32 = this.u32;
    const gpr = this.gpr;
    let n = 0;
    for (const k in r) {
      const key = k as Reg;
      if (isSeg(key) || (key === 'pc' && this.inRun)) continue;
      let v = r[key]!;
      const at = GPR_AT[key];
      if (at !== undefined && gpr !== null) {
        gpr[at] = v;
        continue;
      }
      if (key === 'flags') v = (v & USER_FLAGS) | FLAGS_FIXED;
      u32[(SCR_WRITE_IDS >> 2) + n] = REG_ID[key];
      u32[(SCR_BATCH_VALS >> 2) + 2 * n] = (v & REG_MASK[key]) >>> 0;
      u32[(SCR_BATCH_VALS >> 2) + 2 * n + 1] = 0;
      n++;
    }
    if (n > 0) {
      const err = this.L.uc_reg_write_batch_p(this.uc, this.scratch + BigInt(SCR_WRITE_IDS), this.scratch + BigInt(SCR_BATCH_PTRS), n);
      if (err !== UC_ERR_OK) throw new CpuError(`UnicornCpu: register write: ${ucErrorText(err)}`);
      if (r.pc !== undefined) this.pendingPc = undefined;
    }
    if (r.pc !== undefined && this.inRun) this.setReg('pc', r.pc);
    for (const k in r) if (isSeg(k as Reg)) this.setReg(k as Reg, r[k as Reg]!);
  }
}
