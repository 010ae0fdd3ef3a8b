// The fault-pc hook entry (emu/cpu/syncpc.ts): the host code it runs, and
// that it applies to the system library.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { STUB, stubPage, syncPcHook } from '../../emu/cpu/syncpc.ts';
import { unicorn } from '../../emu/cpu/unicorn_ffi.ts';

interface CsInsn { mnemonic: string; op_str: string }
async function disasm64(bytes: number[] | Uint8Array, at: number): Promise<string[]> {
  const m = await (createRequire(import.meta.url)('@alexaltea/capstone-js') as { default: () => Promise<any> }).default();
  const d = new m.Capstone(m.ARCH_X86, m.MODE_64);
  return (d.disasm(Array.from(bytes), at) as CsInsn[]).map((i) => `${i.mnemonic} ${i.op_str}`.trim());
}

describe('syncpc: the fault pc restored before the hook', () => {
  it('the stub is the intended x86-64 code', async () => {
    const page = stubPage(0x1122334455n, 0x180, 0x10000n, 0x20000n);
    expect(await disasm64(page.subarray(0, STUB.length - 2), 0)).toEqual([
      'mov rax, qword ptr [rsp]',
      'lea r10, [rip + 0x55]',
      'mov r11, qword ptr [r10]',
      'test r11, r11',
      'je 0x53',
      'add r10, 0x10',
      'cmp r11, rax',
      'jne 0xb',
      'mov r11, qword ptr [r10 - 8]',
      'mov r11, qword ptr [rsp + r11]',
      'test r11, r11',
      'je 0x53',
      'push rdi', 'push rsi', 'push rdx', 'push rcx', 'push r8', 'push r9',
      'sub rsp, 8',
      'mov rdi, qword ptr [rdi + 0x180]',
      'mov rsi, r11',
      'xor edx, edx',
      'call qword ptr [rip + 0x11]',
      'add rsp, 8',
      'pop r9', 'pop r8', 'pop rcx', 'pop rdx', 'pop rsi', 'pop rdi',
      'jmp r9',
    ]);
    const q = new DataView(page.buffer);
    expect(q.getBigUint64(0x58, true)).toBe(0x1122334455n); // 0x47 + 0x11: cpu_restore_state
    // The sites table at 0x60 (0x0b + 0x55): load_helper's four, store_helper's two, then 0.
    const sites = [...Array(7)].map((_, i) => [q.getBigUint64(0x60 + 16 * i, true), q.getBigUint64(0x68 + 16 * i, true)]);
    expect(sites).toEqual([
      [0x10174n, 0x40n], [0x102b4n, 0x40n], [0x10454n, 0x40n], [0x105a4n, 0x40n],
      [0x20145n, 0x38n], [0x20255n, 0x38n], [0n, 0n],
    ]);
  });

  it('applies to the system library (Debian 2.0.1), unless P9EMU_FAULTPC=infer turns it off', () => {
    // Another library (P9EMU_LIBUNICORN) may legitimately not match.
    if (process.env.P9EMU_FAULTPC === 'infer') expect(syncPcHook(unicorn())).toBeNull();
    else if (!process.env.P9EMU_LIBUNICORN) expect(syncPcHook(unicorn())).not.toBeNull();
  });
});
