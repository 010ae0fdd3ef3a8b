// Preemption without re-executed instructions on Unicorn 2.0.1.
//
// Unicorn 2.0.1 emits check_exit_request() after every guest load and
// store (qemu/tcg/tcg-op.c, tcg_gen_qemu_ld/st_i32/i64): when a stop is
// pending (uc_emu_stop sets icount_decr < 0), the block exits right after
// that memory access through exitreq_label with TB_EXIT_REQUESTED, and
// cpu_tb_exec then sets EIP back to the *start of the block*
// (synchronize_from_tb). The instructions of the block before the exit have
// already run — registers and memory changed — and run again on resume.
// A stop that arrives from another thread (our watchdog, or Unicorn's own
// timeout thread) at a random moment therefore corrupts the guest: Go
// binaries lost loop iterations and died in the allocator ("s.freeindex >
// s.nelems") until preemption was made precise.
//
// uc_struct.no_exit_request (include/uc_priv.h, the ARM IT-block hack)
// turns those mid-block checks off at translation time; the check at each
// block's start (gen_tb_start) stays, and that one is precise: nothing of
// the block has run. The field is not in the public API, so its offset is
// read from the library's own check_exit_request_x86_64, whose first two
// instructions are `mov rax,[rdi+tcg_ctx.uc]; cmp byte [rax+OFF],0`.
// When the code does not match (another build), null is returned and the
// caller must not preempt asynchronously.

import type { UcLib } from './unicorn_ffi.ts';
import { libbytes, libsym } from './libsym.ts';

let offset: number | null | undefined;

/** Offset of uc_struct.no_exit_request in the loaded library, or null when unknown. */
export function noExitRequestOffset(L: UcLib): number | null {
  if (offset !== undefined) return offset;
  offset = null;
  try {
    const fn = libsym(L, 'check_exit_request_x86_64');
    if (fn === null) return offset;
    const code = libbytes(L, fn, 16);
    const dv = new DataView(code.buffer, code.byteOffset, code.byteLength);
    // 48 8b 87 <d32>: mov rax,[rdi+d32]; 80 b8 <d32> 00: cmp byte [rax+d32],0
    if (code[0] === 0x48 && code[1] === 0x8b && code[2] === 0x87 && code[7] === 0x80 && code[8] === 0xb8 && code[13] === 0x00) {
      const off = dv.getInt32(9, true);
      if (off > 0 && off < 0x10000) offset = off;
    }
  } catch {
    offset = null;
  }
  return offset;
}

/** Set uc_struct.no_exit_request on engine `uc` (applies to blocks translated from now on). */
export function setNoExitRequest(L: UcLib, uc: bigint, off: number, on: boolean): void {
  const b = new Uint8Array(L.koffi.view((uc + BigInt(off)) as never, 1) as ArrayBuffer);
  b[0] = on ? 1 : 0;
}
