// A larger softmmu TLB for Unicorn 2.0.1's engines.
//
// Every guest load and store looks its page up in the CPU's TLB, a
// direct-mapped table indexed by page number. QEMU 5 sizes it dynamically
// (tlb_mmu_resize_locked, qemu/accel/tcg/cputlb.c): 256 entries at
// tlb_init (CPU_TLB_DYN_DEFAULT_BITS 8), doubled or shrunk only when the
// TLB is flushed, never below 64. p9emu's processes are flushed rarely (a
// mapping change), so a Go program's TLB stays at 256 entries, 1 MiB of
// pages: its heap and goroutine stacks thrash it, each miss a call out of
// the block to the victim TLB (8 entries, swapped in) or to a full fill
// (tlb_fill, Unicorn's memory_mapping, tlb_set_page_with_attrs).
// The mend gives every engine opened after it 1024 entries (4 MiB of
// pages) and makes that the floor a flush may shrink to: three constants in
// tlb_init_x86_64 (the mask (n-1)<<5, the table's 32-byte entries, the
// IOTLB's 16-byte ones) and the minimum in the resize's shrink path. A TLB
// is a cache of the page tables: its size changes no guest-visible result.
// Not 4096: tlb_init fills the tables, and at 4096 every new engine paid
// for touching 3 × 128 KiB (docs/unicorn.md has the figures).
// Every byte of tlb_init and of the shrink path is checked first; any other
// build is left alone (P9EMU_TLB=qemu leaves it alone too). It must run
// before uc_open (UcEngine), as tlb_init sizes the table then.

import type { UcLib } from './unicorn_ffi.ts';
import { hexBytes, le32, libbytes, libHolds, libsym, mendOnce, patchBytes } from './libsym.ts';

/** Entries per MMU mode after the mend. */
export const TLB_ENTRIES = 1024;

/** tlb_init_x86_64, whole (0x162 bytes), in the Debian bookworm 2.0.1 build. */
const INIT = '415531f6415455534883ec284c8ba72801000064488b042528000000488944241831c04889e7e885adfbff4c692c2400ca9a' +
  '3b498d6c24c04869442408e8030000498d9c24c0faffff4983ec184901c531c0664189842488faffff660fefc94c896be0bf' +
  '002000004881c3b80100000f118b30feffff4883c51048c745f0e01f0000e849e1faffbf00100000488945f8e83be1faff48' +
  '8b7df8660f76d2660fefc9488943c8488b55f0beffffffff0f119318feffff0f118b38feffff4883c220e8cbaafaff660f76' +
  'c00f118348feffff0f118358feffff0f118368feffff0f118378feffff0f118388feffff0f118398feffff0f1183a8feffff' +
  '0f1183b8feffff0f1183c8feffff0f1183d8feffff0f1183e8feffff0f1183f8feffff0f118308ffffff0f118318ffffff0f' +
  '118328ffffff0f118338ffffff4c39e30f8519ffffff488b44241864482b042528000000750b4883c4285b5d415c415dc3e8' +
  'de31fbff';

/** The resize's shrink path (0x90 bytes, 0x1310 before tlb_init): `new_size = MAX(ceil, 64)` at +0x41. */
const SHRINK = '4d39e87dec4883f81d77604889c84883e8017468480fbdc04883f03f85c0746648bb00000000000000808d48ff31d24889f8' +
  '48d3eb48f7f34889c74883ff467740b8400000004839c3480f42d84839de0f85aefeffff4d896c24104d894c24184883c408' +
  '5b5d415c415dc34d39e87d814d896c24104d894c2418ebe4bb010000004801dbebbb31db4885c90f94c3ebab';
const SHRINK_AT = -0x1310n;

/** [offset from tlb_init, old imm32, new imm32]: each `mov $imm32` is checked in place, then rewritten. */
const IMMS: ReadonlyArray<readonly [bigint, number, number]> = [
  [0x7en, 0x1fe0, (TLB_ENTRIES - 1) * 32], // movq $0x1fe0,-0x10(%rbp): fast->mask
  [0x64n, 0x2000, TLB_ENTRIES * 32], //       mov $0x2000,%edi: g_malloc of the table
  [0x88n, 0x1000, TLB_ENTRIES * 16], //       mov $0x1000,%edi: g_malloc of the IOTLB
  [SHRINK_AT + 0x42n, 0x40, TLB_ENTRIES], //  mov $0x40,%eax: the shrink's floor
];

const imm = (L: UcLib, at: bigint) => new DataView(libbytes(L, at, 4).slice().buffer).getUint32(0, true);

/** Mend the library once per process; true when engines opened from now on get the larger TLB. */
export const bigTlb = mendOnce((L: UcLib): boolean => {
  if (process.env.P9EMU_TLB === 'qemu') return false;
  const init = libsym(L, 'tlb_init_x86_64');
  if (init === null) return false;
  if (IMMS.every(([off, , now]) => imm(L, init + off) === now)) return true;
  if (!libHolds(L, init, hexBytes(INIT)) || !libHolds(L, init + SHRINK_AT, hexBytes(SHRINK))) return false;
  if (!IMMS.every(([off, old]) => imm(L, init + off) === old)) return false;
  return IMMS.every(([off, , now]) => patchBytes(L, init + off, le32(now)));
});
