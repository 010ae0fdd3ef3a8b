// Fast guest stores on Unicorn 2.0.1.
//
// In 2.0.1 every store to guest RAM takes the slow path: the softmmu TLB
// entry of every writable page carries TLB_NOTDIRTY
// (tlb_set_page_with_attrs, qemu/accel/tcg/cputlb.c), because Unicorn
// stubs cpu_physical_memory_is_clean() to "true"; notdirty_write then
// looks for translated code to invalidate on each store
// (tb_invalidate_phys_page_fast, with a GTree built and freed per store).
// A store loop runs at ~30 MIPS against ~1500 for loads. Upstream fixed it
// in 2.1.0 (d0103576) with the rule "only pages of regions mapped with
// UC_PROT_EXEC need the check".
//
// The same rule, applied to the 2.0.1 build in memory. In
// tlb_set_page_with_attrs_x86_64 the 45 bytes
//     testb $PAGE_WRITE,prot ; je out ; mov section,%rsi ; or $TLB_NOTDIRTY,%r9
//     cmpb $0,readonly(%rsi) ; je out ; mov %r13,%r9 ; or $TLB_DISCARD_WRITE,%r9 ; jmp out
// become
//     mov section,%rsi ; cmpb $0,readonly(%rsi) ; jne discard
//     mov mr(%rsi),%rax ; testb $UC_PROT_EXEC,perms(%rax) ; je out
//     or $TLB_NOTDIRTY,%r9 ; out: jmp back
//     discard: mov %r13,%r9 ; or $TLB_DISCARD_WRITE,%r9 ; jmp out
// (the PAGE_WRITE test can go: with paging off every page is writable to
// the softmmu, and the caller replaces write_address by -1 otherwise).
// Stores to pages mapped without exec get plain TLB entries; pages of
// executable regions keep the flag, so a store into code still drops the
// stale translation (self-modifying code stays exact). The kernel maps
// data, bss and stack without exec and grants it on the first instruction
// fetch there (emu/386/trap.ts): Plan 9 386 has no no-execute bit.
//
// Every byte is checked first (the function, the jump targets, the
// MemoryRegion.perms offset read from uc_mem_regions); anything else
// leaves the library alone and stores stay slow but correct.

import type { UcLib } from './unicorn_ffi.ts';
import { libbytes, libsym, mendOnce, patchBytes } from './libsym.ts';

/** Where the guard sits in the Debian bookworm 2.0.1 build (x86-64). */
const AT = 0x3bd, BACK = 0x12f, LEN = 45;

const ORIG = [
  0xf6, 0x44, 0x24, 0x1c, 0x02,             // testb $0x2,0x1c(%rsp)
  0x0f, 0x84, -1, -1, -1, -1,               // je BACK
  0x48, 0x8b, 0x74, 0x24, 0x08,             // mov 0x8(%rsp),%rsi
  0x49, 0x81, 0xc9, 0x00, 0x04, 0x00, 0x00, // or $0x400,%r9
  0x80, 0x7e, 0x30, 0x00,                   // cmpb $0x0,0x30(%rsi)
  0x0f, 0x84, -1, -1, -1, -1,               // je BACK
  0x4d, 0x89, 0xe9,                         // mov %r13,%r9
  0x49, 0x83, 0xc9, 0x40,                   // or $0x40,%r9
  0xe9, -1, -1, -1, -1,                     // jmp BACK
];

function rel32(from: number, to: number): number[] {
  const v = (to - from) | 0;
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

/** The original bytes, with the three jumps back resolved. */
export function original(): number[] {
  const o = ORIG.slice();
  o.splice(7, 4, ...rel32(AT + 11, BACK));
  o.splice(29, 4, ...rel32(AT + 33, BACK));
  o.splice(41, 4, ...rel32(AT + 45, BACK));
  return o;
}

/** The replacement; `perms` is offsetof(MemoryRegion, perms). */
export function replacement(perms: number): number[] {
  const r = [
    0x48, 0x8b, 0x74, 0x24, 0x08,             //  0 mov 0x8(%rsp),%rsi
    0x80, 0x7e, 0x30, 0x00,                   //  5 cmpb $0x0,0x30(%rsi)
    0x75, 36 - 11,                            //  9 jne discard
    0x48, 0x8b, 0x46, 0x10,                   // 11 mov 0x10(%rsi),%rax   (section->mr)
    0xf6, 0x80, ...rel32(0, perms), 0x04,     // 15 testb $0x4,perms(%rax)
    0x74, 31 - 24,                            // 22 je out
    0x49, 0x81, 0xc9, 0x00, 0x04, 0x00, 0x00, // 24 or $0x400,%r9
    0xe9, ...rel32(AT + 36, BACK),            // 31 out: jmp BACK
    0x4d, 0x89, 0xe9,                         // 36 discard: mov %r13,%r9
    0x49, 0x83, 0xc9, 0x40,                   // 39 or $0x40,%r9
    0xeb, (31 - 45) & 0xff,                   // 43 jmp out
  ];
  if (r.length !== LEN) throw new Error('notdirty: replacement length');
  return r;
}

/** offsetof(MemoryRegion, perms), read from uc_mem_regions: `movq 0x40(%rcx),%xmm0; mov d32(%rcx),%ecx`. */
function permsOffset(L: UcLib): number | null {
  const fn = libsym(L, 'uc_mem_regions');
  if (fn === null) return null;
  const code = libbytes(L, fn, 0x100);
  for (let i = 0; i + 11 <= code.length; i++) {
    if (code[i] === 0xf3 && code[i + 1] === 0x0f && code[i + 2] === 0x7e && code[i + 3] === 0x41 && code[i + 4] === 0x40 &&
        code[i + 5] === 0x8b && code[i + 6] === 0x89) {
      const off = code[i + 7]! | (code[i + 8]! << 8) | (code[i + 9]! << 16) | (code[i + 10]! << 24);
      return off > 0 && off < 0x1000 ? off : null;
    }
  }
  return null;
}

/** Mend the library once per process; true when stores to non-exec pages are fast. P9EMU_NOTDIRTY=slow opts out. */
export const fastStores = mendOnce((L: UcLib): boolean => {
  if (process.env.P9EMU_NOTDIRTY === 'slow') return false;
  const fn = libsym(L, 'tlb_set_page_with_attrs_x86_64');
  const perms = permsOffset(L);
  if (fn === null || perms === null) return false;
  const code = libbytes(L, fn + BigInt(AT), LEN);
  const want = replacement(perms);
  if (want.every((b, i) => code[i] === b)) return true; // mended already
  if (!original().every((b, i) => code[i] === b)) return false;
  return patchBytes(L, fn + BigInt(AT), Uint8Array.from(want));
});
