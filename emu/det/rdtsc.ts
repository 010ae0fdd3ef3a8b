// RDTSC under --deterministic. Unicorn 2.0.1 answers RDTSC from the host's
// clock and cannot hook the instruction (UC_HOOK_INSN takes RDTSC only
// from 2.1), and Go's runtime reads it (cputicks: fastrand seeds, the
// scheduler). So each RDTSC of the program is found ahead of time, and a
// code hook on the instruction after it replaces EDX:EAX with a virtual
// count before anything reads them.

import type { Plan9 } from '../port/kernel.ts';
import type { Proc } from '../port/proc.ts';
import { parseAout, HDRSZ, UTZERO } from '../aout.ts';
import { addCodeHook } from '../cpu/codehook.ts';
import { disassembler } from '../trace/disasm.ts';
import { textSymbols } from '../abi/reach.ts';

/** Addresses of the RDTSC instructions in an a.out's text (found by disassembling the symbols that hold 0F 31). */
export async function rdtscSites(image: Uint8Array): Promise<number[]> {
  const text = parseAout(image).text;
  const base = UTZERO + HDRSZ;
  const syms = textSymbols(image);
  const candidates = new Set<number>();
  for (let i = 0; i + 1 < text.length; i++) {
    if (text[i] === 0x0f && text[i + 1] === 0x31) {
      const s = syms.find((x) => x.addr <= base + i && base + i < x.end);
      if (s) candidates.add(s.addr);
    }
  }
  if (candidates.size === 0) return [];
  const dis = await disassembler('intel');
  const sites: number[] = [];
  for (const start of candidates) {
    const s = syms.find((x) => x.addr === start)!;
    for (let pc = s.addr; pc < s.end; ) {
      const off = pc - base;
      const d = dis.one(text.subarray(off, off + 15), pc);
      if (!d) break;
      if (d.text === 'rdtsc') sites.push(pc);
      pc += d.size;
    }
  }
  return sites.sort((a, b) => a - b);
}

/**
 * The per-CPU hook: after each RDTSC, EDX:EAX = twice the virtual ns since
 * boot plus a read count (a property of the hook, so that a snapshot of
 * the machine saves it).
 */
export function virtualTsc(k: Plan9, sites: readonly number[]): ((p: Proc) => void) & { state: { reads: bigint } } {
  const state = { reads: 0n };
  return Object.assign((p: Proc) => {
    for (const at of sites) {
      addCodeHook(p.cpu, at + 2, at + 2, () => {
        const t = BigInt(k.uptime()) * 2n + ++state.reads;
        p.cpu.setReg('ax', Number(t & 0xffffffffn));
        p.cpu.setReg('dx', Number((t >> 32n) & 0xffffffffn));
      });
    }
  }, { state });
}
