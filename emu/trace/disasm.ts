// x86 disassembly for the instruction trace, through capstone (WASM),
// in Intel syntax or in Plan 9/Go operand order (source first, Go register
// names: MOVL 4(SP), AX). Loaded only when an instruction trace is asked for.

import { createRequire } from 'node:module';

export type Syntax = 'intel' | 'plan9';

export interface Disassembler {
  /** The first instruction of `bytes` (at address pc), or null if invalid. */
  one(bytes: Uint8Array, pc: number): { size: number; text: string } | null;
}

interface CsInsn { size: number; mnemonic: string; op_str: string }
interface CsHandle { disasm(b: number[] | Uint8Array, addr: number, count?: number): CsInsn[]; option(o: number, v: number): void }
interface CsModule { Capstone: new (arch: number, mode: number) => CsHandle; ARCH_X86: number; MODE_32: number; OPT_SYNTAX: number; OPT_SYNTAX_ATT: number }

let cs: Promise<CsModule> | undefined;

function capstone(): Promise<CsModule> {
  if (!cs) {
    const require = createRequire(import.meta.url);
    const m = require('@alexaltea/capstone-js') as { default: () => Promise<CsModule> };
    cs = m.default();
  }
  return cs;
}

const REG32: Record<string, string> = {
  eax: 'AX', ebx: 'BX', ecx: 'CX', edx: 'DX', esi: 'SI', edi: 'DI', ebp: 'BP', esp: 'SP',
  ax: 'AX', bx: 'BX', cx: 'CX', dx: 'DX', si: 'SI', di: 'DI', bp: 'BP', sp: 'SP',
  al: 'AL', bl: 'BL', cl: 'CL', dl: 'DL', ah: 'AH', bh: 'BH', ch: 'CH', dh: 'DH',
};

function reg(r: string): string {
  return REG32[r] ?? r.toUpperCase();
}

/** AT&T operands to Go's: %eax → AX, 4(%esp,%eax,4) → 4(SP)(AX*4), *%eax → AX. */
export function plan9Operands(op: string): string {
  return op
    .replace(/\((?:%(\w+))?(?:,\s*%(\w+)(?:,\s*(\d))?)?\)/g, (_m, base?: string, idx?: string, sc?: string) =>
      (base ? `(${reg(base)})` : '') + (idx ? `(${reg(idx)}*${sc ?? '1'})` : ''))
    .replace(/%(\w+)/g, (_m, r: string) => reg(r))
    .replace(/^\*/, '');
}

/** AT&T mnemonics to Go's: calll → CALL, retl → RET, jmp → JMP, movl → MOVL. */
export function plan9Mnemonic(m: string): string {
  const u = m.toUpperCase();
  if (u === 'CALLL' || u === 'RETL' || u === 'JMPL' || u === 'LJMPL') return u.slice(0, -1);
  return u;
}

export async function disassembler(syntax: Syntax): Promise<Disassembler> {
  const m = await capstone();
  const d = new m.Capstone(m.ARCH_X86, m.MODE_32);
  if (syntax === 'plan9') d.option(m.OPT_SYNTAX, m.OPT_SYNTAX_ATT);
  const cache = new Map<string, { size: number; text: string }>();
  return {
    one(bytes, pc) {
      const key = `${pc}:${Buffer.from(bytes).toString('hex')}`;
      const hit = cache.get(key);
      if (hit) return hit;
      let i: CsInsn | undefined;
      try {
        [i] = d.disasm(Array.from(bytes), pc, 1);
      } catch {
        return null;  // capstone.js throws for bytes that are no instruction
      }
      if (!i) return null;
      const text = syntax === 'plan9'
        ? `${plan9Mnemonic(i.mnemonic)} ${plan9Operands(i.op_str)}`.trim()
        : `${i.mnemonic} ${i.op_str}`.trim();
      const r = { size: i.size, text };
      cache.set(key, r);
      return r;
    },
  };
}
