// The exact pc of a memory fault on Unicorn 2.0.1.
//
// 2.0.1's softmmu helpers call the invalid-memory hooks without restoring
// the guest state from the translated block (load_helper and store_helper,
// qemu/accel/tcg/cputlb.c): EIP is left at the start of the last block
// entered through the dispatcher, and a chained jump skips even that.
// Upstream 2.1.4 calls `cpu_restore_state(uc->cpu, retaddr, false)` before
// the first such hook (4a13bc7c "Sync pc before memory hooks", b999f507):
// the host return address into the block finds the faulting instruction's
// search data (its pc and cc_op), as for any QEMU exception.
//
// The same, done by the hook itself: p9emu's invalid-memory callback is
// entered through 86 bytes of host code of our own (STUB). Called from one
// of the six hook calls of load_helper or store_helper, it reads that
// helper's `retaddr` argument from its frame (spilled there in the
// prologue), calls cpu_restore_state_x86_64(uc->cpu, retaddr, false) when
// it is not 0 (a fetch while translating), and jumps to the JavaScript
// callback, passed as the hook's user data. From any other caller it only
// jumps. A load leaves by cpu_loop_exit, and cpu_tb_exec leaves EIP alone
// when invalid_error is set, so EIP stays exact until uc_emu_start
// returns; after a failed store the block may run on (exitreq.ts), and the
// state the hook saved (exact now, EIP included) is put back (uchooks.ts).
//
// The two helpers are static; they are found through the exported
// helper_le_ldul_mmu_x86_64 (call load_helper) and helper_le_stl_mmu_x86_64
// (jmp store_helper). Their prologues (where retaddr is spilled and the
// frame's size), the six call sites, and the place of uc->cpu are checked
// byte for byte against the Debian bookworm 2.0.1 build; anything else
// gives null and the pc is inferred instead (faultpc.ts).

import type { UcLib } from './unicorn_ffi.ts';
import { codePage, libbytes, libHolds, libsym, sameBytes } from './libsym.ts';

/** Host code; %rdi uc, %esi type, %rdx addr, %ecx size, %r8 value, %r9 the JavaScript callback. */
export const STUB = [
  0x48, 0x8b, 0x04, 0x24,                   // 00 mov (%rsp),%rax            the hook call's return address
  0x4c, 0x8d, 0x15, 0x55, 0x00, 0x00, 0x00, // 04 lea sites(%rip),%r10
  0x4d, 0x8b, 0x1a,                         // 0b 1: mov (%r10),%r11
  0x4d, 0x85, 0xdb,                         // 0e test %r11,%r11
  0x74, 0x40,                               // 11 je hook                    not a known site
  0x49, 0x83, 0xc2, 0x10,                   // 13 add $16,%r10
  0x49, 0x39, 0xc3,                         // 17 cmp %rax,%r11
  0x75, 0xef,                               // 1a jne 1b
  0x4d, 0x8b, 0x5a, 0xf8,                   // 1c mov -8(%r10),%r11          the site's retaddr slot
  0x4e, 0x8b, 0x1c, 0x1c,                   // 20 mov (%rsp,%r11),%r11       retaddr
  0x4d, 0x85, 0xdb,                         // 24 test %r11,%r11
  0x74, 0x2a,                               // 27 je hook
  0x57, 0x56, 0x52, 0x51, 0x41, 0x50, 0x41, 0x51, // 29 push %rdi %rsi %rdx %rcx %r8 %r9
  0x48, 0x83, 0xec, 0x08,                   // 31 sub $8,%rsp                (aligned for the call)
  0x48, 0x8b, 0xbf, 0, 0, 0, 0,             // 35 mov CPU(%rdi),%rdi         uc->cpu
  0x4c, 0x89, 0xde,                         // 3c mov %r11,%rsi
  0x31, 0xd2,                               // 3f xor %edx,%edx              will_exit = false
  0xff, 0x15, 0x11, 0x00, 0x00, 0x00,       // 41 call *restore(%rip)
  0x48, 0x83, 0xc4, 0x08,                   // 47 add $8,%rsp
  0x41, 0x59, 0x41, 0x58, 0x59, 0x5a, 0x5e, 0x5f, // 4b pop %r9 %r8 %rcx %rdx %rsi %rdi
  0x41, 0xff, 0xe1,                         // 53 hook: jmp *%r9
  0x66, 0x90,                               // 56 (pad)
];
/** Offsets in the page: uc->cpu's displacement, cpu_restore_state's address, the sites table ({return address, retaddr's offset from the stub's %rsp} pairs, then 0). */
const CPU_DISP = 0x38, RESTORE = 0x58, SITES = 0x60;

/** helper_le_ldul_mmu_x86_64: `... push %rax; call load_helper`. */
const LDUL = [0x48, 0x83, 0xec, 0x10, 0x48, 0x8d, 0x05, -1, -1, -1, -1, 0x45, 0x31, 0xc9, 0x41, 0xb8, 0x02, 0, 0, 0, 0x50, 0xe8];
/** helper_le_stl_mmu_x86_64: `mov %edx,%edx; mov $MO_LEUL,%r9d; jmp store_helper`. */
const STL = [0x89, 0xd2, 0x41, 0xb9, 0x02, 0, 0, 0, 0xe9];

/** load_helper's prologue: six pushes, `sub $0x98,%rsp`, and `mov %rcx,0x38(%rsp)` (retaddr). */
const LOAD_PROLOGUE = [
  0x41, 0x57, 0x49, 0x89, 0xf7, 0x41, 0x56, 0x41, 0x55, 0x45, 0x89, 0xcd, 0x41, 0x54, 0x49, 0x89, 0xfc, 0x55, 0x53,
  0x48, 0x81, 0xec, 0x98, 0x00, 0x00, 0x00, 0x48, 0x8b, 0x84, 0x24, 0xd0, 0x00, 0x00, 0x00, 0x89, 0x54, 0x24, 0x28,
  0x83, 0xe2, 0x0f, 0x48, 0x89, 0x4c, 0x24, 0x38,
];
/** store_helper's: six pushes, `sub $0x78,%rsp`, ..., `mov %r8,0x30(%rsp)` (retaddr). */
const STORE_PROLOGUE = [
  0x89, 0xc8, 0x41, 0x57, 0x83, 0xe0, 0x0f, 0x41, 0x56, 0x41, 0x55, 0x49, 0x89, 0xc7, 0x49, 0x89, 0xf5, 0x41, 0x54,
  0x49, 0xc1, 0xe7, 0x04, 0x55, 0x49, 0x01, 0xff, 0x48, 0x89, 0xd5, 0x53, 0x48, 0x83, 0xec, 0x78, 0x48, 0x8b, 0x9f,
  0x38, 0x1b, 0x00, 0x00, 0x89, 0x44, 0x24, 0x54, 0x48, 0x89, 0x44, 0x24, 0x58, 0x49, 0x8b, 0x47, 0xc0, 0x48, 0x89,
  0x7c, 0x24, 0x18, 0x48, 0x89, 0xf7, 0x48, 0xc1, 0xef, 0x0c, 0x48, 0xc1, 0xe8, 0x05, 0x89, 0x4c, 0x24, 0x50, 0x48,
  0x21, 0xf8, 0x48, 0x89, 0x7c, 0x24, 0x60, 0x49, 0x89, 0xc6, 0x48, 0x89, 0x44, 0x24, 0x48, 0x49, 0xc1, 0xe6, 0x05,
  0x4d, 0x03, 0x77, 0xc8, 0x4c, 0x89, 0x44, 0x24, 0x30,
];

/** The hook calls: [offset of the return address in the helper, the hook type]; each is `mov $type,%esi; mov %rbx,%rdi; call *0x28(%rax)`. */
const LOAD_SITES: ReadonlyArray<readonly [number, number]> = [
  [0x174, 24], // UC_MEM_FETCH_PROT
  [0x2b4, 23], // UC_MEM_READ_PROT
  [0x454, 21], // UC_MEM_FETCH_UNMAPPED
  [0x5a4, 19], // UC_MEM_READ_UNMAPPED
];
const STORE_SITES: ReadonlyArray<readonly [number, number]> = [
  [0x145, 22], // UC_MEM_WRITE_PROT
  [0x255, 20], // UC_MEM_WRITE_UNMAPPED
];
/** retaddr's offset from the stub's %rsp: the helper's %rsp is 8 above (the return address), plus its spill slot. */
const LOAD_SLOT = 8 + 0x38, STORE_SLOT = 8 + 0x30;

/** load_helper's `mov CPU(%rbx),%rdi; call cpu_loop_exit` (uc->cpu) after its READ_PROT loop. */
const CPU_AT = 0x2ef;

const site = (type: number) => [0xbe, type, 0, 0, 0, 0x48, 0x89, 0xdf, 0xff, 0x50, 0x28];

function i32(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset + at, 4).getInt32(0, true);
}

/** Where a rel32 branch ending at `end` of the code at fn goes, when the code begins with `want`. */
function target(L: UcLib, fn: bigint | null, want: readonly number[]): bigint | null {
  if (fn === null) return null;
  const code = libbytes(L, fn, want.length + 4);
  if (!want.every((b, i) => b < 0 || code[i] === b)) return null;
  return fn + BigInt(want.length + 4 + i32(code, want.length));
}

function matches(L: UcLib, fn: bigint, prologue: readonly number[], sites: ReadonlyArray<readonly [number, number]>): boolean {
  return libHolds(L, fn, prologue) && sites.every(([ret, type]) => libHolds(L, fn + BigInt(ret - 11), site(type)));
}

/** STUB's last instruction (at 0x53, three bytes): the jump to the callback, in the register that holds the hook's user data. */
export const JMP = {
  r9: [0x41, 0xff, 0xe1],
  r8: [0x41, 0xff, 0xe0],
  rcx: [0xff, 0xe1, 0x90],
  rsi: [0xff, 0xe6, 0x90],
} as const;
const JMP_AT = 0x53;

/**
 * A page of STUB for these sites ({return address of a hook call, the
 * offset from the stub's %rsp of the block's return address}), jumping to
 * the callback through `jmp`.
 */
export function entryPage(restore: bigint, cpuOff: number, sites: ReadonlyArray<readonly [bigint, number]>, jmp: readonly number[]): Uint8Array {
  const page = new Uint8Array(SITES + 16 * (sites.length + 1));
  page.set(STUB);
  page.set(jmp, JMP_AT);
  const dv = new DataView(page.buffer);
  dv.setInt32(CPU_DISP, cpuOff, true);
  dv.setBigUint64(RESTORE, restore, true);
  sites.forEach(([ret, slot], i) => {
    dv.setBigUint64(SITES + 16 * i, ret, true);
    dv.setBigUint64(SITES + 16 * i + 8, BigInt(slot), true);
  });
  return page;
}

/** The page's contents for these addresses. */
export function stubPage(restore: bigint, cpuOff: number, load: bigint, store: bigint): Uint8Array {
  const sites = [
    ...LOAD_SITES.map(([ret]) => [load + BigInt(ret), LOAD_SLOT] as const),
    ...STORE_SITES.map(([ret]) => [store + BigInt(ret), STORE_SLOT] as const),
  ];
  return entryPage(restore, cpuOff, sites, JMP.r9);
}

let stub: bigint | null | undefined;
let enabled = process.env.P9EMU_FAULTPC !== 'infer';

/** Engines made from now on restore EIP at faults (on, the default) or leave it to faultpc.ts (tests compare the two). */
export function setSyncPc(on: boolean): void {
  enabled = on;
}

/**
 * The invalid-memory hook's entry that restores the guest state first (its
 * user data the real callback), or null where the library is not the one
 * expected (or P9EMU_FAULTPC=infer): then EIP is stale at the hook, and a
 * note says so once.
 */
export function syncPcHook(L: UcLib): bigint | null {
  if (!enabled) return null;
  if (stub !== undefined) return stub;
  try {
    stub = process.arch === 'x64' && process.platform === 'linux' ? makeStub(L) : null;
  } catch {
    stub = null;
  }
  if (stub === null) process.stderr.write('p9emu: note: libunicorn is not the Debian 2.0.1 build: memory fault pcs are inferred (docs/unicorn.md)\n');
  return stub;
}

/** What every such entry needs: cpu_restore_state, and uc->cpu's place in uc_struct (read from load_helper's code, `load`). */
export function restoreState(L: UcLib): { restore: bigint; cpuOff: number; load: bigint } | null {
  const load = target(L, libsym(L, 'helper_le_ldul_mmu_x86_64'), LDUL);
  const restore = libsym(L, 'cpu_restore_state_x86_64');
  if (load === null || restore === null || !libHolds(L, load, LOAD_PROLOGUE)) return null;
  const mov = libbytes(L, load + BigInt(CPU_AT), 12);
  if (!sameBytes(mov, [0x48, 0x8b, 0xbb]) || mov[7] !== 0xe8) return null;
  const cpuOff = i32(mov, 3);
  if (cpuOff <= 0 || cpuOff >= 0x10000) return null;
  return { restore, cpuOff, load };
}

function makeStub(L: UcLib): bigint | null {
  const r = restoreState(L);
  const store = target(L, libsym(L, 'helper_le_stl_mmu_x86_64'), STL);
  if (r === null || store === null) return null;
  if (!matches(L, r.load, LOAD_PROLOGUE, LOAD_SITES) || !matches(L, store, STORE_PROLOGUE, STORE_SITES)) return null;
  return codePage(L, stubPage(r.restore, r.cpuOff, r.load, store));
}
