// Deterministic slices at the cost of one call per block (RunOptions.quantum).
//
// Unicorn's own instruction count (uc_emu_start's count) is a code hook on
// every instruction: a helper call per instruction, ~20× slower than free
// running. QEMU's icount instead charges each translated block its
// instruction count once, at the block's start, with an exit check there
// (gen_tb_start); Unicorn 2.0.1 took that out of gen-icount.h. What 2.0.1
// still has:
//
// - a block hook is emitted *before* gen_tb_start's exit check
//   (translator_loop, qemu/accel/tcg/translator.c), so a uc_emu_stop made
//   by the hook leaves the block before any of its instructions ran;
// - with exactly one hook of a kind, the block calls the callback directly
//   (gen_uc_tracecode's inline hook, qemu/include/tcg/tcg-op.h), with no
//   helper walking the hook list;
// - the callback's size argument is a constant patched into the block once
//   it is translated: `tcg_op->args[1] = db->tb->size`. One byte of
//   translator_loop_x86_64 makes it `db->tb->icount` (the field after it),
//   so the hook gets the block's instruction count.
//
// The callback is 36 bytes of host code of our own (a JS callback per
// block would cost ~190 ns; see docs/unicorn.md), with a per-engine cell
// { budget, uc_emu_stop, &env->eip, &uc->stop_request }:
//     if stop_request: return          (a stop is pending: charge nothing)
//     if budget <= 0: env->eip = pc; tail-call uc_emu_stop(uc)
//     budget -= insns
// A run given quantum Q thus stops at the first block start once at least
// Q instructions ran, with EIP the block's start (written by the hook:
// cpu_tb_exec does not resync it when a code hook exists). Where blocks
// begin and end depends only on the code and the addresses execution
// enters at, so the same guest gives the same stops; the slice is not
// exactly Q (up to one block more) and never shorter.
//
// Every byte is checked first (the translator's code, uc_emu_stop's
// store to stop_request, EIP's place in env); anything else gives null
// and the caller counts with Unicorn's exact hook instead.
// P9EMU_QUANTUM=count turns it off.

import type { UcLib } from './unicorn_ffi.ts';
import { envAddress } from './regfile.ts';
import { codePage, libbytes, libsym, patchBytes, sameBytes as same } from './libsym.ts';

export const UC_HOOK_BLOCK = 1 << 3;

/** In translator_loop_x86_64 (Debian bookworm 2.0.1): mov 0(%r13),%rax; movzwl 0x14(%rax),%eax; mov %rax,0x20(%rdx). */
const SIZE_AT = 0x559;
const SIZE_ORIG = [0x49, 0x8b, 0x45, 0x00, 0x0f, 0xb7, 0x40, 0x14, 0x48, 0x89, 0x42, 0x20];
const TB_SIZE = 0x14, TB_ICOUNT = 0x16;
/** Where the same function stores them: mov %ax,0x14(%rdx) and mov %cx,0x16(%rdx). */
const STORES: [number, number[]][] = [[0x3ab, [0x66, 0x89, 0x42, TB_SIZE]], [0x3bf, [0x66, 0x89, 0x4a, TB_ICOUNT]]];

/** The hook; %rdi uc, %rsi pc, %edx instructions, %rcx the cell. */
export const STUB = Uint8Array.from([
  0x48, 0x8b, 0x41, 0x18, //  0 mov 0x18(%rcx),%rax     &uc->stop_request
  0x80, 0x38, 0x00,       //  4 cmpb $0,(%rax)
  0x75, 0x10,             //  7 jne ret
  0x48, 0x8b, 0x01,       //  9 mov (%rcx),%rax         budget
  0x48, 0x85, 0xc0,       // 12 test %rax,%rax
  0x7e, 0x09,             // 15 jle stop
  0x89, 0xd2,             // 17 mov %edx,%edx
  0x48, 0x29, 0xd0,       // 19 sub %rdx,%rax
  0x48, 0x89, 0x01,       // 22 mov %rax,(%rcx)
  0xc3,                   // 25 ret
  0x48, 0x8b, 0x41, 0x10, // 26 stop: mov 0x10(%rcx),%rax   &env->eip
  0x48, 0x89, 0x30,       // 30 mov %rsi,(%rax)
  0xff, 0x61, 0x08,       // 33 jmp *0x8(%rcx)           uc_emu_stop(uc)
]);

/** The cell's size in bytes. */
export const CELL = 32;
/** Budget of a run that must not stop (free and count runs of an engine with the hook). */
export const UNLIMITED = 1n << 62n;

interface Counter {
  stub: bigint;
  stop: bigint;
  /** offsetof(struct uc_struct, stop_request). */
  stopReq: number;
}

let counter: Counter | null | undefined;

/** The process's block counter: the translator mended and the hook's code in place; null where it cannot be. */
export function blockCounter(L: UcLib): Counter | null {
  if (counter !== undefined) return counter;
  counter = null;
  if (process.env.P9EMU_QUANTUM === 'count' || process.arch !== 'x64' || process.platform !== 'linux') return counter;
  try {
    const fn = libsym(L, 'translator_loop_x86_64');
    const stop = libsym(L, 'uc_emu_stop');
    if (fn === null || stop === null) return counter;
    const stopReq = stopRequestOffset(libbytes(L, stop, 0x30));
    if (stopReq === null) return counter;
    for (const [at, want] of STORES) if (!same(libbytes(L, fn + BigInt(at), want.length), want)) return counter;
    const site = fn + BigInt(SIZE_AT);
    const code = libbytes(L, site, SIZE_ORIG.length);
    const mended = SIZE_ORIG.map((b, i) => (i === 7 ? TB_ICOUNT : b));
    if (!same(code, mended)) {
      if (!same(code, SIZE_ORIG)) return counter;
      if (!patchBytes(L, site, Uint8Array.from(mended))) return counter;
    }
    const stub = codePage(L, STUB);
    if (stub !== null) counter = { stub, stop, stopReq };
  } catch {
    counter = null;
  }
  return counter;
}

/** uc_emu_stop's `movb $1,d32(%rdi)` (uc->stop_request = true), after its checks. */
function stopRequestOffset(code: Uint8Array): number | null {
  for (let i = 0; i + 7 <= code.length; i++) {
    if (code[i] === 0xc6 && code[i + 1] === 0x87 && code[i + 6] === 0x01) {
      const off = code[i + 2]! | (code[i + 3]! << 8) | (code[i + 4]! << 16) | (code[i + 5]! << 24);
      return off > 0 && off < 0x10000 ? off : null;
    }
  }
  return null;
}

/**
 * Fill engine uc's cell (native memory, CELL bytes at `cell`) and add the
 * block hook; the budget is the cell's first int64, returned as a view.
 * `eip` reads and writes EIP through the API, to prove its place in env.
 * Null (nothing added) when the counter or the proof fails.
 */
export function hookBlocks(L: UcLib, uc: bigint, cell: bigint, eip: { read(): number; write(v: number): void }): BigInt64Array | null {
  const c = blockCounter(L);
  const env = envAddress(L, uc);
  if (c === null || env === null) return null;
  const k = L.koffi;
  const at = env + 16n * 8n; // CPUX86State: regs[16], then eip
  const view = new BigUint64Array(k.view(at as never, 8) as ArrayBuffer);
  const saved = eip.read();
  let ok = true;
  for (const v of [0x12345678, 0x9abcdef0]) {
    eip.write(v);
    ok &&= view[0] === BigInt(v);
  }
  eip.write(saved);
  if (!ok) return null;
  const w = new BigUint64Array(k.view(cell as never, CELL) as ArrayBuffer);
  w[0] = UNLIMITED;
  w[1] = c.stop;
  w[2] = at;
  w[3] = uc + BigInt(c.stopReq);
  if (L.uc_hook_add(uc, [0], UC_HOOK_BLOCK, c.stub, cell, 1, 0) !== 0) return null;
  return new BigInt64Array(k.view(cell as never, 8) as ArrayBuffer);
}
