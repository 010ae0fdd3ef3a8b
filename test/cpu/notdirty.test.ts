// The Unicorn 2.0.1 store mend (emu/cpu/notdirty.ts): what it writes into
// the library, that it applies to the system library, and that guest
// stores stay exact on both kinds of page.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { fastStores, original, replacement } from '../../emu/cpu/notdirty.ts';
import { unicorn } from '../../emu/cpu/unicorn_ffi.ts';
import { CODE, DATA, guest, le32, PROT_ALL, type Guest } from './guest.ts';

let g: Guest | undefined;
afterEach(() => {
  g?.close();
  g = undefined;
});

interface CsInsn { mnemonic: string; op_str: string }
async function disasm64(bytes: number[], at: number): Promise<string[]> {
  const m = await (createRequire(import.meta.url)('@alexaltea/capstone-js') as { default: () => Promise<any> }).default();
  const d = new m.Capstone(m.ARCH_X86, m.MODE_64);
  return (d.disasm(bytes, at) as CsInsn[]).map((i) => `${i.mnemonic} ${i.op_str}`.trim());
}

describe('notdirty: fast stores on Unicorn 2.0.1', () => {
  it('the replacement is the intended x86-64 code, the same length as what it replaces', async () => {
    const AT = 0x3bd;
    expect(replacement(0x88).length).toBe(original().length);
    expect(await disasm64(replacement(0x88), AT)).toEqual([
      'mov rsi, qword ptr [rsp + 8]',
      'cmp byte ptr [rsi + 0x30], 0',
      'jne 0x3e1',
      'mov rax, qword ptr [rsi + 0x10]',
      'test byte ptr [rax + 0x88], 4',
      'je 0x3dc',
      'or r9, 0x400',
      'jmp 0x12f',
      'mov r9, r13',
      'or r9, 0x40',
      'jmp 0x3dc',
    ]);
    expect(await disasm64(original(), AT)).toEqual([
      'test byte ptr [rsp + 0x1c], 2',
      'je 0x12f',
      'mov rsi, qword ptr [rsp + 8]',
      'or r9, 0x400',
      'cmp byte ptr [rsi + 0x30], 0',
      'je 0x12f',
      'mov r9, r13',
      'or r9, 0x40',
      'jmp 0x12f',
    ]);
  });

  it('applies to the system library (Debian 2.0.1)', () => {
    // Another library (P9EMU_LIBUNICORN) may legitimately not match.
    if (!process.env.P9EMU_LIBUNICORN) expect(fastStores(unicorn())).toBe(true);
  });

  it('stores to a page without exec land, loop after loop', () => {
    // MOVL $1000, CX; loop: MOVL CX, DATA(CX*4)... kept simple: ADDL CX, DATA; DECL CX; JNE loop; INT $64
    g = guest([0xb9, ...le32(1000), 0x01, 0x0d, ...le32(DATA), 0x49, 0x75, 0xf7, 0xcd, 0x40]);
    g.cpu.onSyscall(() => g!.cpu.stop());
    expect(g.cpu.run()).toEqual({ kind: 'stopped' });
    expect(g.dv.getUint32(0, true)).toBe(500500);
  });

  it('a store into code on an executable page still drops the stale translation', () => {
    // loop twice over: MOVL $1, AX (imm patched to 7 by the first pass); MOVB $7, CODE+1; DECL CX; JNE loop
    g = guest([0xb9, ...le32(2), 0xb8, 1, 0, 0, 0, 0xc6, 0x05, ...le32(CODE + 6), 7, 0x49, 0x75, 0xf1, 0xcd, 0x40], PROT_ALL);
    g.cpu.onSyscall(() => g!.cpu.stop());
    expect(g.cpu.run()).toEqual({ kind: 'stopped' });
    expect(g.cpu.reg('ax')).toBe(7);
  });
});
