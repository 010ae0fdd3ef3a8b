// The pc to report for a memory fault.
//
// Unicorn 2.0.1 does not restore EIP before calling the invalid-memory
// hooks (fixed upstream in 2.1.4, commits 4a13bc7c/b999f507): EIP is left at
// the start of the last block entered through the dispatcher, which for
// chained blocks can even be an earlier block. The registers, however, are
// exact: the state just before the faulting instruction.
//
// So the faulting instruction can be found by probing: in a scratch engine
// holding copies of the code pages, walk the instructions from the stale
// pc, and execute each one alone from that exact state. Its memory accesses
// hit scratch zero pages, except an access equal to the fault (kind and
// address), which identifies the instruction. Limits: conditional branches
// are followed both ways (the flags at the fault are not those of earlier
// branches), nearest first, so an instruction closer to the stale pc that
// would make the same access from the current registers (e.g. `MOVL (AX),
// AX` twice) is picked first.
// Faults are rare, so the cost (a scratch engine per fault) does not matter.

import type { UnicornCpu } from './unicorn.ts';
import { unicornAlloc } from './hostmem.ts';
import type { HostMem } from './cpu.ts';

export interface FaultInfo {
  access: 'read' | 'write' | 'fetch';
  addr: number;
}

const MAX_STEPS = 1024;
/**
 * EFLAGS values under which every Jcc goes both ways: none set, all of
 * CF PF AF ZF SF OF set (every condition but L/NL flips), and SF alone
 * (flips L/NL).
 */
const FLAG_PROBES = [0, 0x8d5, 0x80];

/** Best pc for a fault given EIP as Unicorn left it. */
export function refineFaultPc(cpu: UnicornCpu, f: FaultInfo, eip: number): number {
  if (f.access === 'fetch') {
    // A fetch fault stops with EIP at the instruction being fetched; if the
    // instruction straddles into the bad page, EIP is its start.
    return f.addr >= eip && f.addr - eip < 16 ? eip : f.addr;
  }
  try {
    return walk(cpu, eip, f, (s) => s.probeStep(f)) ?? eip;
  } catch {
    return eip; // best effort only
  }
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
  // Constructed lazily to avoid an import cycle at load time.
  const Scratch = cpu.constructor as new () => UnicornCpu;
  const scratch = new Scratch();
  const mems: HostMem[] = [];
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
    }
    // Every candidate is tried from the exact faulting state, so earlier
    // instructions' effects are not replayed; a step only tells where the
    // next instruction is. The flags at the fault are not those of earlier
    // conditional branches, so each step is also tried under other flag
    // values and every successor is explored, breadth first: the nearest
    // instruction that makes the faulting access wins.
    const seen = new Set<number>([eip]);
    const queue = [eip];
    for (let i = 0; i < MAX_STEPS && i < queue.length; i++) {
      const pc = queue[i]!;
      scratch.restore(ctx);
      scratch.setReg('pc', pc);
      if (found(scratch, pc)) return pc;
      // The target access stays unmapped in the scratch engine (a probe
      // maps a zero page for every other access), so probe with it too.
      const succ = (fl: number): number => {
        scratch.restore(ctx);
        scratch.setRegs({ pc, flags: fl });
        scratch.probeStep(f);
        return scratch.reg('pc');
      };
      const next = new Set(FLAG_PROBES.map(succ));
      for (const n of next) {
        if (n !== pc && n >= lo && n < hi && !seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
      }
    }
    return undefined;
  } finally {
    ctx.free();
    scratch.close();
    for (const m of mems) m.free();
  }
}
