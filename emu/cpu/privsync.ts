// The exact pc of IN, OUT, SYSCALL and SYSENTER on Unicorn 2.0.1.
//
// Their UC_HOOK_INSN hooks (privinsn.ts) are called from helpers that, like
// the softmmu's, do not restore the guest state from the translated block
// first: EIP is a stale block start there. syncpc.ts's entry does that
// restore for the invalid-memory hook; the same host code serves these
// hooks, with its own table of call sites and the jump to the callback
// through the register the hook's user data comes in (IN: %rcx, OUT: %r8,
// SYSCALL and SYSENTER: %rsi). For each site, the block's return address
// is read where the helpers' frames put it:
//
//   IN   helper_in{b,w} call cpu_in{b,w}, which call the hook after `sub $8`:
//        32 bytes above the stub's %rsp; cpu_inl jumps to the hook, so it
//        returns into helper_inl: 16.
//   OUT  helper_out{b,w,l} jump to cpu_out{b,w,l}, which call the hook
//        after four pushes and `sub $8`: 48.
//   SYSCALL, SYSENTER  helper_syscall and helper_sysenter call the hook
//        after three pushes: 32. They add the instruction's length to EIP
//        after the hook; the hook's saved state (uchooks.ts) is what run()
//        puts back.
//
// Every function's bytes up to its call of the hook (helper_in*'s and
// helper_out*'s whole) are checked against the Debian bookworm 2.0.1
// build; anything else gives null, and the instruction is found by walking
// from the stale EIP instead (faultpc.ts findInsnPc).

import type { UcLib } from './unicorn_ffi.ts';
import { codePage, hexBytes, libHolds, libsym } from './libsym.ts';
import { entryPage, JMP, restoreState } from './syncpc.ts';
import type { PrivKind } from './privinsn.ts';

/** A hook call: the function, its bytes from the start up to the call's return address, and the block's return address's offset from the stub's %rsp. */
interface Site {
  fn: string;
  code: string;
  slot: number;
  /** Functions the frame passes through, checked whole. */
  via?: { fn: string; code: string }[];
}

const helperIn = (w: string, rel: string, ext: string) => ({ fn: `helper_in${w}_x86_64`, code: `4883ec08488bbf381b0000e8${rel}4883c408${ext}c3` });
const helperOut = (w: string, code: string) => ({ fn: `helper_out${w}_x86_64`, code });
const CPU_IN = (size: string) => '488b87100300004885c0751deb4066904180781400750a41817804da0000007417488b004885c074094c8b40084d85c075de31c0c30f1f004883ec08ba' +
  size + '000000498b483041ff5028';
const CPU_OUT = (mov: string, size: string) => `41554189f541544989fc55${mov}534883ec08488b9f100300004885db7534eb3b0f1f800000000080781400751d817804f401000075144c8b403089e9ba${size}0000004489ee4c89e7ff5028`;
const SYS = (insn: string) => '41544989fc554863ee53488bbf381b0000498bb42480000000488b9f100300004885db7559eb60660f1f840000000000807814007540488b5018488b48204839d672054839f173054839d17329817804' +
  insn + '0200007517488b7030ff5028';

const SITES: Record<'in' | 'out' | 'sys', Site[]> = {
  in: [
    { fn: 'cpu_inb_x86_64', code: CPU_IN('01'), slot: 32, via: [helperIn('b', '608af8ff', '0fb6c0')] },
    { fn: 'cpu_inw_x86_64', code: CPU_IN('02'), slot: 32, via: [helperIn('w', 'c02ff9ff', '0fb7c0')] },
    // cpu_inl jumps to the hook: the return address is helper_inl's call's.
    {
      fn: 'helper_inl_x86_64', code: '4883ec08488bbf381b0000e830e8f8ff', slot: 16,
      via: [{ fn: 'cpu_inl_x86_64', code: '488b87100300004885c0751beb226690807a14007509817a04da0000007419488b004885c07409488b50084885d275e031c0c30f1f440000488b4a30488b4228ba04000000ffe0' }],
    },
  ],
  out: [
    { fn: 'cpu_outb_x86_64', code: CPU_OUT('0fb6ea', '01'), slot: 48, via: [helperOut('b', '488bbf381b00000fb6d2e9c13bf9ff')] },
    { fn: 'cpu_outw_x86_64', code: CPU_OUT('0fb7ea', '02'), slot: 48, via: [helperOut('w', '488bbf381b00000fb7d2e9314bf9ff')] },
    {
      fn: 'cpu_outl_x86_64',
      code: '41554189f541544189d4554889fd534883ec08488b9f100300004885db7535eb3c0f1f800000000080781400751e817804f401000075154c8b40304489e1ba040000004489ee4889efff5028',
      slot: 48, via: [helperOut('l', '488bbf381b0000e904fff8ff')],
    },
  ],
  sys: [
    { fn: 'helper_syscall_x86_64', code: SYS('bb'), slot: 32 },
    { fn: 'helper_sysenter_x86_64', code: SYS('bc'), slot: 32 },
  ],
};

const JUMPS = { in: JMP.rcx, out: JMP.r8, sys: JMP.rsi } as const;

function checked(L: UcLib, fn: string, code: string): bigint | null {
  const at = libsym(L, fn);
  return at !== null && libHolds(L, at, hexBytes(code)) ? at : null;
}

/** The return addresses of one kind's hook calls, with their slots; null if any function differs. */
function sites(L: UcLib, kind: 'in' | 'out' | 'sys'): [bigint, number][] | null {
  const out: [bigint, number][] = [];
  for (const s of SITES[kind]) {
    const at = checked(L, s.fn, s.code);
    if (at === null || !(s.via ?? []).every((v) => checked(L, v.fn, v.code) !== null)) return null;
    out.push([at + BigInt(hexBytes(s.code).length), s.slot]);
  }
  return out;
}

let entries: Record<PrivKind, bigint> | null | undefined;

/** The hook entries that restore the guest state first, by kind (their user data the callback), or null where the library differs. */
export function privEntries(L: UcLib): Record<PrivKind, bigint> | null {
  if (entries !== undefined) return entries;
  entries = null;
  try {
    const r = process.arch === 'x64' && process.platform === 'linux' && process.env.P9EMU_FAULTPC !== 'infer' ? restoreState(L) : null;
    if (r === null) return null;
    const page = (kind: 'in' | 'out' | 'sys'): bigint | null => {
      const s = sites(L, kind);
      return s === null ? null : codePage(L, entryPage(r.restore, r.cpuOff, s, JUMPS[kind]));
    };
    const [i, o, y] = [page('in'), page('out'), page('sys')];
    if (i !== null && o !== null && y !== null) entries = { in: i, out: o, syscall: y, sysenter: y };
  } catch {
    entries = null;
  }
  return entries;
}
