// Cpu on Unicorn 2 (libunicorn.so.2 through koffi).
//
// The engine runs 32-bit protected mode with paging off, so guest addresses
// are Unicorn addresses. Plan 9 user code sees cs=0x23 and ss/ds/es=0x1B at
// CPL 3; Unicorn only accepts those selectors with a GDT, so one read-only
// page at GDT_BASE (above Plan 9 user space) holds a flat code and a flat
// data descriptor. See docs/unicorn.md for every Unicorn behaviour relied on
// here and how it was checked.

import type { Cpu, CpuContext, HostMem, Reg, Regs, RunOptions, Stop } from './cpu.ts';
import {
  UC_ARCH_X86,
  UC_CTL_TB_FLUSH_W,
  UC_CTL_TB_REMOVE_CACHE_W,
  UC_ERR_INSN_INVALID,
  UC_ERR_OK,
  UC_HOOK_INSN,
  UC_HOOK_INSN_INVALID,
  UC_HOOK_INTR,
  UC_HOOK_MEM_INVALID,
  UC_MEM_FETCH_PROT,
  UC_MEM_FETCH_UNMAPPED,
  UC_MEM_READ_PROT,
  UC_MEM_READ_UNMAPPED,
  UC_MODE_32,
  UC_X86_INS_CPUID,
  X86,
  ucErrorText,
  unicorn,
  type UcLib,
} from './unicorn_ffi.ts';
import { watchdog } from './preempt.ts';
import { findInsnPc, refineFaultPc } from './faultpc.ts';
import { PRIV_INSNS, icebpEnd, isPriv, type PrivInsn } from './privinsn.ts';
import { noExitRequestOffset, setNoExitRequest } from './exitreq.ts';
import { fastStores } from './notdirty.ts';
import { setTS } from './fputrap.ts';
import { unicornAlloc } from './hostmem.ts';
import { GPR, regfile } from './regfile.ts';

export { CpuUnavailable } from './unicorn_ffi.ts';

/** Where the GDT page lives: outside Plan 9 user space [0x1000, 0xDFFFF000). */
export const GDT_BASE = 0xfffff000;
export const SEL_UCODE = 0x23; // GDT index 4, RPL 3
export const SEL_UDATA = 0x1b; // GDT index 3, RPL 3
/** Plan 9's fpinit: 53-bit precision, round nearest, IE/ZE/OE unmasked. */
export const FPCW_PLAN9 = 0x232;
export const MXCSR_PLAN9 = 0x1f80;
export const VEC_SYSCALL = 0x40;
export const VEC_GP = 13;

// Flat 4 GiB, G=1, D=1, P=1, DPL=3, accessed (so loads never write the GDT).
const DESC_DATA = [0xffff, 0x0000, 0x00, 0xf3, 0xcf, 0x00]; // RW data
const DESC_CODE = [0xffff, 0x0000, 0x00, 0xfb, 0xcf, 0x00]; // exec/read code

// Bits user code may hold in EFLAGS: CF PF AF ZF SF TF DF OF AC ID.
const USER_FLAGS = 0x240dd5;
const FLAGS_FIXED = 0x202; // IF and the always-one bit, as under Plan 9
const EFLAGS_VM = 1 << 17;

// The address uc_emu_start is told to stop at. Unicorn 2 checks exits when
// it translates a block, so a guest jump to 0 stops silently *before* the
// fetch; run() reports that as the fetch fault Plan 9 would raise (page 0 is
// never mapped). Any other value costs a TB flush per run (measured).
const UNTIL = 0;

const REG_ID: Record<Reg, number> = {
  di: X86.edi, si: X86.esi, bp: X86.ebp, sp: X86.esp, bx: X86.ebx, dx: X86.edx, cx: X86.ecx, ax: X86.eax,
  pc: X86.eip, flags: X86.eflags,
  cs: X86.cs, ss: X86.ss, ds: X86.ds, es: X86.es, fs: X86.fs, gs: X86.gs,
};
const ALL_REGS = Object.keys(REG_ID) as Reg[];
const REG_MASK = Object.fromEntries(ALL_REGS.map((r) => [r, isSegName(r) ? 0xffff : 0xffffffff])) as Record<Reg, number>;
/** Where each general register sits in the regfile.ts view; undefined for the others. */
const GPR_AT: Partial<Record<Reg, number>> = GPR;
function isSegName(r: Reg): boolean {
  return r === 'cs' || r === 'ss' || r === 'ds' || r === 'es' || r === 'fs' || r === 'gs';
}
const isSeg = isSegName;

/** How run({timeoutUs}) preempts: our watchdog thread, or Unicorn's per-call timer thread. */
export type PreemptMode = 'watchdog' | 'unicorn';
let preemptMode: PreemptMode = process.env.P9EMU_PREEMPT === 'unicorn' ? 'unicorn' : 'watchdog';
export function setPreemptMode(m: PreemptMode): void {
  preemptMode = m;
}
export function getPreemptMode(): PreemptMode {
  return preemptMode;
}

const X86_FP0 = 82;  // UC_X86_REG_FP0: the physical x87 registers
const FPSTATE_SIZE = 220;

/** An error of the engine or of the caller (never a guest fault). */
export class CpuError extends Error {
  override name = 'CpuError';
}

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

// Scratch layout (native memory reused for every register access).
// bytes 0-15: one register value
const SCR_MMR = 16; // 24 bytes: uc_x86_mmr for GDTR
const SCR_BYTES = 48; // 16 bytes: instruction bytes for trap decoding
const SCR_BATCH_VALS = 64; // 16 x 8 bytes: regs() values
const SCR_BATCH_PTRS = 192; // 16 x 8 bytes: pointers to the values
const SCR_PAIR_IDS = 320; // 2 x 4 bytes: register ids for readPair
const SCR_WRITE_IDS = 328; // 16 x 4 bytes: register ids for setRegs
const SCR_SIZE = 392;

export class UnicornCpu implements Cpu {
  private readonly L: UcLib;
  private uc: bigint;
  private readonly scratch: bigint;
  private readonly u32: Uint32Array;
  private readonly u8: Uint8Array;
  private readonly batchIds: Int32Array;
  private readonly regRead: (uc: bigint, id: number, p: bigint) => number;
  private readonly regWrite: (uc: bigint, id: number, p: bigint) => number;
  private readonly callbacks: unknown[] = [];
  private closed = false;

  private syscallFn: (() => void) | undefined;
  private inRun = false;
  private stopRequested = false;
  private pending: Stop | undefined; // fault/trap recorded by a hook
  private pendingPc: number | undefined; // pc written from a hook
  private hookError: unknown;
  private countMode = false;
  /** The engine's regs[] (regfile.ts), or null: then every access is an API call. */
  private gpr: Uint32Array | null = null;
  /** Whether general registers are read and written in the engine's memory (regfile.ts) rather than through the API. */
  get regsDirect(): boolean {
    return this.gpr !== null;
  }
  /** Offset of uc_struct.no_exit_request, when known (exitreq.ts). */
  private exitOff: number | null = null;

  constructor() {
    const L = (this.L = unicorn());
    const k = L.koffi;
    this.regRead = L.uc_reg_read;
    this.regWrite = L.uc_reg_write;
    const out: unknown[] = [null];
    check(L.uc_open(UC_ARCH_X86, UC_MODE_32, out), 'uc_open');
    this.uc = out[0] as bigint;

    this.scratch = k.address(k.alloc('uint8_t', SCR_SIZE)) as bigint;
    const view = k.view(this.scratch, SCR_SIZE);
    this.u32 = new Uint32Array(view);
    this.u8 = new Uint8Array(view);
    this.batchIds = Int32Array.from(ALL_REGS.map((r) => REG_ID[r]));
    const ptrs = new BigUint64Array(view, SCR_BATCH_PTRS, 16);
    for (let i = 0; i < 16; i++) ptrs[i] = this.scratch + BigInt(SCR_BATCH_VALS + 8 * i);

    try {
      this.setupSegments();
      this.setupFpu();
      this.gpr = regfile(L, this.uc);
      this.addHooks();
      // Stops from another thread (preemption) must not land mid-block: see exitreq.ts.
      this.exitOff = noExitRequestOffset(L);
      if (this.exitOff !== null) setNoExitRequest(L, this.uc, this.exitOff, true);
      // Stores to pages mapped without exec skip 2.0.1's code check: notdirty.ts.
      fastStores(L);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  // --- setup -------------------------------------------------------------

  private setupSegments(): void {
    const L = this.L;
    // Our own page, mapped by pointer: uc_mem_map would allocate a 2 MiB
    // aligned RAM block advised for huge pages (qemu_anon_ram_alloc), so
    // every engine would fault in and zero 2 MiB for these 40 bytes.
    this.gdt = unicornAlloc(4096);
    check(L.uc_mem_map_ptr(this.uc, GDT_BASE, 4096, 1 /* read */, this.gdt.handle as bigint), 'uc_mem_map_ptr(GDT)');
    const gdt = new Uint8Array(5 * 8);
    putDesc(gdt, 3, DESC_DATA);
    putDesc(gdt, 4, DESC_CODE);
    check(L.uc_mem_write(this.uc, GDT_BASE, gdt, gdt.length), 'uc_mem_write(GDT)');
    const mmr = new DataView(this.u8.buffer, SCR_MMR, 24);
    for (let i = 0; i < 24; i++) mmr.setUint8(i, 0);
    mmr.setBigUint64(8, BigInt(GDT_BASE), true); // base
    mmr.setUint32(16, gdt.length - 1, true); // limit
    check(L.uc_reg_write(this.uc, X86.gdtr, this.scratch + BigInt(SCR_MMR)), 'write GDTR');

    // Unicorn starts at CPL 0, and SS can only be loaded with RPL == DPL ==
    // CPL. Loading SS in virtual-8086 mode skips the checks and gives CPL 3
    // (QEMU takes CPL from SS.DPL, which is 3 in vm86); after leaving vm86 the
    // real flat ring-3 SS then loads with the ordinary checks.
    this.rawWrite(X86.eflags, FLAGS_FIXED | EFLAGS_VM);
    this.rawWrite(X86.ss, SEL_UDATA, 'load SS in vm86');
    this.rawWrite(X86.eflags, FLAGS_FIXED);
    this.rawWrite(X86.cs, SEL_UCODE, 'load CS');
    this.rawWrite(X86.ds, SEL_UDATA, 'load DS');
    this.rawWrite(X86.es, SEL_UDATA, 'load ES');
    this.rawWrite(X86.fs, 0, 'load FS');
    this.rawWrite(X86.gs, 0, 'load GS');
    this.rawWrite(X86.ss, SEL_UDATA, 'load SS');
  }

  private setupFpu(): void {
    // CR0: PE|MP|NE (native #MF for unmasked x87 errors, as Plan 9 sets
    // it); CR4: OSFXSR|OSXMMEXCPT. Unicorn stores these without recomputing
    // its cached flags; SSE is already enabled in Unicorn's 32-bit reset.
    this.rawWrite(X86.cr0, 0x23);
    this.rawWrite(X86.cr4, 0x600);
    this.resetFpu();
  }

  /** The FPU state of a fresh Plan 9 process (exec). */
  resetFpu(): void {
    this.rawWrite(X86.fpcw, FPCW_PLAN9);
    this.rawWrite(X86.fpsw, 0);
    this.rawWrite(X86.fptag, 0xffff); // all empty (Unicorn's reset marks them valid)
    this.rawWrite(X86.mxcsr, MXCSR_PLAN9);
  }

  private addHooks(): void {
    const L = this.L;
    const k = L.koffi;
    const add = (type: number, fn: Function, proto: unknown) => {
      const cb = k.register(fn, k.pointer(proto as never));
      this.callbacks.push(cb);
      const hh = [0];
      check(L.uc_hook_add(this.uc, hh, type, cb, null, 1, 0), 'uc_hook_add');
    };
    add(UC_HOOK_INTR, (_uc: unknown, intno: number) => this.onInterrupt(intno), L.HookIntr);
    add(UC_HOOK_MEM_INVALID, (_uc: unknown, type: number, addr: number | bigint, size: number) =>
      this.onMemInvalid(type, Number(addr), size), L.HookMemEvent);
    add(UC_HOOK_INSN_INVALID, () => this.onInvalidInsn(), L.HookInsnInvalid);
    const cpuid = k.register(() => this.onCpuid(), k.pointer(L.HookCpuid));
    this.callbacks.push(cpuid);
    check(L.uc_hook_add(this.uc, [0], UC_HOOK_INSN, cpuid, null, 1, 0, 'int', UC_X86_INS_CPUID), 'uc_hook_add(CPUID)');
    engines.set(this.uc, this);
    const shared = privHooks(L);
    PRIV_INSNS.forEach((pi, i) =>
      check(L.uc_hook_add(this.uc, [0], UC_HOOK_INSN, shared[i], null, 1, 0, 'int', pi.insn), `uc_hook_add(${pi.kind})`));
  }

  /** The privileged instruction hooked in this run (its pc is found in run()). */
  private priv: PrivInsn | null = null;

  /**
   * IN, OUT, SYSCALL, SYSENTER (privinsn.ts): the fault Plan 9's CPU
   * raises. The registers here are exact (the helpers sync them) but the
   * block may run on past uc_emu_stop (exitreq.ts), so they are saved and
   * put back in run(), as for a faulting store. Returns 0 for IN.
   */
  onPrivileged(pi: PrivInsn): number {
    if (this.faultCtx === null) {
      const out: unknown[] = [null];
      check(this.L.uc_context_alloc(this.uc, out), 'uc_context_alloc');
      this.faultCtx = out[0] as bigint;
      this.L.uc_context_save(this.uc, this.faultCtx);
      this.priv = pi;
      this.pending = { kind: 'trap', vector: pi.vector, pc: 0 };
    }
    this.L.uc_emu_stop(this.uc);
    return 0;
  }

  /**
   * CPUID leaf 1. Unicorn 2.0.1's x86_reg_reset (qemu/target/i386/unicorn.c)
   * overwrites the model's feature words with a fixed set lacking FPU, TSC
   * and MMX (unicorn-engine/unicorn#1787, fixed in 2.0.2 by #1791); Go's
   * rt0_go refuses to start without the MMX bit. Answer as the default
   * model, qemu64, does once that is fixed: family 6 model 6 stepping 3,
   * EDX = PPRO_FEATURES|MTRR|CLFLUSH|MCA|PSE36, ECX = SSE3|CX16. Every
   * other leaf is the engine's own.
   */
  private onCpuid(): number {
    if (this.rawRead(X86.eax) !== 1) return 0;
    this.rawWrite(X86.eax, 0x663);
    this.rawWrite(X86.ebx, 0x800);
    this.rawWrite(X86.ecx, 0x2001);
    this.rawWrite(X86.edx, 0x078bfbfd);
    return 1;
  }

  // --- hooks (called inside uc_emu_start) --------------------------------

  private onInterrupt(intno: number): void {
    // A faulting store does not end its block (exitreq.ts): nothing after
    // it may act, an INT $64 at the block's end least of all.
    if (this.faultCtx !== null) {
      this.L.uc_emu_stop(this.uc);
      return;
    }
    if (intno === VEC_SYSCALL && this.syscallFn) {
      try {
        this.syscallFn();
      } catch (e) {
        // A throw cannot cross the native frames; stop and rethrow in run().
        this.hookError = e;
        this.stop();
      }
      return;
    }
    this.pending = this.classifyTrap(intno);
    this.L.uc_emu_stop(this.uc);
  }

  private onMemInvalid(type: number, addr: number, size: number): boolean {
    const access =
      type === UC_MEM_READ_UNMAPPED || type === UC_MEM_READ_PROT
        ? 'read'
        : type === UC_MEM_FETCH_UNMAPPED || type === UC_MEM_FETCH_PROT
          ? 'fetch'
          : 'write';
    addr >>>= 0;
    const probe = this.probe;
    if (probe) {
      // faultpc.ts replay: the target access stops; any other access gets
      // a scratch zero page so the instruction can complete.
      if (probe.access === access && probe.addr === addr) {
        probe.matched = true;
        this.pending = { kind: 'fault', access, addr, pc: 0 };
        return false;
      }
      const first = addr - (addr % 4096);
      const last = (addr + Math.max(size, 1) - 1) >>> 0;
      for (let p = first; p <= last; p += 4096) {
        // Zero pages from a pool, by pointer (see the GDT page).
        const m = (this.zeroPages[probe.mapped.length] ??= unicornAlloc(4096));
        m.bytes.fill(0);
        if (this.L.uc_mem_map_ptr(this.uc, p, 4096, 7, m.handle as bigint) === UC_ERR_OK) probe.mapped.push(p);
      }
      return true;
    }
    if (this.faultCtx !== null) return false; // later in the block of the first fault
    this.pending = { kind: 'fault', access, addr, pc: 0 };
    if (access === 'write' && this.exitOff !== null && !this.countMode) {
      // Without mid-block exit checks a failed store is skipped and the
      // block runs on (exitreq.ts; loads and fetches leave the block by
      // cpu_loop_exit and stay exact). The registers here are those before
      // the faulting instruction (TCG syncs them before a memory access);
      // run() puts them back once the block has ended.
      const out: unknown[] = [null];
      check(this.L.uc_context_alloc(this.uc, out), 'uc_context_alloc');
      this.faultCtx = out[0] as bigint;
      this.L.uc_context_save(this.uc, this.faultCtx);
    }
    return false; // not handled: Unicorn stops emulation
  }

  /** The CPU state at the first invalid access of this run, while the block goes on. */
  private faultCtx: bigint | null = null;

  private probe: { access: string; addr: number; matched: boolean; mapped: number[] } | undefined;
  private readonly zeroPages: HostMem[] = [];
  private gdt: HostMem | null = null;

  /**
   * Execute one instruction looking for the access `target` (used to find
   * the faulting instruction on Unicorn 2.0.x, see faultpc.ts). Other
   * accesses to unmapped memory are satisfied with zero pages. True if the
   * instruction made the target access.
   */
  probeStep(target: { access: 'read' | 'write' | 'fetch'; addr: number }): boolean {
    const probe = (this.probe = { ...target, matched: false, mapped: [] as number[] });
    try {
      this.run({ count: 1 });
      return probe.matched;
    } finally {
      // Zero pages last only for one step: a later candidate's access to
      // the target page must fault again.
      for (const p of probe.mapped) this.L.uc_mem_unmap(this.uc, p, 4096);
      this.probe = undefined;
    }
  }

  private onInvalidInsn(): boolean {
    if (this.faultCtx !== null) return true; // an earlier fault in the block stands
    // EIP is the invalid instruction here (checked); emulation stops anyway.
    const eip = this.rawRead(X86.eip);
    // ICEBP is a trap: #DB with the saved pc after it.
    const end = icebpEnd(this.peek(eip, 16) ?? this.peek(eip, 1) ?? new Uint8Array(0));
    this.pending = end >= 0 ? { kind: 'trap', vector: 1, pc: (eip + end) >>> 0 } : { kind: 'trap', vector: 6, pc: eip };
    return true;
  }

  /**
   * Unicorn delivers every exception and INT n to the interrupt hook without
   * consulting the IDT. For INT n, INT3 and INTO it has already moved EIP
   * past the instruction; for faults EIP is the faulting instruction. Plan 9's
   * IDT lets user mode use only INT3 and INT $64, so other INT n and INTO
   * become #GP at the instruction, as on the real machine.
   */
  private classifyTrap(vector: number): Stop {
    const eip = this.rawRead(X86.eip);
    const b = this.peek(eip - 2, 2);
    if (b && b[0] === 0xcd && b[1] === vector) {
      // INT n (CD nn). INT 3 is allowed and reports like INT3.
      return vector === 3 ? { kind: 'trap', vector: 3, pc: eip } : { kind: 'trap', vector: VEC_GP, pc: (eip - 2) >>> 0 };
    }
    if (vector === 4 && b && b[1] === 0xce) return { kind: 'trap', vector: VEC_GP, pc: (eip - 1) >>> 0 }; // INTO
    return { kind: 'trap', vector, pc: eip }; // INT3 (pc after CC) and faults (pc at insn)
  }

  private peek(addr: number, n: number): Uint8Array | undefined {
    if (addr < 0) return undefined;
    const err = this.L.uc_mem_read(this.uc, addr, this.scratch + BigInt(SCR_BYTES), n);
    return err === UC_ERR_OK ? this.u8.subarray(SCR_BYTES, SCR_BYTES + n) : undefined;
  }

  // --- memory ------------------------------------------------------------

  map(addr: number, mem: HostMem, prot: number, size = mem.size, offset = 0): void {
    this.live();
    if (typeof mem.handle !== 'bigint') throw new CpuError('UnicornCpu.map: memory not from the native allocator');
    if (offset + size > mem.size) throw new CpuError('UnicornCpu.map: size larger than the memory');
    check(this.L.uc_mem_map_ptr(this.uc, addr, size, prot, mem.handle + BigInt(offset)), `map ${hex(addr)}+${hex(size)}`);
  }

  unmap(addr: number, size: number): void {
    this.live();
    // Drop code translated from these pages first: a later mapping at the
    // same address must not run the old code.
    this.invalidate(addr, size);
    check(this.L.uc_mem_unmap(this.uc, addr, size), `unmap ${hex(addr)}+${hex(size)}`);
  }

  protect(addr: number, size: number, prot: number): void {
    this.live();
    check(this.L.uc_mem_protect(this.uc, addr, size, prot), `protect ${hex(addr)}+${hex(size)}`);
  }

  invalidate(addr: number, size: number): void {
    this.live();
    // UC_CTL_TB_REMOVE_CACHE translates only its start address to a host
    // page, so go page by page (ranges may span several mappings).
    const end = addr + size;
    for (let p = addr - (addr % 4096); p < end; p += 4096) {
      this.L.uc_ctl(this.uc, UC_CTL_TB_REMOVE_CACHE_W, 'uint64_t', p, 'uint64_t', p + 4096);
    }
  }

  /** Whether anything was ever translated (run() was called). */
  private ran = false;

  /**
   * Drop every translation. Skipped for an engine that never ran: 2.0.1's
   * tb_flush memsets the whole 1 GiB code buffer (tcg_region_assign), which
   * faults in and zeroes 512 huge pages (~0.1–2 s of kernel time).
   */
  flushTb(): void {
    if (!this.ran) return;
    check(this.L.uc_ctl(this.uc, UC_CTL_TB_FLUSH_W), 'TB flush');
  }

  // --- registers ---------------------------------------------------------

  // The syscall path reads ~3 registers and writes 1 per call: general
  // registers go through the engine's own memory (regfile.ts), the others
  // one koffi call each, with no allocation (values go through scratch).
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

  private rawRead(id: number): number {
    this.u32[0] = 0; // segment registers only write 16 bits
    this.regRead(this.uc, id, this.scratch);
    return this.u32[0];
  }

  private rawWrite(id: number, v: number, what = 'register write'): void {
    this.u32[0] = v;
    this.u32[1] = 0;
    const err = this.regWrite(this.uc, id, this.scratch);
    if (err !== UC_ERR_OK) throw new CpuError(`UnicornCpu: ${what} ${hex(v)}: ${ucErrorText(err)}`);
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
    this.rawWrite(REG_ID[r], (v & REG_MASK[r]) >>> 0, r);
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

  // --- execution ---------------------------------------------------------

  onSyscall(fn: () => void): void {
    this.syscallFn = fn;
  }

  stop(): void {
    this.stopRequested = true;
    if (this.inRun) this.L.uc_emu_stop(this.uc);
  }

  run(opts: RunOptions = {}): Stop {
    this.live();
    if (this.inRun) throw new CpuError('UnicornCpu.run: called from inside run()');
    const count = opts.count && opts.count > 0 ? Math.floor(opts.count) : 0;
    const us = opts.timeoutUs && opts.timeoutUs > 0 ? opts.timeoutUs : 0;
    this.pending = undefined;
    this.pendingPc = undefined;
    this.stopRequested = false;
    this.hookError = undefined;
    this.priv = null;

    // Unicorn's instruction counter is a code hook compiled into each block:
    // blocks translated without it never count, so flush when turning it on.
    // (Unicorn itself flushes when a run without count removes the hook.)
    // Count mode stops from its code hook and needs the mid-block exit
    // checks back; both kinds of blocks are retranslated on the switch.
    if (count > 0 !== this.countMode && this.exitOff !== null) setNoExitRequest(this.L, this.uc, this.exitOff, count === 0);
    if (count > 0 && !this.countMode) this.flushTb();
    this.ran = true;
    this.countMode = count > 0;

    const pc = this.rawRead(X86.eip);
    const wd = us > 0 && preemptMode === 'watchdog' ? watchdog(this.L.path) : undefined;
    let timedOut = false;
    let err: number;
    const t0 = us > 0 && !wd ? performance.now() : 0;
    this.inRun = true;
    try {
      wd?.arm(this.uc, us);
      err = this.L.uc_emu_start(this.uc, pc, UNTIL, wd ? 0 : us, count);
    } finally {
      if (wd) timedOut = wd.disarm();
      this.inRun = false;
      if (this.faultCtx !== null) {
        this.L.uc_context_restore(this.uc, this.faultCtx);
        this.L.uc_context_free(this.faultCtx);
        this.faultCtx = null;
      }
    }
    if (this.pendingPc !== undefined) {
      this.rawWrite(X86.eip, this.pendingPc);
      this.pendingPc = undefined;
    }
    if (this.hookError !== undefined) {
      const e = this.hookError;
      this.hookError = undefined;
      throw e;
    }
    const p = this.pending as Stop | undefined; // set by hooks during uc_emu_start
    if (p) {
      // Leave EIP where Stop.pc says, as the CPU's saved pc would be.
      const eip = this.rawRead(X86.eip);
      const priv = this.priv as PrivInsn | null;
      const stop = p.kind === 'fault' ? { ...p, pc: this.probe ? eip : refineFaultPc(this, p, eip) }
        : priv !== null ? { ...p, pc: this.probe ? eip : findInsnPc(this, eip, (b) => isPriv(priv.kind, b)) } : p;
      if ((stop.kind === 'fault' || stop.kind === 'trap') && stop.pc !== eip) this.rawWrite(X86.eip, stop.pc);
      return stop;
    }
    if (this.stopRequested) return { kind: 'stopped' };
    if (timedOut) return { kind: 'timeout' };
    if (err !== UC_ERR_OK && err !== UC_ERR_INSN_INVALID) throw new CpuError(`uc_emu_start: ${ucErrorText(err)}`);
    const eip = this.rawRead(X86.eip);
    if (eip === UNTIL) return { kind: 'fault', access: 'fetch', addr: UNTIL, pc: UNTIL };
    if (count > 0) return { kind: 'count' };
    if (us > 0 && (wd || performance.now() - t0 >= us / 1000)) return { kind: 'timeout' };
    // Nothing explains the stop (cannot happen with the protocol above).
    throw new CpuError(`uc_emu_start returned without a reason at pc ${hex(eip)}`);
  }

  // --- lifetime ----------------------------------------------------------

  close(): void {
    if (this.closed) return;
    if (this.inRun) throw new CpuError('UnicornCpu.close: called from inside run()');
    this.closed = true;
    this.gpr = null; // a view into the engine, about to be freed
    this.tsctx?.free();
    this.tsctx = null;
    // uc_close frees the hooks; the koffi trampolines are ours to release.
    engines.delete(this.uc);
    this.L.uc_close(this.uc);
    this.uc = 0n;
    for (const cb of this.callbacks) this.L.koffi.unregister(cb as bigint);
    this.callbacks.length = 0;
    this.L.koffi.free(this.scratch);
    // After uc_close: the engine no longer maps these pages.
    for (const m of this.zeroPages) m.free();
    this.zeroPages.length = 0;
    this.gdt?.free();
    this.gdt = null;
  }

  private live(): void {
    if (this.closed) throw new CpuError('UnicornCpu: used after close()');
  }

  /** Engine handle, for the floor benchmark and diagnostics. */
  get engine(): bigint {
    return this.uc;
  }

  /** Read guest memory through the engine (tests and diagnostics). */
  readMem(addr: number, n: number): Uint8Array {
    const buf = new Uint8Array(n);
    check(this.L.uc_mem_read(this.uc, addr, buf, n), `read ${hex(addr)}`);
    return buf;
  }

  /** Write guest memory through the engine (tests and diagnostics). */
  writeMem(addr: number, data: Uint8Array): void {
    check(this.L.uc_mem_write(this.uc, addr, data, data.length), `write ${hex(addr)}`);
  }
}

/** Every open engine by handle, for the hooks all engines share. */
const engines = new Map<bigint, UnicornCpu>();
let shared: unknown[] | null = null;

/**
 * The privileged-instruction hooks, one koffi trampoline per kind for all
 * engines (koffi allows 8192 trampolines at once; per-engine ones would
 * cap the number of processes).
 */
function privHooks(L: UcLib): unknown[] {
  const k = L.koffi;
  shared ??= PRIV_INSNS.map((pi) => {
    const proto = pi.kind === 'in' ? L.HookIn : pi.kind === 'out' ? L.HookOut : L.HookSyscall;
    return k.register((uc: unknown) => engines.get(typeof uc === 'bigint' ? uc : (k.address(uc) as bigint))?.onPrivileged(pi) ?? 0,
      k.pointer(proto));
  });
  return shared;
}

function putDesc(gdt: Uint8Array, index: number, d: number[]): void {
  const [limitLo, baseLo, baseMid, access, flagsLimitHi, baseHi] = d;
  const o = index * 8;
  gdt[o] = limitLo & 0xff;
  gdt[o + 1] = limitLo >> 8;
  gdt[o + 2] = baseLo & 0xff;
  gdt[o + 3] = baseLo >> 8;
  gdt[o + 4] = baseMid;
  gdt[o + 5] = access;
  gdt[o + 6] = flagsLimitHi;
  gdt[o + 7] = baseHi;
}

function check(err: number, what: string): void {
  if (err !== UC_ERR_OK) throw new CpuError(`UnicornCpu: ${what}: ${ucErrorText(err)}`);
}

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16);
}

/** True if libunicorn can be loaded here (for tests that need it). */
export function unicornAvailable(): boolean {
  try {
    unicorn();
    return true;
  } catch {
    return false;
  }
}
