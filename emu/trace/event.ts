// The kernel's trace events: one typed stream that every view (ratrace
// text, JSONL, Perfetto) is rendered from. Field names here are the JSONL
// schema (docs/trace.md): rename nothing without updating it.

/** A decoded system-call argument (Blink's trace signatures, as data). */
export type SysArg =
  | { t: 'int'; v: number }
  | { t: 'uint'; v: number }
  | { t: 'ptr'; v: number }
  | { t: 'vlong'; v: number }
  /** A NUL-terminated user string; s is null when unreadable. out: the call fills it (read at exit). */
  | { t: 'str'; v: number; s: string | null; out?: true }
  /** An fd and the path of its Chan (null: not open). */
  | { t: 'fd'; v: number; path: string | null }
  | { t: 'omode'; v: number; names: string[] }
  | { t: 'rfork'; v: number; names: string[] }
  /**
   * A data buffer: `data` is its first bytes (at most 64), with bytes
   * outside 0x20-0x7e written \xNN. In buffers are read at entry, out
   * buffers at exit (only the bytes the call returned).
   */
  | { t: 'buf'; v: number; dir: 'in' | 'out'; len: number; data: string | null };

export interface SysEnterEvent {
  kind: 'sysenter';
  pid: number;
  /** The process's text (its program name), as ratrace prints it. */
  text: string;
  num: number;
  name: string;
  /** pc after the INT $64. */
  pc: number;
  args: SysArg[];
  t0: number;
}

export interface SysEvent {
  kind: 'sys';
  pid: number;
  text: string;
  num: number;
  name: string;
  pc: number;
  args: SysArg[];
  ret: number;
  /** The error string when ret is -1, else ''. */
  err: string;
  /** Entry and exit, in ns since boot (virtual under --deterministic). */
  t0: number;
  t1: number;
  /** The call was injected to fail (--fail-syscall) and did not run. */
  injected?: boolean;
}

export type NoteWhat = 'post' | 'drop' | 'deliver' | 'noted' | 'killed';

export interface NoteEvent {
  kind: 'note';
  /** The receiver. */
  pid: number;
  what: NoteWhat;
  msg: string;
  /** post/drop: the posting process (absent for the kernel's own notes). */
  from?: number;
  /** post: the note flag (0 NUser, 1 NExit, 2 NDebug); queued: notes now queued. */
  flag?: number;
  queued?: number;
  /** deliver: the Ureg's user address and the interrupted pc. */
  ureg?: number;
  pc?: number;
  /** noted: the noted() argument (0 NCONT, 1 NDFLT, 2 NSAVE, 3 NRSTR). */
  mode?: number;
  t: number;
}

export type ProcWhat = 'rfork' | 'exec' | 'exits' | 'wait' | 'internal' | 'blocked' | 'postmortem';

export interface ProcEvent {
  kind: 'proc';
  pid: number;
  what: ProcWhat;
  /** Human-readable summary (kept for older readers): flags=…, "name", 'status'. */
  detail: string;
  /** rfork: the flags and the child (0 without RFPROC). */
  flags?: number;
  flagnames?: string[];
  child?: number;
  /** exec: the program name; internal: the call. */
  name?: string;
  /** exits: the exit string; wait: the child's wait message; internal: the exception's message. */
  status?: string;
  /** postmortem (a death by a note, --post-mortem any death): where it was (emu/debug/postmortem.ts). */
  postmortem?: {
    note: string;
    pc: number;
    regs: Record<string, number>;
    frames: Array<{ pc: number; where: string; file?: string; line?: number; guess?: boolean }>;
  };
  t: number;
}

export interface FaultEvent {
  kind: 'fault';
  pid: number;
  /** The note the fault becomes ('sys: trap: fault read addr=0x0'). */
  note: string;
  pc: number;
  vector?: number;
  access?: 'read' | 'write' | 'fetch';
  addr?: number;
  t: number;
}

export interface InsnEvent {
  kind: 'insn';
  pid: number;
  pc: number;
  /** Instruction bytes, hex. */
  bytes: string;
  /** Disassembly (Intel, or Plan 9 operand order with --insn-syntax plan9). */
  asm: string;
  /** symbol+0xoff from the program's a.out symbol table, '' when none. */
  sym: string;
  /** Registers changed by the previous instruction of this process (with --insn-regs). */
  regs?: Record<string, number>;
}

export type TraceEvent = SysEnterEvent | SysEvent | NoteEvent | ProcEvent | FaultEvent | InsnEvent;

export type Sink = (ev: TraceEvent) => void;
