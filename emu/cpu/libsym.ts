// The loaded libunicorn's own symbols and code, for the places where
// p9emu reads or mends a detail of the 2.0.1 build that the API does not
// reach (exitreq.ts, notdirty.ts, farreg.ts, blockcount.ts, syncpc.ts), and
// pages of host code of our own (blockcount.ts's block hook, syncpc.ts's
// fault hook entry). Each must fail soft:
// when a symbol or a byte pattern is not what it expects, p9emu runs
// without the mend.

import { readFileSync } from 'node:fs';
import type { UcLib } from './unicorn_ffi.ts';

type Libc = {
  dlopen: (file: string, mode: number) => unknown;
  dlsym: (h: unknown, name: string) => unknown;
  mprotect: (addr: unknown, len: number, prot: number) => number;
  mmap: (addr: unknown, len: number, prot: number, flags: number, fd: number, off: number) => unknown;
  munmap: (addr: unknown, len: number) => number;
};

let libc: Libc | undefined;

function loadLibc(L: UcLib): Libc {
  if (libc) return libc;
  const k = L.koffi;
  const c = k.load(process.platform === 'darwin' ? 'libSystem.B.dylib' : 'libc.so.6');
  libc = {
    dlopen: c.func('void *dlopen(const char *file, int mode)'),
    dlsym: c.func('void *dlsym(void *h, const char *name)'),
    mprotect: c.func('int mprotect(void *addr, size_t len, int prot)'),
    mmap: c.func('void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off)'),
    munmap: c.func('int munmap(void *addr, size_t len)'),
  };
  return libc;
}

/** Address of an exported symbol of the already loaded library, or null. */
export function libsym(L: UcLib, name: string): bigint | null {
  const c = loadLibc(L);
  const RTLD_NOW = 2, RTLD_NOLOAD = process.platform === 'darwin' ? 0x10 : 4;
  const h = c.dlopen(L.path, RTLD_NOW | RTLD_NOLOAD);
  if (!h) return null;
  const fn = c.dlsym(h, name);
  return fn ? BigInt(L.koffi.address(fn) as bigint) : null;
}

/** The bytes a hex string spells ('e9fd...'): how the mends write host code. */
export function hexBytes(s: string): number[] {
  return s.match(/../g)!.map((b) => parseInt(b, 16));
}

/** A 32-bit immediate's bytes, little-endian: how the mends rewrite a constant. */
export function le32(v: number): Uint8Array {
  return Uint8Array.of(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24);
}

/**
 * Write `patch` at `at + off` when the library's bytes at `at` are `want`:
 * true when they hold `want` with `patch` at `off` (written now, or by an
 * earlier mend), false for any other bytes, which are left alone.
 */
export function mendAt(L: UcLib, at: bigint, want: readonly number[], off: number, patch: readonly number[]): boolean {
  const mended = [...want];
  mended.splice(off, patch.length, ...patch);
  const got = libbytes(L, at, want.length);
  if (sameBytes(got, mended)) return true;
  if (!sameBytes(got, want)) return false;
  return patchBytes(L, at + BigInt(off), Uint8Array.from(patch));
}

/** Does the library hold exactly these bytes at addr? */
export function libHolds(L: UcLib, addr: bigint, want: readonly number[]): boolean {
  return sameBytes(libbytes(L, addr, want.length), want);
}

/** Does code begin with exactly these bytes? */
export function sameBytes(code: Uint8Array, want: readonly number[]): boolean {
  return want.every((b, i) => code[i] === b);
}

/** The n bytes at addr (library code), as a live view. */
export function libbytes(L: UcLib, addr: bigint, n: number): Uint8Array {
  return new Uint8Array(L.koffi.view(addr as never, n) as ArrayBuffer);
}

/**
 * Overwrite library code ('rx', the default) or read-only data ('r'), its
 * pages made writable for the moment. False if the host refuses.
 */
export function patchBytes(L: UcLib, addr: bigint, bytes: Uint8Array, prot: 'rx' | 'r' = 'rx'): boolean {
  const c = loadLibc(L);
  const page = addr & ~0xfffn;
  const len = Number(addr + BigInt(bytes.length) - page + 0xfffn) & ~0xfff;
  const R = 1, X = 4, W = 2;
  if (c.mprotect(page as never, len, R | W | (prot === 'rx' ? X : 0)) !== 0) return false;
  try {
    libbytes(L, addr, bytes.length).set(bytes);
  } finally {
    c.mprotect(page as never, len, prot === 'rx' ? R | X : R);
  }
  return true;
}

/** How far a rel32 may reach, less a page. */
const REL32 = 0x7fff0000n;

/**
 * Free pages within a rel32 of `near`, nearest first: in each gap between
 * the process's mappings (/proc/self/maps), the page closest to it. The
 * space just below a library is often taken (the node heap, engines' code
 * buffers of 1 GiB each), so guessing addresses there failed in some
 * layouts and the mend needing the page was left out.
 */
export function freeNear(near: bigint): bigint[] {
  let maps: string;
  try {
    maps = readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return [];
  }
  const ranges = maps.split('\n').filter((l) => l !== '').map((l) => l.slice(0, l.indexOf(' ')).split('-').map((x) => BigInt('0x' + x)) as [bigint, bigint]);
  const dist = (p: bigint) => (p > near ? p - near : near - p);
  const out: bigint[] = [];
  for (let i = 0; i + 1 < ranges.length; i++) {
    const lo = ranges[i]![1], hi = ranges[i + 1]![0] - 4096n;
    if (hi < lo) continue;
    const page = near < lo ? lo : near > hi ? hi : near & ~0xfffn;
    if (dist(page) < REL32) out.push(page);
  }
  return out.sort((a, b) => (dist(a) < dist(b) ? -1 : dist(a) > dist(b) ? 1 : 0)).slice(0, 16);
}

/**
 * A fresh page of host code holding `code` (read and execute only), or
 * null if the host refuses. With `near`, the page must be within a 32-bit
 * displacement of that address (for a rel32 call from library code): the
 * free pages nearest to it are asked for, then the pages below it one
 * after another.
 */
export function codePage(L: UcLib, code: Uint8Array, near?: bigint): bigint | null {
  if (process.platform !== 'linux' || code.length > 4096) return null;
  const c = loadLibc(L);
  const PROT_RW = 1 | 2, PROT_RX = 1 | 4, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
  const munmap = (a: bigint) => c.munmap(a as never, 4096);
  const hints: (bigint | null)[] = near === undefined ? [null] : freeNear(near);
  if (near !== undefined) for (let i = 1; i <= 64; i++) hints.push((near & ~0xfffffn) - BigInt(i) * 0x100000n);
  for (const hint of hints) {
    const p = c.mmap(hint as never, 4096, PROT_RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    const addr = p ? BigInt(L.koffi.address(p) as bigint) : -1n;
    if (addr === -1n || addr === 0n || addr === 0xffffffffffffffffn) continue;
    const d = near === undefined ? 0n : addr - near;
    if (d < -REL32 || d > REL32) {
      munmap(addr);
      continue;
    }
    libbytes(L, addr, code.length).set(code);
    return c.mprotect(p, 4096, PROT_RX) === 0 ? addr : null;
  }
  return null;
}

/**
 * A mend applied at most once per process: `mend` says whether it took
 * (or was there already). It runs on x86-64 Linux only, and anything it
 * throws counts as not applied: p9emu then runs without it.
 */
export function mendOnce(mend: (L: UcLib) => boolean): (L: UcLib) => boolean {
  let state: boolean | undefined;
  return (L) => {
    if (state !== undefined) return state;
    state = false;
    if (process.arch !== 'x64' || process.platform !== 'linux') return state;
    try {
      state = mend(L);
    } catch {
      state = false;
    }
    return state;
  };
}
