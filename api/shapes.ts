// What the library's hooks get and give, and what a run gives back.

import type { Regs } from '../emu/cpu/cpu.ts';
import type { SysArg, TraceEvent } from '../emu/trace/event.ts';

/** A hook's answer: the call's result (AX) is `ret`, or it fails with `error` (AX -1, errstr set). */
export type SyscallOverride = { ret: number } | { error: string };

/** A system call as a hook sees it. */
export interface SyscallContext {
  pid: number;
  name: string;
  num: number;
  /** The arguments, decoded as the trace shows them (strings, fds with paths, buffers). */
  args: SysArg[];
  /** The raw argument words the kernel read from the stack. */
  words: readonly number[];
  /** The registers at the INT $64 (pc after it). */
  regs: Regs;
  /** At exit: the call's result and error string ('' unless ret is -1). */
  ret?: number;
  err?: string;
  /** The process's memory. */
  read(addr: number, len: number): Uint8Array;
  write(addr: number, data: Uint8Array): void;
  /** A NUL-terminated string at addr. */
  string(addr: number): string;
}

/** An instruction about to run, as a code hook sees it (it has not run yet). */
export interface CodeContext {
  pid: number;
  pc: number;
  regs: Regs;
  read(addr: number, len: number): Uint8Array;
  write(addr: number, data: Uint8Array): void;
  string(addr: number): string;
}

/** Where a memory hook listens: [from, to) (to defaults to from+1), addresses or symbols; reads, writes or both (default). */
export interface MemoryRange {
  from: number | string;
  to?: number | string;
  access?: 'r' | 'w' | 'rw';
}

/** A memory access as a memory hook sees it, before it is made. */
export interface MemoryAccess {
  pid: number;
  /** The accessing instruction. */
  pc: number;
  access: 'r' | 'w';
  addr: number;
  size: number;
  /** The value read (as memory holds it) or being written, little-endian unsigned; exact up to 6 bytes. */
  value: number;
  bytes: Uint8Array;
}

export interface SyscallHook {
  /** Before the call runs; an override replaces the call (it does not run). */
  enter?(c: SyscallContext): SyscallOverride | void;
  /** After the call returned, before the process sees the result; an override replaces it. */
  exit?(c: SyscallContext): SyscallOverride | void;
}

export interface RunResult {
  /** The first process's exit string ('' for success; 'deadlock' when everything blocked). */
  exitstr: string;
  /** The CLI's exit status for it: '' → 0, a decimal 1-255 → that number, else 1. */
  code: number;
  /** Every process's exit string, by pid. */
  exits: Record<number, string>;
  stdout: string;
  stderr: string;
  stdoutBytes: Uint8Array;
  /** Every event of the run (sys, notes, proc), as the JSONL trace writes them. */
  events: TraceEvent[];
  deadlock: boolean;
  timedout: boolean;
}
