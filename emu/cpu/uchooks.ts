// The engine's hooks, called inside uc_emu_start: INT (the system call,
// or a trap to classify), invalid memory accesses (faults, and the replay
// of faultpc.ts), invalid instructions, CPUID, and the instructions Plan 9
// forbids that the engine would run (privinsn.ts). A hook only records what
// happened (pending) and stops the engine; run() in unicorn.ts reports it.

import type { HostMem, RunOptions, Stop } from './cpu.ts';
import {
  UC_ERR_OK,
  UC_HOOK_INSN,
  UC_HOOK_INSN_INVALID,
  UC_HOOK_INTR,
  UC_HOOK_MEM_INVALID,
  UC_MEM_FETCH_PROT,
  UC_MEM_FETCH_UNMAPPED,
  UC_MEM_READ_PROT,
  UC_MEM_READ_UNMAPPED,
  UC_X86_INS_CPUID,
  X86,
} from './unicorn_ffi.ts';
import { check } from './ucengine.ts';
import { UcFpu } from './ucfpu.ts';
import { unicornAlloc } from './hostmem.ts';
import { VectorGPF, VectorSYSCALL } from '../386/mem.ts';
import { PRIV_INSNS, icebpEnd, type PrivInsn } from './privinsn.ts';
import { syncPcHook } from './syncpc.ts';
import { privEntries } from './privsync.ts';
import { clearOldException, oldException } from './oldexception.ts';
import type { UcLib } from './unicorn_ffi.ts';

/** What an engine's blocks are translated for: free running, Unicorn's exact count, or the block counter (blockcount.ts). */
export type RunMode = 'free' | 'count' | 'quantum';

export abstract class UcHooks extends UcFpu {
  protected readonly callbacks: unknown[] = [];
  protected syscallFn: (() => void) | undefined;
  protected pending: Stop | undefined; // fault/trap recorded by a hook
  protected hookError: unknown;
  /** What the engine's blocks were translated for (unicorn.ts run()). */
  protected mode: RunMode = 'free';
  /** EIP is the faulting instruction's at a read or write fault (syncpc.ts); else faultpc.ts infers it. */
  protected exactFaultPc = false;
  /** Offset of uc_struct.no_exit_request, when known (exitreq.ts). */
  protected exitOff: number | null = null;

  protected addHooks(): void {
    const L = this.L;
    const k = L.koffi;
    /** The callback, entered through `entry` (given the callback as user data) when there is one. */
    const add = (type: number, fn: Function, proto: unknown, entry: bigint | null = null) => {
      const cb = k.register(fn, k.pointer(proto as never));
      this.callbacks.push(cb);
      const hh = [0];
      check(L.uc_hook_add(this.uc, hh, type, entry ?? cb, entry === null ? null : cb, 1, 0), 'uc_hook_add');
    };
    add(UC_HOOK_INTR, (_uc: unknown, intno: number) => this.onInterrupt(intno), L.HookIntr);
    // Each exception the hook takes is delivered: no #DF for the next (oldexception.ts).
    this.oldExc = oldException(L, this.uc);
    // EIP restored to the faulting instruction before the hook (syncpc.ts).
    const sync = syncPcHook(L);
    this.exactFaultPc = sync !== null;
    add(UC_HOOK_MEM_INVALID, (_uc: unknown, type: number, addr: number | bigint, size: number) =>
      this.onMemInvalid(type, Number(addr), size), L.HookMemEvent, sync);
    add(UC_HOOK_INSN_INVALID, () => this.onInvalidInsn(), L.HookInsnInvalid);
    const cpuid = k.register(() => this.onCpuid(), k.pointer(L.HookCpuid));
    this.callbacks.push(cpuid);
    check(L.uc_hook_add(this.uc, [0], UC_HOOK_INSN, cpuid, null, 1, 0, 'int', UC_X86_INS_CPUID), 'uc_hook_add(CPUID)');
    this.engineKey = this.uc;
    engines.set(this.uc, this);
    const shared = privHooks(L);
    // EIP restored to the instruction before the hook (privsync.ts).
    const entry = privEntries(L);
    this.exactPrivPc = entry !== null;
    PRIV_INSNS.forEach((pi, i) =>
      check(L.uc_hook_add(this.uc, [0], UC_HOOK_INSN, entry?.[pi.kind] ?? shared[i], entry === null ? null : shared[i], 1, 0, 'int', pi.insn), `uc_hook_add(${pi.kind})`));
  }

  /** EIP is the privileged instruction's at its hook (privsync.ts); else findInsnPc walks to it. */
  protected exactPrivPc = false;

  /** This engine's key in `engines` (the handle, kept past uc_close). */
  private engineKey = 0n;

  /** The privileged instruction hooked in this run (its pc is found in run()). */
  protected priv: PrivInsn | null = null;

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

  /** env->old_exception, cleared at each exception the hook takes (oldexception.ts). */
  private oldExc: Int32Array | null = null;

  private onInterrupt(intno: number): void {
    if (this.oldExc !== null && !clearOldException(this.oldExc, intno)) this.oldExc = null;
    // A faulting store does not end its block (exitreq.ts): nothing after
    // it may act, an INT $64 at the block's end least of all.
    if (this.faultCtx !== null) {
      this.L.uc_emu_stop(this.uc);
      return;
    }
    if (intno === VectorSYSCALL && this.syscallFn) {
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
        // Pages from a pool, by pointer (see the GDT page): zero, or a
        // copy of the faulting engine's page when the probe reads its data.
        const m = (this.zeroPages[probe.mapped.length] ??= unicornAlloc(4096));
        m.bytes.fill(0);
        if (probe.from) {
          try {
            m.bytes.set(probe.from.readMem(p, 4096));
          } catch {
            // unmapped there too: zeros
          }
        }
        if (this.L.uc_mem_map_ptr(this.uc, p, 4096, 7, m.handle as bigint) === UC_ERR_OK) probe.mapped.push(p);
      }
      return true;
    }
    if (this.faultCtx !== null) return false; // later in the block of the first fault
    this.pending = { kind: 'fault', access, addr, pc: 0 };
    if (access === 'write' && this.exitOff !== null && this.mode === 'free') {
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
  protected faultCtx: bigint | null = null;

  protected probe: { access: string; addr: number; matched: boolean; mapped: number[]; from?: { readMem(addr: number, n: number): Uint8Array } } | undefined;
  protected readonly zeroPages: HostMem[] = [];

  abstract run(opts?: RunOptions): Stop;

  /**
   * Execute one instruction looking for the access `target` (used to find
   * the faulting instruction on Unicorn 2.0.x, see faultpc.ts). Other
   * accesses to unmapped memory are satisfied with zero pages, or with
   * copies of engine `from`'s pages when given. True if the instruction
   * made the target access.
   */
  probeStep(target: { access: 'read' | 'write' | 'fetch'; addr: number }, from?: { readMem(addr: number, n: number): Uint8Array }): boolean {
    const probe = (this.probe = { ...target, matched: false, mapped: [] as number[], from });
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
      return vector === 3 ? { kind: 'trap', vector: 3, pc: eip } : { kind: 'trap', vector: VectorGPF, pc: (eip - 2) >>> 0 };
    }
    if (vector === 4 && b && b[1] === 0xce) return { kind: 'trap', vector: VectorGPF, pc: (eip - 1) >>> 0 }; // INTO
    return { kind: 'trap', vector, pc: eip }; // INT3 (pc after CC) and faults (pc at insn)
  }

  onSyscall(fn: () => void): void {
    this.syscallFn = fn;
  }

  protected closeHooks(): void {
    engines.delete(this.engineKey);
    this.oldExc = null; // a view into the engine
    // uc_close has freed the hooks; the koffi trampolines are ours to release.
    for (const cb of this.callbacks) this.L.koffi.unregister(cb as bigint);
    this.callbacks.length = 0;
    // After uc_close: the engine no longer maps these pages.
    for (const m of this.zeroPages) m.free();
    this.zeroPages.length = 0;
  }
}

/** Every open engine by handle, for the hooks all engines share. */
const engines = new Map<bigint, UcHooks>();
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
