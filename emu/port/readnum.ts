// Reading small generated files at an offset (9front port/devcons.c
// readnum and readstr): every device that serves text from the kernel
// (#c/pid, /proc/N/status, /fd/Nctl, …) goes through these two.

import { NUMSIZE } from './dat.ts';

const enc = new TextEncoder();

/** The part of b that a read of n bytes at off sees. */
export function readbytes(b: Uint8Array, n: number, off: number): Uint8Array {
  if (off >= b.length || n <= 0) return new Uint8Array(0);
  return b.slice(off, Math.min(b.length, off + n));
}

/** readstr: s as bytes, seen through a read of n at off. */
export function readstr(s: string, n: number, off: number): Uint8Array {
  return readbytes(enc.encode(s), n, off);
}

/** The readnum text of v: right-aligned in size-1 columns, then a space ("%*lud "). */
export function numfield(v: number, size = NUMSIZE): string {
  return String(v >>> 0).padStart(size - 1) + ' ';
}

/** readnum: a number in a size-byte field, seen through a read of n at off. */
export function readnum(v: number, n: number, off: number, size = NUMSIZE): Uint8Array {
  return readstr(numfield(v, size).slice(-size), n, off);
}
