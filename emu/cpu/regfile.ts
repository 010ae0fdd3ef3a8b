// The engine's general registers as memory, for the system call path.
//
// Every uc_reg_read/uc_reg_write is a koffi call (~40 ns each), and a
// Plan 9 system call needs at least three: AX and SP in, AX out. For the
// eight general registers those calls do nothing but copy a word of
// CPUX86State.regs[] (x86_reg_read/x86_reg_write in Unicorn's
// qemu/target/i386/unicorn.c: READ_DWORD/WRITE_DWORD, with no side effect
// unless the register is EIP or IP). That array is the live register file
// whenever JavaScript runs: between runs, and inside hooks, where QEMU has
// synced its globals to env before calling out. So a view onto it serves
// the same values with no call at all.
//
// Finding it: x86_reg_read_x86_64 (exported by the Debian build) starts
//     mov OFF_CPU(%rdi),%rax        ; uc->cpu
//     ... lea OFF_ENV(%rax),%r13    ; &X86_CPU(uc->cpu)->env
// and regs[] opens CPUX86State (qemu/target/i386/cpu.h), 16 × 8 bytes.
// Both offsets are read from those instructions, then the view is proved
// by round trips through the API in both directions for all eight
// registers. Anything unexpected gives null, and the caller keeps using
// the API. P9EMU_REGS=ffi turns it off.

import type { UcLib } from './unicorn_ffi.ts';
import { X86 } from './unicorn_ffi.ts';
import { libbytes, libsym } from './libsym.ts';

/** Index of a general register's low dword in the view (regs[] order: AX CX DX BX SP BP SI DI). */
export const GPR = { ax: 0, cx: 2, dx: 4, bx: 6, sp: 8, bp: 10, si: 12, di: 14 } as const;
export type Gpr = keyof typeof GPR;

const IDS: Record<Gpr, number> = {
  ax: X86.eax, cx: X86.ecx, dx: X86.edx, bx: X86.ebx, sp: X86.esp, bp: X86.ebp, si: X86.esi, di: X86.edi,
};

const disabled = process.env.P9EMU_REGS === 'ffi';

type Offsets = { cpu: number; env: number } | null;
let known: Offsets | undefined;  // one library per process: read its code once

/** Offsets of uc->cpu and of env in the CPU object, from the reader's code; null if it is not the expected shape. */
function offsets(L: UcLib): Offsets {
  if (known === undefined) known = readOffsets(L);
  return known;
}

function readOffsets(L: UcLib): Offsets {
  const fn = libsym(L, 'x86_reg_read_x86_64');
  if (fn === null) return null;
  const b = libbytes(L, fn, 48);
  const d32 = (i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
  // mov disp32(%rdi),%rax
  if (b[0] !== 0x48 || b[1] !== 0x8b || b[2] !== 0x87) return null;
  const cpu = d32(3);
  // The first lea disp32(%rax),%reg after it.
  for (let i = 7; i + 7 <= b.length; i++) {
    if ((b[i] === 0x48 || b[i] === 0x4c) && b[i + 1] === 0x8d && (b[i + 2]! & 0xc7) === 0x80) {
      const env = d32(i + 3);
      return cpu > 0 && cpu < 0x10000 && env >= 0 && env < 0x100000 ? { cpu, env } : null;
    }
  }
  return null;
}

/**
 * A live view of the engine's regs[] as 32 uint32 (the low dword of
 * register i at 2i; see GPR), or null when it cannot be proved. The engine
 * must already be initialised (any register write does that) and the view
 * must not be touched after uc_close.
 */
export function regfile(L: UcLib, uc: bigint): Uint32Array | null {
  if (disabled) return null;
  const env = envAddress(L, uc);
  if (env === null) return null;
  const regs = new Uint32Array(L.koffi.view(env as never, 16 * 8) as ArrayBuffer);
  return proved(L, uc, regs) ? regs : null;
}

/** Address of the engine's CPUX86State (regs[] first, then eip), unproved; null if the reader's code is not the expected shape. */
export function envAddress(L: UcLib, uc: bigint): bigint | null {
  if (process.arch !== 'x64') return null;
  const off = offsets(L);
  if (off === null) return null;
  const cpu = new BigUint64Array(L.koffi.view((uc + BigInt(off.cpu)) as never, 8) as ArrayBuffer)[0]!;
  return cpu === 0n ? null : cpu + BigInt(off.env);
}

/** Writes through the API show in the view, and writes to the view show through the API; the registers are left as found. */
function proved(L: UcLib, uc: bigint, regs: Uint32Array): boolean {
  const k = L.koffi;
  const scratch = k.address(k.alloc('uint8_t', 8)) as bigint;
  const u32 = new Uint32Array(k.view(scratch as never, 8) as ArrayBuffer);
  const read = (id: number) => {
    u32[0] = 0; u32[1] = 0;
    L.uc_reg_read(uc, id, scratch);
    return u32[0]!;
  };
  const write = (id: number, v: number) => {
    u32[0] = v; u32[1] = 0;
    L.uc_reg_write(uc, id, scratch);
  };
  const names = Object.keys(GPR) as Gpr[];
  const saved = names.map((r) => read(IDS[r]));
  let ok = true;
  try {
    names.forEach((r, i) => write(IDS[r], (0x5a3c0f00 + i * 0x01010101) >>> 0));
    names.forEach((r, i) => { ok &&= regs[GPR[r]] === (0x5a3c0f00 + i * 0x01010101) >>> 0; });
    names.forEach((r, i) => { regs[GPR[r]] = (0xa5c3f011 + i * 0x00100101) >>> 0; });
    names.forEach((r, i) => { ok &&= read(IDS[r]) === (0xa5c3f011 + i * 0x00100101) >>> 0; });
  } finally {
    names.forEach((r, i) => write(IDS[r], saved[i]!));
    k.free(scratch as never);
  }
  return ok;
}
