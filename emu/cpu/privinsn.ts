// Instructions a ring-3 guest may not use that Unicorn 2.0.1 runs anyway.
//
// The engine lets I/O instructions through (gen_check_io returns at once:
// "Unicorn: allow all I/O instructions"), and SYSCALL and SYSENTER only
// call UC_HOOK_INSN hooks and move EIP on. SYSENTER adds its length to an
// EIP that was never synced to the instruction (translate.c case 0x134),
// so the guest resumes at a stale block start plus two, mid-instruction;
// random code doing that has taken the engine down with `tcg fatal
// error`. Under Plan 9 (IOPL 0, no SYSENTER MSRs, no EFER.SCE) each one
// faults. p9emu hooks all four in UC_HOOK_INSN, stops the engine there and
// reports the fault Plan 9 would deliver. EIP in these hooks is stale
// too: privsync.ts restores it from the translated block first; where it
// cannot, the instruction is found afterwards by walking from the stale
// EIP (faultpc.ts findInsnPc) for the first instruction of its kind.
// See docs/unicorn.md "Instructions Plan 9 forbids".

/** uc_x86_insn ids (x86.h, Unicorn 2.0.1). */
export const UC_X86_INS_IN = 218;
export const UC_X86_INS_OUT = 500;
export const UC_X86_INS_SYSCALL = 699;
export const UC_X86_INS_SYSENTER = 700;

export type PrivKind = 'in' | 'out' | 'syscall' | 'sysenter';

export interface PrivInsn {
  kind: PrivKind;
  insn: number;
  /** The exception Plan 9's CPU raises: #GP (IOPL 0; SYSENTER_CS_MSR 0) or #UD (SYSCALL without EFER.SCE). */
  vector: number;
}

export const PRIV_INSNS: readonly PrivInsn[] = [
  { kind: 'in', insn: UC_X86_INS_IN, vector: 13 },
  { kind: 'out', insn: UC_X86_INS_OUT, vector: 13 },
  { kind: 'syscall', insn: UC_X86_INS_SYSCALL, vector: 6 },
  { kind: 'sysenter', insn: UC_X86_INS_SYSENTER, vector: 13 },
];

// Operand-size, address-size, segment, LOCK and REP prefixes.
const PREFIX = new Set([0x66, 0x67, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65, 0xf0, 0xf2, 0xf3]);

/** Where the opcode starts in `b` (past any prefixes), or -1. */
export function opcodeAt(b: Uint8Array): number {
  for (let i = 0; i < b.length && i < 15; i++) if (!PREFIX.has(b[i]!)) return i;
  return -1;
}

/** Whether the instruction in `b` is of `kind`. */
export function isPriv(kind: PrivKind, b: Uint8Array): boolean {
  const i = opcodeAt(b);
  if (i < 0) return false;
  const op = b[i]!, op2 = b[i + 1];
  switch (kind) {
    case 'in': return op === 0xe4 || op === 0xe5 || op === 0xec || op === 0xed || op === 0x6c || op === 0x6d;
    case 'out': return op === 0xe6 || op === 0xe7 || op === 0xee || op === 0xef || op === 0x6e || op === 0x6f;
    case 'syscall': return op === 0x0f && op2 === 0x05;
    case 'sysenter': return op === 0x0f && op2 === 0x34;
  }
}

/** ICEBP (F1): the engine says invalid opcode; the CPU raises #DB after it. */
export function icebpEnd(b: Uint8Array): number {
  const i = opcodeAt(b);
  return i >= 0 && b[i] === 0xf1 ? i + 1 : -1;
}
