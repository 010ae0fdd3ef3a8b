// One TLB flush for an unmapped region, not one per page.
//
// Unicorn 2.0.1's memory_unmap (qemu/softmmu/memory.c) calls tlb_flush_page
// for every page of the region it drops, each also clearing two 64-entry
// pieces of the jump cache: a 16 MiB stack costs 0.23 ms, a Go program's
// 1 GiB bss ~14 ms, every time a process's engine is emptied for the next
// one (enginepool.ts) or a large segment goes. tlb_flush drops every entry
// of the TLB and the jump cache at once (a few memsets of the tables). The
// mend puts a call of tlb_flush_x86_64 and a jump past the loop at the
// loop's start. A flush of everything is a superset of the pages' flushes:
// the TLB is a cache of the mappings, so nothing the guest sees changes.
//
// The 76 bytes from the function's start to the end of the loop are checked
// first; any other build is left alone (P9EMU_UNMAPFLUSH=page leaves it
// alone too).

import type { UcLib } from './unicorn_ffi.ts';
import { hexBytes, le32, libsym, mendAt, mendOnce } from './libsym.ts';

/**
 * memory_unmap_x86_64 of the Debian bookworm 2.0.1 build, +0 to +0x4c: the
 * prologue, `mov 0x180(%rdi),%rdi` (uc->cpu), its null test, then the loop
 * over the region's pages from `mov 0x40(%rsi),%rbx` (mr->addr) at +0x16.
 */
const CODE = '41544989fc554889f553488bbf800100004885ff7436488b5e40483b9e90000000720deb270f1f00498bbc24800100004889de' +
  'e88887fdff418b8424600700004801c3483b9d9000000072dc';
/** Where the loop starts; uc->cpu is in %rdi there, and %rsp is 16-byte aligned (three pushes). */
export const AT = 0x16;
/** Past the loop: memory_region_del_subregion's arguments are loaded from %r12 and %rbp. */
const PAST = 0x4c;

/** call tlb_flush_x86_64 (rel32 from +0x1b); jmp +PAST (rel8 from +0x1d). */
export function flushCall(fn: bigint, flush: bigint): number[] {
  const rel = Number(flush - (fn + BigInt(AT + 5)));
  return [0xe8, ...le32(rel), 0xeb, PAST - (AT + 7)];
}

/** Mend the library once per process; true when memory_unmap flushes the TLB once. */
export const unmapFlush = mendOnce((L: UcLib): boolean => {
  if (process.env.P9EMU_UNMAPFLUSH === 'page') return false;
  const fn = libsym(L, 'memory_unmap_x86_64');
  const flush = libsym(L, 'tlb_flush_x86_64');
  if (fn === null || flush === null) return false;
  return mendAt(L, fn, hexBytes(CODE), AT, flushCall(fn, flush));
});
