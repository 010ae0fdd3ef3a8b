// Checking and copying system-call arguments (9front validaddr, validnamedup,
// and the copy loops of sysfile.c). A bad pointer posts the NDebug note
// 'sys: bad address in syscall' and fails the call with Ebadarg, which kills
// a process that has no handler.

import type { Proc } from './proc.ts';
import { Ebadarg, Etoolong, error } from './error.ts';
import { NDebug } from './dat.ts';
import { postnote } from './note.ts';
import { watchkernel } from './watchpt.ts';
import { words64 } from './vlong.ts';

/** The signature of every system call: the caller and its 5 argument words (unsigned). */
export type Sysfn = (up: Proc, a: readonly number[]) => number;

export function badaddr(up: Proc): never {
  postnote(up, 'sys: bad address in syscall', NDebug);
  return error(Ebadarg);
}

export function validaddr(up: Proc, addr: number, len: number, write: boolean): void {
  if (len < 0 || !up.as.okaddr(addr >>> 0, len, write)) badaddr(up);
}

/** validaddr, and the access seen by the process's watchpoints (watchpt.ts): what every copy to or from user memory does first. */
function useraccess(up: Proc, addr: number, len: number, write: boolean): void {
  validaddr(up, addr, len, write);
  if (up.watch !== null) watchkernel(up, addr, len, write);
}

export function copyin(up: Proc, addr: number, len: number): Uint8Array {
  useraccess(up, addr, len, false);
  return up.as.read(addr >>> 0, len);
}

export function copyout(up: Proc, addr: number, data: Uint8Array): void {
  useraccess(up, addr, data.length, true);
  up.as.write(addr >>> 0, data);
}

/** A user string argument (a path, a note): NUL-terminated within the limit. */
export function validstr(up: Proc, addr: number, max = 8192): string {
  const s = up.as.str(addr >>> 0, max);
  if (s === undefined) return badaddr(up);
  if (up.watch !== null) watchkernel(up, addr, s.length + 1, false);
  return s;
}

/** Names are shorter than 64 KiB, to fit a 9P string (9front/4e chan.c validname0). */
const NAMEMAX = 1 << 16;

/**
 * A path argument (9front validaddr + validnamedup): the first byte
 * mapped, then every byte to the NUL, found within NAMEMAX bytes, else
 * 'name too long' (an error string, not a note).
 */
export function namearg(up: Proc, addr: number): string {
  validaddr(up, addr, 1, false);
  const s = up.as.str(addr >>> 0, NAMEMAX - 1);
  if (s !== undefined) {
    if (up.watch !== null) watchkernel(up, addr, s.length + 1, false);
    return s;
  }
  return up.as.okaddr(addr >>> 0, NAMEMAX, false) ? error(Etoolong) : badaddr(up);
}

/** A signed 32-bit argument word. */
export function int(w: number): number {
  return w | 0;
}

/** A vlong passed as two words, low first (pread offsets, seek). */
export function vlong(a: readonly number[], i: number): number {
  return (a[i + 1]! | 0) * 0x1_0000_0000 + (a[i]! >>> 0);
}

/**
 * Store a vlong through a user pointer (seek's and nsec's hidden result):
 * copyout's checks, then its two words straight into memory, which for
 * nsec, millions of calls from Go's timers, beats building a reply.
 */
export function putvlong(up: Proc, addr: number, v: number | bigint): void {
  useraccess(up, addr, 8, true);
  const [lo, hi] = words64(v);
  up.as.setU32(addr >>> 0, lo);
  up.as.setU32((addr + 4) >>> 0, hi);
}
