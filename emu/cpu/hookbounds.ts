// Block hooks on a few addresses, each called only for its own blocks.
//
// Unicorn 2.0.1 emits a block's hook call in translator_loop through
// gen_uc_tracecode (qemu/include/tcg/tcg-op.h): with exactly one block
// hook the block calls it directly (inline); with more, it calls
// helper_uc_tracecode, which walks every block hook of the engine and
// checks each one's range, on every execution of the block. With one hook
// per REP site (repstring.ts), each element of a REP loop then paid for a
// walk over all of them (58 in a Go test binary): ~100 ns an element
// instead of 2.
//
// The mend, in translator_loop_x86_64 (Debian bookworm 2.0.1):
// - `cmpl $1,hooks_count[UC_HOOK_BLOCK]; ...; jne helper_path` loses its
//   jne (6 bytes of nop): block hooks are always inline;
// - the inline loop's `cmpb $0,0x14(%r14)` (hook->to_delete) becomes a
//   call to 51 bytes of our own code (on a page within rel32 reach) that
//   also skips hooks whose [begin, end] misses the block's pc
//   (HOOK_BOUND_CHECK, with db->pc_first read from the caller's frame).
// A block then calls exactly the hooks that cover it, directly. Every
// byte is checked first; otherwise nothing changes and the walk stays.

import type { UcLib } from './unicorn_ffi.ts';
import { codePage, libbytes, libsym, mendOnce, patchBytes, sameBytes as same } from './libsym.ts';

/** jne helper_path, after `cmpl $0x1,0x4b4(%rax)` (hooks_count[UC_HOOK_BLOCK_IDX]) at +0x178. */
const COUNT_AT = 0x178, JNE_AT = 0x189;
const COUNT = [0x83, 0xb8, 0xb4, 0x04, 0x00, 0x00, 0x01];
const JNE = [0x0f, 0x85, 0xe1, 0x04, 0x00, 0x00];
const NOP6 = [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00];
/** The inline loop: mov 0x8(%r12),%r14; cmpb $0,0x14(%r14); jne next; mov 0x30(%r14),%rsi (user_data). */
const LOOP_AT = 0x1dd, TEST_AT = 0x1e2;
const LOOP = [0x4d, 0x8b, 0x74, 0x24, 0x08, 0x41, 0x80, 0x7e, 0x14, 0x00, 0x75, 0xe7, 0x49, 0x8b, 0x76, 0x30];
/** Where the loop saved db (mov %r13,0x40(%rsp)) before entering it. */
const DB_AT = 0x1c3, DB = [0x4c, 0x89, 0x6c, 0x24, 0x40];

/** ZF set when hook %r14 is to be called for the block being translated. */
export const CHECK = Uint8Array.from([
  0x41, 0x80, 0x7e, 0x14, 0x00, //  0 cmpb $0,0x14(%r14)      to_delete
  0x75, 0x2b,                   //  5 jne ret
  0x50, 0x52,                   //  7 push %rax; push %rdx
  0x48, 0x8b, 0x44, 0x24, 0x58, //  9 mov 0x58(%rsp),%rax     db
  0x48, 0x8b, 0x40, 0x08,       // 14 mov 0x8(%rax),%rax      db->pc_first
  0x49, 0x8b, 0x56, 0x18,       // 18 mov 0x18(%r14),%rdx     begin
  0x49, 0x3b, 0x56, 0x20,       // 22 cmp 0x20(%r14),%rdx     begin > end: every address
  0x77, 0x0b,                   // 26 ja call
  0x48, 0x39, 0xd0,             // 28 cmp %rdx,%rax
  0x72, 0x0b,                   // 31 jb skip
  0x49, 0x3b, 0x46, 0x20,       // 33 cmp 0x20(%r14),%rax
  0x77, 0x05,                   // 37 ja skip
  0x5a, 0x58,                   // 39 call: pop %rdx; pop %rax
  0x39, 0xc0,                   // 41 cmp %eax,%eax           ZF=1
  0xc3,                         // 43 ret
  0x5a, 0x58,                   // 44 skip: pop %rdx; pop %rax
  0x49, 0x83, 0xfe, 0x00,       // 46 cmp $0,%r14             ZF=0
  0xc3,                         // 50 ret
]);

/** Mend once per process; true when every block hook is inline and bounded. */
export const boundedBlockHooks = mendOnce((L: UcLib): boolean => {
  const fn = libsym(L, 'translator_loop_x86_64');
  if (fn === null) return false;
  const at = (off: number, n: number) => libbytes(L, fn + BigInt(off), n);
  if (!same(at(COUNT_AT, COUNT.length), COUNT) || !same(at(DB_AT, DB.length), DB)) return false;
  const jne = at(JNE_AT, 6), loop = at(LOOP_AT, LOOP.length);
  const site = fn + BigInt(TEST_AT);
  if (same(jne, NOP6) && loop[5] === 0xe8) return true; // mended already
  if (!same(jne, JNE) || !same(loop, LOOP)) return false;
  const check = codePage(L, CHECK, site);
  if (check === null) return false;
  const rel = Number(check - (site + 5n));
  const call = Uint8Array.of(0xe8, rel & 0xff, (rel >>> 8) & 0xff, (rel >>> 16) & 0xff, (rel >>> 24) & 0xff);
  // The call first: with the jne still there it is only reached with one hook.
  if (!patchBytes(L, site, call)) return false;
  return patchBytes(L, fn + BigInt(JNE_AT), Uint8Array.from(NOP6));
});
