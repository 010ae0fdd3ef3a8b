// Cpu on Unicorn 2 (libunicorn.so.2 through koffi): the engine set up for
// Plan 9 user code, and the run loop. The binding is in layers, one concept
// each: ucengine.ts (engine handle, scratch, raw registers), gdt.ts
// (segments), ucmem.ts (mapping), ucregs.ts (registers), ucfpu.ts (FPU and
// saved contexts), uchooks.ts (hooks and trap classification), here (run,
// close). See docs/unicorn.md for every Unicorn behaviour relied on and how
// it was checked.

import type { Cpu, CpuContext, HostMem, RunOptions, Stop } from './cpu.ts';
import { UC_ERR_INSN_INVALID, UC_ERR_OK, X86, ucErrorText, unicorn } from './unicorn_ffi.ts';
import { startWatchdog } from './preempt.ts';
import { findInsnPc, refineFaultPc } from './faultpc.ts';
import { isPriv, type PrivInsn } from './privinsn.ts';
import { noExitRequestOffset, setNoExitRequest } from './exitreq.ts';
import { fastStores } from './notdirty.ts';
import { farRegUD } from './farreg.ts';
import { chainPages } from './pagechain.ts';
import { jmpHash } from './jmphash.ts';
import { unmapFlush } from './unmapflush.ts';
import { regfile } from './regfile.ts';
import { CpuError, hex, SCR_BLOCK } from './ucengine.ts';
import { RepSites, repString, type StringCpu } from './repstring.ts';
import { PROT_EXEC, PROT_WRITE } from './cpu.ts';
import { UDSEL } from '../386/mem.ts';
import { hookBlocks, UNLIMITED } from './blockcount.ts';
import { GDT_BASE, gdtaccess, ingdt, loadsDescriptor, setupSegments } from './gdt.ts';
import { keepEngine, type Reusable } from './enginepool.ts';
import { UcHooks, type RunMode } from './uchooks.ts';

export { CpuUnavailable } from './unicorn_ffi.ts';
export { CpuError } from './ucengine.ts';

// The address uc_emu_start is told to stop at. Unicorn 2 checks exits when
// it translates a block, so a guest jump to 0 stops silently *before* the
// fetch; run() reports that as the fetch fault Plan 9 would raise (page 0 is
// never mapped). Any other value costs a TB flush per run (measured).
const UNTIL = 0;

/** How run({timeoutUs}) preempts: our watchdog thread (with Unicorn's timer beside it while the thread loads: preempt.ts), or Unicorn's per-call timer thread. */
export type PreemptMode = 'watchdog' | 'unicorn';
let preemptMode: PreemptMode = process.env.P9EMU_PREEMPT === 'unicorn' ? 'unicorn' : 'watchdog';
export function setPreemptMode(m: PreemptMode): void {
  preemptMode = m;
}

/** REP MOVS/STOS in one host copy (repstring.ts) in free runs; off, the engine's loop (tests compare the two). */
let fastStrings = process.env.P9EMU_REP !== 'engine';
export function setFastStrings(on: boolean): void {
  fastStrings = on;
}

export class UnicornCpu extends UcHooks implements Cpu, Reusable {
  private stopRequested = false;
  private budget: BigInt64Array | null | undefined;
  private rep: RepSites | null = null;
  private gdt: HostMem | null = null;
  /** The state as opened, put back for the engine's next process (enginepool.ts). */
  private fresh: CpuContext | null = null;
  /** Removers of the hooks added for this process (codehook.ts). */
  private readonly owned = new Set<() => void>();
  private destroyed = false;
  /** Processes this engine went on to (enginepool.ts). */
  private reused = 0;

  constructor() {
    super();
    try {
      this.gdt = setupSegments(this);
      this.setupFpu();
      this.gpr = regfile(this.L, this.uc);
      this.addHooks();
      // Stops from another thread (preemption) must not land mid-block: see exitreq.ts.
      this.exitOff = noExitRequestOffset(this.L);
      if (this.exitOff !== null) setNoExitRequest(this.L, this.uc, this.exitOff, true);
      // Stores to pages mapped without exec skip 2.0.1's code check: notdirty.ts.
      fastStores(this.L);
      // CALL/JMP FAR through a register is #UD, not an engine abort: farreg.ts.
      farRegUD(this.L);
      // Direct jumps and calls to another page chain instead of a lookup each time: pagechain.ts.
      chainPages(this.L);
      // Indirect jumps (RET) find their block in the jump cache more often: jmphash.ts.
      jmpHash(this.L);
      // An unmapped region's TLB entries go in one flush: unmapflush.ts.
      unmapFlush(this.L);
      // REP MOVS/STOS of many elements in one host copy: repstring.ts.
      this.rep = RepSites.open(this.L, this.uc, {
        read: (r) => this.rawRead(X86[r]),
        write: (r, v) => this.rawWrite(X86[r], v),
      }, (pc) => this.onRepString(pc));
      this.fresh = this.save();
    } catch (e) {
      this.close();
      throw e;
    }
  }

  stop(): void {
    this.stopRequested = true;
    if (this.inRun) this.L.uc_emu_stop(this.uc);
  }

  run(opts: RunOptions = {}): Stop {
    this.live();
    if (this.inRun) throw new CpuError('UnicornCpu.run: called from inside run()');
    let count = opts.count && opts.count > 0 ? Math.floor(opts.count) : 0;
    const quantum = count === 0 && opts.quantum && opts.quantum > 0 ? Math.floor(opts.quantum) : 0;
    const budget = quantum > 0 ? this.blockBudget() : null;
    if (quantum > 0 && budget === null) count = quantum; // no block counter here: Unicorn's exact count
    const us = opts.timeoutUs && opts.timeoutUs > 0 ? opts.timeoutUs : 0;
    this.pending = undefined;
    this.pendingPc = undefined;
    this.stopRequested = false;
    this.hookError = undefined;
    this.priv = null;

    // Unicorn's instruction counter is a code hook compiled into each block:
    // blocks translated without it never count, so flush when turning it on.
    // (Unicorn itself flushes when a run without count removes the hook.)
    // Count and quantum runs stop from hooks (a code hook, inject.ts's and a
    // debugger's, or the block hook) and need the mid-block exit checks back;
    // blocks are retranslated on every switch of mode.
    const mode: RunMode = count > 0 ? 'count' : budget !== null ? 'quantum' : 'free';
    if (mode !== this.mode) {
      if (this.exitOff !== null) setNoExitRequest(this.L, this.uc, this.exitOff, mode === 'free');
      if (this.mode !== 'count') this.flushTb();
      this.mode = mode;
    }
    if (this.budget) this.budget[0] = quantum > 0 ? BigInt(quantum) : UNLIMITED;
    this.rep?.enable(mode === 'free' && fastStrings);
    this.ran = true;

    const pc = this.rawRead(X86.eip);
    const wd = us > 0 && preemptMode === 'watchdog' ? startWatchdog(this.L) : undefined;
    // Unicorn's timer as well while the thread loads (preempt.ts).
    const ucUs = wd?.ready ? 0 : us;
    let timedOut = false;
    let err: number;
    const t0 = us > 0 && !wd ? performance.now() : 0;
    this.inRun = true;
    try {
      wd?.arm(this.uc, us);
      err = this.L.uc_emu_start(this.uc, pc, UNTIL, ucUs, count);
    } finally {
      if (wd) timedOut = wd.disarm();
      this.inRun = false;
      if (this.faultCtx !== null) {
        this.L.uc_context_restore(this.uc, this.faultCtx);
        this.L.uc_context_free(this.faultCtx);
        this.faultCtx = null;
        // Saved inside the run, the context holds EFLAGS as the running
        // engine does: arithmetic flags and DF apart (CC_SRC/CC_OP, df),
        // env->eflags without them. The next uc_emu_start takes them from
        // env->eflags alone (x86_cpu_exec_enter) and would clear them; put
        // the whole value there, as a run's end leaves it.
        this.rawWrite(X86.eflags, this.rawRead(X86.eflags));
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
      const stop = p.kind === 'fault' ? { ...p, pc: this.probe ? eip : refineFaultPc(this, p, eip, this.exactFaultPc) }
        : priv !== null ? { ...p, pc: this.probe || this.exactPrivPc ? eip : findInsnPc(this, eip, (b) => isPriv(priv.kind, b)) } : p;
      if ((stop.kind === 'fault' || stop.kind === 'trap') && stop.pc !== eip) this.rawWrite(X86.eip, stop.pc);
      if (stop.kind === 'fault' && stop.access === 'read' && ingdt(stop.addr) && !this.probe
        && loadsDescriptor(this.peek(stop.pc, 16) ?? new Uint8Array(0))) {
        // The CPU reading a descriptor for the instruction, not the program reading the page (gdt.ts).
        gdtaccess(this, 1);
        let step: Stop;
        try {
          step = this.run({ count: 1 });
        } finally {
          gdtaccess(this, 0);
        }
        return step.kind === 'count' ? this.run(opts) : step;
      }
      return stop;
    }
    if (this.stopRequested) return { kind: 'stopped' };
    if (timedOut) return { kind: 'timeout' };
    if (err !== UC_ERR_OK && err !== UC_ERR_INSN_INVALID) throw new CpuError(`uc_emu_start: ${ucErrorText(err)}`);
    const eip = this.rawRead(X86.eip);
    if (eip === UNTIL) return { kind: 'fault', access: 'fetch', addr: UNTIL, pc: UNTIL };
    if (count > 0 || (budget !== null && budget[0]! <= 0n)) return { kind: 'count' };
    if (us > 0 && (wd || performance.now() - t0 >= us / 1000)) return { kind: 'timeout' };
    // Nothing explains the stop (cannot happen with the protocol above).
    throw new CpuError(`uc_emu_start returned without a reason at pc ${hex(eip)}`);
  }

  /** The block counter's budget (blockcount.ts), its hook added on first use; null where there is none. */
  private blockBudget(): BigInt64Array | null {
    if (this.budget === undefined) {
      this.budget = hookBlocks(this.L, this.uc, this.scratch + BigInt(SCR_BLOCK), {
        read: () => this.rawRead(X86.eip),
        write: (v) => this.rawWrite(X86.eip, v),
      });
      // Blocks translated before the hook do not call it: the first quantum
      // run is a switch of mode, which retranslates (run()). The counter
      // must be the only block hook to be called inline (repstring.ts).
      if (this.budget !== null) {
        this.rep?.close(true);
        this.rep = null;
      }
    }
    return this.budget;
  }

  override map(addr: number, mem: HostMem, prot: number, size = mem.size, offset = 0): void {
    super.map(addr, mem, prot, size, offset);
    if (!this.rep) return;
    if ((prot & (PROT_WRITE | PROT_EXEC)) === PROT_EXEC) this.rep.add(mem.bytes.subarray(offset, offset + size), addr);
    this.rep.regions(this.memmap.list());
  }

  override unmap(addr: number, size: number): void {
    this.rep?.drop(addr, size);
    super.unmap(addr, size);
    this.rep?.regions(this.memmap.list());
  }

  override protect(addr: number, size: number, prot: number): void {
    super.protect(addr, size, prot);
    this.rep?.regions(this.memmap.list());
  }

  /** The JavaScript half of a REP MOVS/STOS hook (repstring.ts), in free runs. */
  private onRepString(pc: number): void {
    const rep = this.rep;
    if (this.mode !== 'free' || this.faultCtx !== null || rep === null) return;
    try {
      // ES and DS must be the flat data segment: a code selector (or a null
      // one) is left to the engine.
      if (rep.flat(UDSEL)) repString(this.strings, pc);
    } catch (e) {
      this.hookError = e;
      this.stop();
    }
  }

  private readonly strings: StringCpu = {
    memmap: this.memmap,
    reg: (r) => this.reg(r),
    setReg: (r, v) => this.setReg(r, v),
    down: () => this.rep?.down() ?? false,
  };

  /** Its blocks call the block counter (enginepool.ts). */
  get counted(): boolean {
    return this.budget instanceof BigInt64Array;
  }

  /** A hook added for this process: removed with it, when the engine goes on to another. Returns the remover. */
  ownHook(remove: () => void): () => void {
    this.owned.add(remove);
    return () => {
      this.owned.delete(remove);
      remove();
    };
  }

  /** Closed: kept for the next process (enginepool.ts), else closed for good. */
  close(): void {
    if (this.closed) return;
    if (this.inRun) throw new CpuError('UnicornCpu.close: called from inside run()');
    if (!keepEngine(this)) this.destroy();
  }

  /**
   * Shed everything of the process: its hooks, mappings and the code
   * translated from them (so no block is left, and a change of mode needs
   * no flush), its registers and FPU state (the context saved when the
   * engine was opened). The engine then reads as closed until reopen().
   */
  recycle(): boolean {
    if (this.closed || this.inRun || this.fresh === null) return false;
    // Each block translated from the code is dropped one by one, where
    // uc_close frees them all at once: past REUSE_CODE, a fresh engine costs
    // less (a Go hello's first engine: 4516 blocks, 2.2-2.6 ms to drop).
    let code = 0;
    for (const m of this.memmap.list()) if (m.prot & PROT_EXEC) code += m.end - m.addr;
    if (code > REUSE_CODE) return false;
    // Unicorn's own instruction counter (a code hook it adds for count
    // runs) stays until a run without count, which removes it with a
    // tb_flush of the whole 1 GiB code buffer: never hand that on.
    if (this.mode === 'count') return false;
    // The host code of dropped blocks stays in the engine's code buffer
    // (until it fills its 1 GiB and tb_flush writes all of it): retire the
    // engine after REUSES processes, so that what it holds stays small.
    if (++this.reused > REUSES) return false;
    try {
      for (const remove of [...this.owned]) remove();
      this.owned.clear();
      this.rep?.drop(0, 0x1_0000_0000);
      this.unmapAll(GDT_BASE);
      this.rep?.regions([]);
      this.restore(this.fresh);
    } catch {
      return false;
    }
    this.syscallFn = undefined;
    this.pending = undefined;
    this.pendingPc = undefined;
    this.hookError = undefined;
    this.priv = null;
    this.stopRequested = false;
    this.ran = false;
    this.closed = true;
    return true;
  }

  reopen(): void {
    this.closed = false;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.closed = true;
    this.fresh?.free();
    this.fresh = null;
    this.gpr = null; // a view into the engine, about to be freed
    this.rep?.close(false);
    this.rep = null;
    this.closeFpu();
    this.closeEngine();
    this.closeHooks();
    this.gdt?.free();
    this.gdt = null;
  }
}

/** The most executable memory an engine may have mapped and still be kept for reuse (enginepool.ts). */
export const REUSE_CODE = 512 << 10;
/** The processes an engine goes on to before it is closed for good (enginepool.ts). */
export const REUSES = 16;

/** True if libunicorn can be loaded here (for tests that need it). */
export function unicornAvailable(): boolean {
  try {
    unicorn();
    return true;
  } catch {
    return false;
  }
}
