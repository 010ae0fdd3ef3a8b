// A smaller first hash table of translated blocks for Unicorn 2.0.1's engines.
//
// Each engine finds its translated blocks (TBs) by physical pc in a qht
// (qemu/util/qht.c), which tcg_exec_init sizes at CODE_GEN_HTABLE_SIZE,
// 1 << 15 elements (qemu/accel/tcg/translate-all.c): 8192 buckets of 64
// bytes, 512 KiB that qht_map_create allocates and writes through at once.
// That is 128 fresh pages for every engine, and p9emu opens one per
// process: a CLI Go hello's three engines translated 4516, 842 and 188
// blocks. The table is opened in QHT_MODE_AUTO_RESIZE, so qht doubles it
// whenever more than an eighth of its buckets have had to chain another
// (qht_grow_maybe): it grows to what the blocks need. The mend starts it at
// 1 << 8 elements (64 buckets, one 4 KiB page): a demo process translates a
// few hundred blocks, and each page a new engine writes first is a page
// fault. Its size changes where blocks are found, never which.
//
// The 60 bytes around the constant in tcg_exec_init_x86_64 are checked
// first; any other build is left alone (P9EMU_TBHTABLE=qemu leaves it alone
// too). It must run before an engine's tcg_exec_init, i.e. before uc_open
// (UcEngine, with tlbsize.ts).

import type { UcLib } from './unicorn_ffi.ts';
import { hexBytes, le32, libsym, mendAt, mendOnce } from './libsym.ts';

/** Elements the table starts with after the mend. */
export const TB_HTABLE_ELEMS = 1 << 8;

/**
 * tcg_exec_init_x86_64 +0x5b..+0x97 in the Debian bookworm 2.0.1 build:
 * from `mov $1,%ecx` (QHT_MODE_AUTO_RESIZE) to the call of qht_init, with
 * `mov $0x8000,%edx` (the element count) at +0x71.
 */
const CODE = 'b901000000488b054183a300c783b802000002000000ba00800000488d35e3ecffff488983b0020000488b83c0020000' +
  '488db8b8980000e879d3faff';
const CODE_AT = 0x5bn;
/** The count's imm32, from the start of the function. */
export const COUNT_AT = 0x72n;

/** Mend the library once per process; true when engines opened from now on start with the smaller table. */
export const smallTbHtable = mendOnce((L: UcLib): boolean => {
  if (process.env.P9EMU_TBHTABLE === 'qemu') return false;
  const init = libsym(L, 'tcg_exec_init_x86_64');
  if (init === null) return false;
  return mendAt(L, init + CODE_AT, hexBytes(CODE), Number(COUNT_AT - CODE_AT), [...le32(TB_HTABLE_ELEMS)]);
});
