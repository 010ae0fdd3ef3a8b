// The instruction trace: a code hook on every process's CPU, limited to an
// address range, emitting address, bytes, disassembly, symbol+offset and
// (optionally) the registers the previous traced instruction changed.
// Nothing of this exists in a run that does not ask for 'insn'.

import type { Proc } from '../port/proc.ts';
import type { Regs } from '../cpu/cpu.ts';
import { GPRS } from '../cpu/cpu.ts';
import { addCodeHook } from '../cpu/codehook.ts';
import { disassembler, type Syntax } from './disasm.ts';
import type { Symtab } from './symtab.ts';

export interface InsnOptions {
  /** A text symbol or ADDR-ADDR (hex, inclusive); everything when absent. */
  range?: string;
  syntax?: Syntax;
  /** Add the registers changed since the previous traced instruction. */
  regs?: boolean;
}

/** [begin, end] (inclusive) of an --insn-range, or an Error message. */
export function parseRange(spec: string, syms: Symtab | null): [number, number] {
  const m = /^(?:0x)?([0-9a-f]+)-(?:0x)?([0-9a-f]+)$/i.exec(spec);
  if (m) {
    const r: [number, number] = [parseInt(m[1]!, 16), parseInt(m[2]!, 16)];
    if (r[1] < r[0]) throw new Error(`--insn-range: '${spec}' ends before it starts`);
    return r;
  }
  const r = syms?.range(spec);
  if (!r) throw new Error(`--insn-range: '${spec}' is neither a text symbol nor ADDR-ADDR`);
  return [r[0], r[1] - 1];
}

/**
 * A function to run on each new process's CPU (Plan9.cpuhooks): it adds
 * the code hook. Loads capstone first, so it is async.
 */
export async function insnTracer(symsFor: (p: Proc) => Symtab | null, o: InsnOptions, first: Symtab | null): Promise<(p: Proc) => void> {
  const dis = await disassembler(o.syntax ?? 'intel');
  const [begin, end] = o.range ? parseRange(o.range, first) : [1, 0];
  return (p) => {
    const syms = symsFor(p);
    let prev: Regs | null = null;
    addCodeHook(p.cpu, begin, end, (pc, size) => {
      const trace = p.kernel.trace;
      if (!trace.insn) return;
      const bytes = p.as.okaddr(pc, size, false) ? p.as.read(pc, size) : new Uint8Array(0);
      const d = dis.one(bytes, pc);
      let regs: Record<string, number> | undefined;
      if (o.regs) {
        const now = p.cpu.regs();
        regs = {};
        for (const r of GPRS) if (r !== 'pc' && (prev === null || prev[r] !== now[r])) regs[r] = now[r];
        prev = now;
      }
      trace.emit({
        kind: 'insn', pid: p.pid, pc, bytes: Buffer.from(bytes).toString('hex'),
        asm: d?.text ?? '(bad)', sym: syms?.name(pc) ?? '', ...(regs ? { regs } : {}),
      });
    });
  };
}
