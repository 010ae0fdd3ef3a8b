// The pc to report for a memory fault, inferred: where syncpc.ts does not
// apply (a libunicorn other than the Debian 2.0.1 build, P9EMU_FAULTPC=infer),
// and for the privileged-instruction hooks (findInsnPc below).
//
// Unicorn 2.0.1 does not restore EIP before calling the invalid-memory
// hooks (fixed upstream in 2.1.4, commits 4a13bc7c/b999f507): EIP is left at
// the start of the last block entered through the dispatcher, which for
// chained blocks can even be an earlier block. The registers, however, are
// exact: the state just before the faulting instruction.
//
// Inference can be wrong: when an instruction nearer the stale EIP makes
// the same access from the faulting registers and its predecessor is not
// idempotent, it wins (test/cpu/memory.test.ts has such a case).
//
// So the faulting instruction can be found by probing: in a scratch engine
// holding copies of the code pages, walk the instructions from the stale
// pc, and execute each one alone from that exact state. Its memory accesses
// hit scratch zero pages, except an access equal to the fault (kind and
// address), which identifies the instruction. Conditional branches are
// followed both ways (the flags at the fault are not those of earlier
// branches), nearest first.
//
// More than one instruction may make the same access from the faulting
// registers: Go's stack-check prologue `MOVL _privates(SB), CX; MOVL 0(CX),
// CX` reads address 1 when CX is 1, as `MOVZX 0(AX), AX` does with AX = 1
// further on (runtime's TestSetPanicOnFault). The registers also tell which
// one ran: they are the state just after the faulting instruction's
// predecessor. A predecessor whose effect is idempotent here (run again
// from its own result, it changes nothing more: a load, a LEA, a compare,
// a branch) must leave them unchanged and fall or jump to the candidate;
// a candidate all of whose predecessors fail that is not the one. Its
// loads read the faulting engine's memory (copied page by page), which the
// faulting instruction has not yet changed. A predecessor that is not
// idempotent (ADDL, PUSHL, CALL) tells nothing, and the candidate stands.
// Faults are rare, so the cost (a scratch engine per fault) does not matter.

import type { UnicornCpu } from './unicorn.ts';
import { unicornAlloc } from './hostmem.ts';
import type { CpuContext, HostMem, Regs } from './cpu.ts';

export interface FaultInfo {
  access: 'read' | 'write' | 'fetch';
  addr: number;
}

const MAX_STEPS = 1024;
const NOACCESS: FaultInfo = { access: 'read', addr: -1 };
/**
 * EFLAGS values under which every Jcc goes both ways: none set, all of
 * CF PF AF ZF SF OF set (every condition but L/NL flips), and SF alone
 * (flips L/NL).
 */
const FLAG_PROBES = [0, 0x8d5, 0x80];

/** Registers an instruction can change, the pc aside; of the flags, the arithmetic ones. */
const COMPARED = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'] as const;
const ARITH_FLAGS = 0x8d5;

function same(a: Regs, b: Regs): boolean {
  return COMPARED.every((r) => a[r] === b[r]) && ((a.flags ^ b.flags) & ARITH_FLAGS) === 0;
}

/**
 * Best pc for a fault given EIP as Unicorn left it; `exact` when the engine
 * restored EIP to the faulting instruction before the hook (syncpc.ts).
 */
export function refineFaultPc(cpu: UnicornCpu, f: FaultInfo, eip: number, exact: boolean): number {
  if (f.access === 'fetch') {
    // A fetch fault stops with EIP at the instruction being fetched; if the
    // instruction straddles into the bad page, EIP is its start.
    return f.addr >= eip && f.addr - eip < 16 ? eip : f.addr;
  }
  if (exact) return eip;
  try {
    return replay(cpu, f, eip) ?? eip;
  } catch {
    return eip; // best effort only
  }
}

let spare: UnicornCpu | undefined;

/** The scratch engine at the faulting state, with copies of the code pages around eip mapped. */
interface Scratch {
  scratch: UnicornCpu;
  ctx: CpuContext;       // the faulting engine's state
  lo: number;            // the copied pages' range
  hi: number;
}

/** Run fn on a scratch engine prepared from cpu's state around eip; undo it all afterwards. */
function withScratch<T>(cpu: UnicornCpu, eip: number, fn: (s: Scratch) => T): T {
  // Constructed lazily to avoid an import cycle at load time, and kept:
  // an engine costs some 20 ms to make.
  const Ctor = cpu.constructor as new () => UnicornCpu;
  const scratch = (spare ??= new Ctor());
  const mems: HostMem[] = [];
  const mapped: number[] = [];
  const ctx = cpu.save();
  try {
    scratch.restore(ctx);
    // Chained blocks stay within one page (QEMU only chains same-page
    // jumps), but a block may run into the next page.
    const lo = eip - (eip % 4096);
    const hi = lo + 0x2000;
    for (let p = lo; p < hi; p += 4096) {
      let bytes: Uint8Array;
      try {
        bytes = cpu.readMem(p, 4096);
      } catch {
        continue;
      }
      const m = unicornAlloc(4096);
      m.bytes.set(bytes);
      mems.push(m);
      scratch.map(p, m, 7);
      mapped.push(p);
    }
    return fn({ scratch, ctx, lo, hi });
  } finally {
    ctx.free();
    for (const p of mapped) scratch.unmap(p, 4096); // and its translations
    for (const m of mems) m.free();
  }
}

/**
 * Breadth first from eip over the copied pages: visit(pc) with the scratch
 * engine at the faulting state and pc set; a result other than undefined
 * ends the walk. Every candidate is tried from the exact faulting state, so
 * earlier instructions' effects are not replayed; a step only tells where
 * the next instruction is. The flags at the fault are not those of earlier
 * conditional branches, so each step is also tried under other flag values
 * and every successor is explored. Steps probe with `probe` (an access that
 * stays unmapped; every other access gets a zero page). edge(from, to) sees
 * every successor found.
 */
function bfs<T>(
  { scratch, ctx, lo, hi }: Scratch,
  eip: number,
  probe: FaultInfo,
  visit: (pc: number) => T | undefined,
  edge?: (from: number, to: number) => void,
): T | undefined {
  const seen = new Set<number>([eip]);
  const queue = [eip];
  for (let i = 0; i < MAX_STEPS && i < queue.length; i++) {
    const pc = queue[i]!;
    scratch.restore(ctx);
    scratch.setReg('pc', pc);
    const r = visit(pc);
    if (r !== undefined) return r;
    const succ = (fl: number): number => {
      scratch.restore(ctx);
      scratch.setRegs({ pc, flags: fl });
      scratch.probeStep(probe);
      return scratch.reg('pc');
    };
    for (const n of new Set(FLAG_PROBES.map(succ))) {
      if (n === pc || n < lo || n >= hi) continue;
      edge?.(pc, n);
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return undefined;
}

function replay(cpu: UnicornCpu, f: FaultInfo, eip: number): number | undefined {
  return withScratch(cpu, eip, (s) => {
    const { scratch, ctx } = s;
    // Whether a candidate is one that one of its predecessors (found so
    // far) can have led to.
    const preds = new Map<number, Set<number>>();
    const after = (pc: number, from: CpuContext | null): { regs: Regs; ctx: CpuContext } => {
      scratch.restore(from ?? ctx);
      scratch.setReg('pc', pc);
      scratch.probeStep(f, cpu);
      return { regs: scratch.regs(), ctx: scratch.save() };
    };
    const want = cpu.regs();
    const ruledout = (p: number, c: number): boolean => {
      const once = after(p, null);
      try {
        if (once.regs.pc !== c) return true; // it neither falls nor jumps to c from here
        if (same(once.regs, want)) return false;
        const twice = after(p, once.ctx);
        twice.ctx.free();
        return same(twice.regs, once.regs); // idempotent, yet it changed the registers
      } finally {
        once.ctx.free();
      }
    };
    const fits = (c: number): boolean => c === eip || [...(preds.get(c) ?? [])].some((p) => !ruledout(p, c));
    const candidates: number[] = [];
    // A probe for no access at all finds the successors: it maps a zero
    // page for every access, so that a candidate completes too (the
    // faulting instruction may be a later one that makes the same access).
    const found = bfs(
      s,
      eip,
      NOACCESS,
      (pc) => {
        if (!scratch.probeStep(f)) return undefined;
        // The nearest that fits wins; one that does not may yet fit by a
        // predecessor found later.
        if (fits(pc)) return pc;
        candidates.push(pc);
        return undefined;
      },
      (from, to) => {
        let ps = preds.get(to);
        if (!ps) preds.set(to, (ps = new Set()));
        ps.add(from);
      },
    );
    return found ?? candidates.find(fits) ?? candidates[0];
  });
}

/** An access no instruction makes: steps that only find the next pc. */
const NOWHERE: FaultInfo = { access: 'fetch', addr: -1 };

/**
 * The pc of the instruction `is` accepts (by its bytes), nearest the stale
 * EIP by the same walk: for the instruction hooks, whose EIP is just as
 * stale (privinsn.ts). The instruction itself is never stepped.
 */
export function findInsnPc(cpu: UnicornCpu, eip: number, is: (b: Uint8Array) => boolean): number {
  try {
    return walk(cpu, eip, NOWHERE, (s, pc) => is(insnBytes(s, pc))) ?? eip;
  } catch {
    return eip;
  }
}

/** Up to 16 bytes at pc, fewer at the end of mapped memory. */
function insnBytes(s: UnicornCpu, pc: number): Uint8Array {
  for (let n = 16; n > 0; n--) {
    try {
      return s.readMem(pc, n);
    } catch {
      // shorter
    }
  }
  return new Uint8Array(0);
}

/** Breadth-first from eip: the first pc where found(scratch, pc) holds, the scratch engine at the exact state. */
function walk(cpu: UnicornCpu, eip: number, f: FaultInfo, found: (s: UnicornCpu, pc: number) => boolean): number | undefined {
  // The target access stays unmapped in the scratch engine, so the steps probe with it too.
  return withScratch(cpu, eip, (s) => bfs(s, eip, f, (pc) => (found(s.scratch, pc) ? pc : undefined)));
}
