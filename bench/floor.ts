// Raw Unicorn-through-koffi floors, with no kernel and no Cpu wrapper: what
// p9emu's machine is measured against (bench/run.ts, docs/unicorn.md).
//
// Both use a bare engine at CPL 0 in 32-bit mode, code mapped at 0x1000,
// and end with HLT (which stops Unicorn cleanly at CPL 0).

import { unicorn, UC_ARCH_X86, UC_MODE_32, UC_HOOK_INTR, X86, type UcLib } from '../emu/cpu/unicorn_ffi.ts';

const CODE = 0x1000;

/** A clock in ns: wall time, or the process's CPU time (all its threads). */
export type Clock = () => number;
export const wallNs: Clock = () => Number(process.hrtime.bigint());
export const cpuNs: Clock = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};

function le32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
}

/**
 * `at` places the code at CODE+at: Unicorn's speed on a tight loop depends
 * on where the loop sits (900–2900 MIPS for the same bytes at different
 * offsets, measured), so a floor is only fair with the code where the
 * program under test has it (an a.out's code starts at 0x1020).
 */
function withEngine<T>(code: number[], f: (L: UcLib, uc: bigint, start: number) => T, at = 0): T {
  const L = unicorn();
  const out: unknown[] = [null];
  if (L.uc_open(UC_ARCH_X86, UC_MODE_32, out) !== 0) throw new Error('uc_open failed');
  const uc = out[0] as bigint;
  try {
    L.uc_mem_map(uc, CODE, (at + code.length + 0xfff) & ~0xfff, 7);
    const bytes = Uint8Array.from(code);
    L.uc_mem_write(uc, CODE + at, bytes, bytes.length);
    return f(L, uc, CODE + at);
  } finally {
    L.uc_close(uc);
  }
}

/**
 * ns per system call: a guest loop of `MOVL $0,AX; INT $64; DECL BX; JNE`
 * whose interrupt hook only reads and writes EAX.
 */
export function syscallFloorNs(n: number, at = 0): number {
  const code = [
    0xbb, ...le32(n), //       MOVL $n, BX
    0xb8, 0, 0, 0, 0, // loop: MOVL $0, AX
    0xcd, 0x40, //             INT $64
    0x4b, //                   DECL BX
    0x75, 0xf6, //             JNE loop
    0xf4, //                   HLT
  ];
  return withEngine(code, (L, uc, start) => {
    const k = L.koffi;
    const scratch = k.address(k.alloc('uint8_t', 16)) as bigint;
    const u32 = new Uint32Array(k.view(scratch, 16));
    const cb = k.register(() => {
      L.uc_reg_read(uc, X86.eax, scratch);
      u32[0] += 1;
      L.uc_reg_write(uc, X86.eax, scratch);
    }, k.pointer(L.HookIntr));
    try {
      const hh = [0];
      L.uc_hook_add(uc, hh, UC_HOOK_INTR, cb, null, 1, 0);
      const t0 = process.hrtime.bigint();
      const err = L.uc_emu_start(uc, start, 0, 0, 0);
      const dt = Number(process.hrtime.bigint() - t0);
      if (err !== 0) throw new Error(`syscall floor: uc_emu_start error ${err}`);
      return dt / n;
    } finally {
      k.unregister(cb);
      k.free(scratch);
    }
  }, at);
}

/**
 * Guest MIPS of a program's own code on a bare engine: `code` (the a.out's
 * text, placed `at` bytes past 0x1000, so at its own addresses) runs from
 * `start` until it reaches `stopAt`, with a stack page for its CALLs.
 * `insns` is how many instructions that is.
 *
 * Start where the program under test starts: where Unicorn's JIT puts a
 * loop's host code depends on what it translated before, and on this
 * machine that alone moves the same loop between ~3600 and ~5000 MIPS
 * (docs/unicorn.md). Entering mid-program would measure another layout.
 * `clock` is what the time is read from (wall time unless given).
 */
export function computeFloorMips(code: Uint8Array, at: number, start: number, stopAt: number, insns: number, clock = wallNs): number {
  return withEngine([...code], (L, uc) => {
    check(L.uc_mem_map(uc, STACK, 0x1000, 3), 'map stack');
    check(L.uc_reg_write(uc, X86.esp, Uint32Array.of(STACK + 0xff0)), 'write ESP');
    const t0 = clock();
    const err = L.uc_emu_start(uc, start, stopAt, 0, 0);
    const dt = clock() - t0;
    if (err !== 0) throw new Error(`compute floor: uc_emu_start error ${err}`);
    return insns / (dt / 1000);
  }, at);
}

const STACK = 0x7f000;  // any page clear of the code

function check(err: number, what: string): void {
  if (err !== 0) throw new Error(`compute floor: ${what}: error ${err}`);
}
