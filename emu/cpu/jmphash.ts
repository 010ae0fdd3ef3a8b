// A better hash for the jump cache of Unicorn 2.0.1's indirect-jump lookup.
//
// Every RET, and every CALL or JMP through a register or memory, ends its
// block in helper_lookup_tb_ptr, which looks the target pc up in the CPU's
// 4096-entry jump cache (tb_jmp_cache) before the slow path
// (tb_htable_lookup: the code page's RAM address, then a qht lookup).
// QEMU 5's index, tb_jmp_cache_hash_func (qemu/include/exec/tb-hash.h),
// keeps 64 slots per page, (pc ^ pc>>6) & 63 within it, and 64 groups of
// pages: the return sites of a function that calls a lot (Go's
// feSquareGeneric calls bits.Mul64 25 times) and of the pages that share
// its group evict one another. The mend replaces the helper's index with a
// multiplicative (Fibonacci) hash of the whole pc: (pc * 0x9e3779b1) >> 20.
//
// Only the helper's own lookup and its fill on a miss use the new index;
// tb_find (cpu_exec's lookup) fills and reads QEMU's. That stays exact
// because a slot is never trusted: the helper compares the entry's pc,
// cs_base, flags and cflags (CF_INVALID included) before using it, so an
// entry at any slot is either the right block or a miss. What the other
// index's clears would drop is covered the same way: tb_phys_invalidate
// marks the block CF_INVALID (it clears only QEMU's slot), tb_flush and a
// full TLB flush clear the whole cache, and the per-page clear on a
// single-page TLB flush (tb_flush_jmp_cache) matters only when a page's
// mapping changes under its blocks, which p9emu never lets happen without
// dropping them (UnicornCpu.unmap/invalidate, as pagechain.ts relies on).
//
// Every byte of the helper is checked first; any other build is left alone
// (P9EMU_JMPHASH=qemu leaves it alone too).

import type { UcLib } from './unicorn_ffi.ts';
import { hexBytes, libsym, mendAt, mendOnce } from './libsym.ts';

/** helper_lookup_tb_ptr_x86_64 of the Debian bookworm 2.0.1 build, whole (0xd4 bytes). */
const HELPER = '41545553488b87d879ffff4889fb448b8744faffff4c8ba758faffff488b90d8000000488bb0800000008b8888000000' +
  '41c1e0184801d681e1003107000b88b00000004889f048c1e8064831f04889c583e03f48c1ed0681e5c00f000009c548' +
  '8b84efe879ffff4885c07434483b30752f483b500875293b481075248b781c483bbb38faffff75188b781881e7ffff0e' +
  'ff4139f8750a5b488b40205d415cc390488dbbb078ffffe84448fbff4885c0740f488984ebe879ffffebdb0f1f440000' +
  '498b8424c00200005b5d415c488b8098000000c3';

/**
 * At +0x43, with the pc in %rsi, the 28 bytes from `mov %rsi,%rax` to
 * `or %eax,%ebp` compute QEMU's index into %rbp (the cache is then read at
 * -0x8618(%rdi,%rbp,8), and written there on a miss). The same index from
 * the new hash: imul $0x9e3779b1,%esi,%ebp; shr $20,%ebp (a 32-bit result,
 * so %rbp's upper half is zero); then 19 bytes of nops.
 */
const AT = 0x43;
const HASH = '69eeb179379e' + 'c1ed14' + '0f1f840000000000' + '0f1f840000000000' + '0f1f00';

/** Mend the library once per process; true when the helper uses the new index. */
export const jmpHash = mendOnce((L: UcLib): boolean => {
  if (process.env.P9EMU_JMPHASH === 'qemu') return false;
  const fn = libsym(L, 'helper_lookup_tb_ptr_x86_64');
  if (fn === null) return false;
  return mendAt(L, fn, hexBytes(HELPER), AT, hexBytes(HASH));
});
