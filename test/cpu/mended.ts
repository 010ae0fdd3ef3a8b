// Test helper: a mend of the system library (emu/cpu/*.ts) took, and the
// bytes it wrote are there. Another library (P9EMU_LIBUNICORN), or the
// mend's own opt-out, may legitimately leave it off: then nothing is checked.
import { expect } from 'vitest';
import { unicorn, type UcLib } from '../../emu/cpu/unicorn_ffi.ts';
import { libbytes, libsym } from '../../emu/cpu/libsym.ts';

export function expectMended(mend: (L: UcLib) => boolean, optOut: boolean, sym: string, off: bigint, bytes: number[]): void {
  if (process.env.P9EMU_LIBUNICORN || optOut) return;
  const L = unicorn();
  expect(mend(L)).toBe(true);
  expect([...libbytes(L, libsym(L, sym)! + off, bytes.length)]).toEqual(bytes);
}
