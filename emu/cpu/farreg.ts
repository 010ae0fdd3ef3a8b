// CALL FAR and JMP FAR through a register must not abort the engine.
//
// `FF /3` and `FF /5` take a far pointer from memory; with a register
// operand (`ff d8+r`, `ff e8+r`) they are invalid opcodes on every x86
// (Intel SDM, CALL/JMP: "#UD if the source operand is a register"). Unicorn
// 2.0.1's translator (qemu/target/i386/translate.c, case 0xff) lacks that
// check and loads the pointer through s->A0, which nothing in the block
// set: the TCG register allocator meets a dead temporary and calls abort()
// (`tcg.c:3073: tcg fatal error`), taking every process and unwritten
// output with it. Two random-code fuzz cases in about 5,000 did that.
//
// The mend, in disas_insn's group-5 code (Debian bookworm's 2.0.1 build):
//   A  cmp $3,mod ; je B             a register operand goes to B
//   B  T0 = the register ; jmp E
//   C  cmp $3,op ; je elsewhere      memory forms of 3 and 5 leave before E
//   D  cmp $5,op ; je ljmp
//   E  cmp $6,op ; ja illegal_op ; lea TABLE ; jmp *TABLE[op]
// so TABLE's entries 3 and 5 are reached only by the register forms, and
// pointing them at illegal_op makes those #UD (trap 6) as on hardware;
// the memory forms keep their behaviour. Every byte of A-E and the two
// entries are checked first; any other build is left alone.

import type { UcLib } from './unicorn_ffi.ts';
import { libbytes, libsym, mendOnce, patchBytes } from './libsym.ts';

/** Offsets from do_vmexit_x86_64 (an exported neighbour) and the bytes there. */
const CODE: ReadonlyArray<readonly [number, readonly number[]]> = [
  [0x1d0f0, [0x41, 0x83, 0xff, 0x03, 0x0f, 0x84, 0xa1, 0x2b, 0x00, 0x00]], // A
  [0x1fc9b, [0x48, 0x8b, 0x7c, 0x24, 0x08, 0x44, 0x89, 0xe1, 0x89, 0xde, 0x48, 0x8b, 0x97, 0xe0, 0x00, 0x00, 0x00,
    0xe8, 0x7f, 0xc1, 0xfe, 0xff, 0xe9, 0x8a, 0xd4, 0xff, 0xff]], // B
  [0x1d10b, [0x83, 0xfd, 0x03, 0x0f, 0x84, 0x6c, 0x2b, 0x00, 0x00]], // C
  [0x1d129, [0x83, 0xfd, 0x05, 0x0f, 0x84, 0xfe, 0x2a, 0x00, 0x00]], // D
  [0x1d140, [0x83, 0xfd, 0x06, 0x0f, 0x87, 0xb7, 0xbd, 0xff, 0xff, 0x48, 0x8d, 0x15, 0x64, 0xff, 0x9f, 0x00,
    0x89, 0xe8, 0x48, 0x63, 0x04, 0x82, 0x48, 0x01, 0xd0, 0xff, 0xe0]], // E
];
const E = 0x1d140, D = 0x1d129;

const s32 = (b: Uint8Array, i: number) => new DataView(b.buffer, b.byteOffset + i, 4).getInt32(0, true);

/** Mend the library once per process; true when the register forms are invalid opcodes. */
export const farRegUD = mendOnce((L: UcLib): boolean => {
  const dv = libsym(L, 'do_vmexit_x86_64');
  if (dv === null) return false;
  for (const [off, want] of CODE) {
    const got = libbytes(L, dv + BigInt(off), want.length);
    if (!want.every((b, i) => got[i] === b)) return false;
  }
  const e = libbytes(L, dv + BigInt(E), 16);
  const illegal = dv + BigInt(E + 9 + s32(e, 5));
  const table = dv + BigInt(E + 16 + s32(e, 12));
  const ljmp = dv + BigInt(D + 9 + s32(libbytes(L, dv + BigInt(D), 9), 5));
  const entries = libbytes(L, table, 28);
  const target = (i: number) => table + BigInt(s32(entries, 4 * i));
  const to = Number(illegal - table);
  if (s32(entries, 12) === to && s32(entries, 20) === to) return true; // mended already
  // Entry 5 must be the ljmp code D branches to; entry 3 the lcall code beside it.
  if (target(5) !== ljmp || target(3) < ljmp || target(3) - ljmp > 0x2000n) return false;
  const le = new Uint8Array(4);
  new DataView(le.buffer).setInt32(0, to, true);
  return patchBytes(L, table + 12n, le, 'r') && patchBytes(L, table + 20n, le, 'r');
});
