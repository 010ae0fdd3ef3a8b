// Direct jumps and calls to another page chained, on Unicorn 2.0.1.
//
// QEMU links a block's direct jump straight to the next block (goto_tb)
// only when the target lies on the block's own page (use_goto_tb,
// qemu/target/i386/translate.c): in system emulation a page's mapping may
// change under the link. A jump or call to another page instead stores
// EIP and ends in lookup_and_goto_ptr, a helper call and a hash lookup of
// the target on every execution (helper_lookup_tb_ptr). Go's code calls
// across pages all the time: in compress/gzip's tests that helper took a
// fifth of the host's time. QEMU's user-mode build chains every direct
// jump; p9emu runs without paging, where a page's mapping changes only by
// uc_mem_map/unmap, and p9emu drops a range's translations whenever it
// unmaps or replaces it (UnicornCpu.unmap/invalidate), which unlinks every
// jump into them (tb_phys_invalidate) wherever the jumping block lies.
//
// The mend, in the Debian bookworm 2.0.1 build: gen_jmp_tb (JMP, CALL,
// the end of a REP step) and gen_jcc's two exits each compare the target's
// page with the block's and, when it differs, call gen_jmp_im (EIP = the
// target) and end the block through lookup_and_goto_ptr. The instruction
// after that gen_jmp_im becomes a jump into the same-page path (goto_tb,
// gen_jmp_im, exit_tb), so a cross-page jump stores EIP and then chains.
// Storing EIP first keeps what faultpc.ts (the fallback) relies on: EIP is stale only
// along chains within one page (a chained jump to another page leaves it at
// the target, as the lookup did). Every byte of the two functions' page
// tests, both paths and the cross-page tails is checked first; any other
// build is left alone (P9EMU_CHAIN=page leaves it alone too).

import type { UcLib } from './unicorn_ffi.ts';
import { hexBytes, libbytes, libsym, mendOnce, patchBytes, sameBytes } from './libsym.ts';

/** Code around the three page tests, at offsets from do_vmexit_x86_64 (an exported neighbour). */
const CODE: ReadonlyArray<readonly [number, string]> = [
  // gen_jmp_tb: page tests, goto_tb path at +0x16d88, cross-page tail ending in `mov $1,%ecx; jmp eob`.
  [0x16d61, '488b83f0010000488b134c8ba8c0020000488b4348488b0a4801e84831c14881f9ff0f000077604489e64c89efe8ada5f6ff' +
    '4889ee4889dfe83252ffff488b334489e24c89efe8649bf7ffc74318020000004883c4085b5d415c415dc366904889ee4889dfe8' +
    '0552ffff31c94883c4084889df31d231f65b5d415c415de99dfcffff0f1f44000048334338483dff0f000076944889ee4889dfe8' +
    'd151ffffb901000000ebc7'],
  // gen_jcc: the not-taken exit (goto_tb 0 at +0x17cc0) and the taken one (goto_tb 1 at +0x17d3b).
  [0x17c88, '488b85f0010000488b55004c8ba8c0020000488b4548488b0a4c01e04831c14881f9ff0f0000761048334538483dff0f0000' +
    '0f87e001000031f64c89efe87696f6ff4c89e64889efe8fb42ffff488b750031d24c89efe82d8cf7ffc745180200000041800e01' +
    '4c89f2be010000004889dfe8a23ef6ff488b85f0010000488b5500488b742408488b98c0020000488b4548488b0a4801f04831c1' +
    '4881f9ff0f0000761048334538483dff0f00000f878d010000be010000004889dfe8f895f6ff488b7424084889efe87b42ffff48' +
    '8b7500ba010000004889dfe8aa8bf7ffc7451802000000'],
  // gen_jcc's two cross-page tails.
  [0x17ea0, '4c89e64889efe82541ffffb90100000031d231f64889efe8c4ebffffe929feffff0f1f80000000004889efe80041ffff488b' +
    '44245864482b042528000000750ab901000000e933ffffff'],
];

/** [offset of the instruction after the tail's gen_jmp_im, offset of the goto_tb path it now jumps to]. */
const JUMPS: ReadonlyArray<readonly [number, number]> = [
  [0x16dff, 0x16d88],
  [0x17eab, 0x17cc0],
  [0x17ed0, 0x17d3b],
];

/** `jmp rel32` from `at` to `to`. */
function jmp(at: number, to: number): Uint8Array {
  const b = new Uint8Array(5);
  b[0] = 0xe9;
  new DataView(b.buffer).setInt32(1, to - (at + 5), true);
  return b;
}

/** Mend the library once per process; true when direct jumps to other pages chain. */
export const chainPages = mendOnce((L: UcLib): boolean => {
  if (process.env.P9EMU_CHAIN === 'page') return false;
  const dv = libsym(L, 'do_vmexit_x86_64');
  if (dv === null) return false;
  const at = (off: number, n: number) => libbytes(L, dv + BigInt(off), n);
  const mended = JUMPS.every(([a, t]) => sameBytes(at(a, 5), [...jmp(a, t)]));
  if (mended) return true;
  for (const [off, code] of CODE) {
    const want = hexBytes(code);
    if (!sameBytes(at(off, want.length), want)) return false;
  }
  return JUMPS.every(([a, t]) => patchBytes(L, dv + BigInt(a), jmp(a, t)));
});
