// Host memory for guest pages.
//
// unicornAlloc: anonymous mmap through libc (via koffi). The kernel only
// zero-fills pages when they are first touched, so a 16 MiB stack segment
// costs nothing until the guest uses it. `handle` is the native address
// (a BigInt) that UnicornCpu passes to uc_mem_map_ptr; `bytes` is a
// zero-copy koffi.view of the same memory, so the kernel's copyin/copyout
// and the guest see the same bytes, and two engines mapping one HostMem
// (RFMEM) share it.
//
// jsAlloc: plain JS memory for the fake CPU, so kernel unit tests need no
// native code at all.

import { closeSync, openSync, readSync } from 'node:fs';
import type { HostAlloc, HostMem } from './cpu.ts';
import { koffi } from './unicorn_ffi.ts';

/**
 * The host's page (mmap's granularity, /proc/self/pagemap's index): a
 * property of the host, not the guest's BY2PG (emu/aout.ts), though both
 * are 4 KiB on x86.
 */
const HOSTPG = 4096;

function hostRound(n: number): number {
  return Math.ceil(n / HOSTPG) * HOSTPG;
}

function checkSize(size: number): number {
  if (!Number.isInteger(size) || size <= 0) throw new RangeError(`hostmem: bad size ${size}`);
  const rounded = hostRound(size);
  // A Uint8Array cannot be longer than this; Plan 9 segments are far smaller.
  if (rounded > 2 ** 32) throw new RangeError(`hostmem: size ${size} too large`);
  return rounded;
}

interface Libc {
  mmap: (addr: null, len: number, prot: number, flags: number, fd: number, off: number) => bigint;
  munmap: (addr: bigint, len: number) => number;
  madvise: (addr: bigint, len: number, advice: number) => number;
  MAP_FLAGS: number;
}

let libc: Libc | undefined;

function getLibc(): Libc {
  if (libc) return libc;
  const k = koffi();
  const lib = k.load(process.platform === 'darwin' ? 'libc.dylib' : 'libc.so.6');
  // MAP_PRIVATE|MAP_ANONYMOUS: Linux 0x02|0x20, macOS 0x0002|0x1000.
  const MAP_FLAGS = process.platform === 'darwin' ? 0x1002 : 0x22;
  libc = {
    // `void *` results come back as BigInt addresses in koffi 3.
    mmap: lib.func('void *mmap(void *addr, size_t len, int prot, int flags, int fd, intptr_t off)'),
    munmap: lib.func('int munmap(void *addr, size_t len)'),
    madvise: lib.func('int madvise(void *addr, size_t len, int advice)'),
    MAP_FLAGS,
  };
  return libc;
}

const PROT_RW = 1 | 2; // host PROT_READ|PROT_WRITE
const MADV_DONTNEED = 4; // Linux
/** Segments of this size or more live in a SharedArrayBuffer (NativeMem.fromShared). */
const SHARED_FROM = 256 << 10;
/** glibc's largest mmap threshold: calloc maps fresh zero pages for a block larger than this. */
const MMAP_THRESHOLD_MAX = 32 << 20;

/**
 * A huge page of the host (x86-64's 2 MiB). A segment the guest fills
 * densely (text and data, copied in whole; a bss, where brk grows) is
 * advised for transparent huge pages (madvise MADV_HUGEPAGE; Linux's
 * `madvise` mode): the first touch of each 2 MiB then takes one fault in
 * place of 512, and a fault is dear, most of all in a virtual machine
 * (docs/startup.md). A stack is sparse (its top pages only): it keeps
 * small pages, as one huge page would zero 2 MiB for a few KiB.
 */
const HUGEPG = 2 << 20;
const MADV_HUGEPAGE = 14; // Linux
/** Huge pages for the segments that are not sparse (P9EMU_THP=off: none). */
const thp = () => process.platform === 'linux' && process.env.P9EMU_THP !== 'off';

/**
 * Large segments' buffers given back (their pages handed back to the host,
 * so they read as zero), for the next segment of the same size: every
 * process has a 16 MiB stack, and a new SharedArrayBuffer is a calloc, an
 * mmap and later a munmap from V8's collector.
 */
const spare: { shared: SharedArrayBuffer; huge: boolean }[] = [];
const SPARE_MAX = 8;

class NativeMem implements HostMem {
  readonly size: number;
  bytes!: Uint8Array;  // set by the constructor or fromShared
  handle: bigint;
  private live = true;

  /**
   * Which pages the host has ever backed: a page never touched is still all
   * zeros, so a copy can skip it without reading it. Linux's
   * /proc/self/pagemap says, per page, present (bit 63) or swapped (bit 62);
   * mincore would miss swapped pages. Null where there is no pagemap.
   */
  resident(len = this.size): Uint8Array | null {
    const n = Math.ceil(len / HOSTPG);
    const raw = Buffer.alloc(n * 8);
    try {
      const fd = openSync('/proc/self/pagemap', 'r');
      try {
        if (readSync(fd, raw, 0, raw.length, Number(this.handle / BigInt(HOSTPG)) * 8) !== raw.length) return null;
      } finally {
        closeSync(fd);
      }
    } catch {
      return null;
    }
    const vec = new Uint8Array(n);
    for (let i = 0; i < n; i++) vec[i] = raw[i * 8 + 7]! & 0xc0 ? 1 : 0;
    return vec;
  }

  /**
   * Whole host pages are handed back (Linux MADV_DONTNEED: a private
   * anonymous page then reads as zero and is no longer resident); only the
   * partial pages at the ends are written. Writing zeros over the range
   * instead made a brk that shrank a 2 GiB bss fault in all of it.
   */
  zero(off: number, len: number): void {
    const first = hostRound(off), last = Math.floor((off + len) / HOSTPG) * HOSTPG;
    if (process.platform !== 'linux' || last <= first || getLibc().madvise(this.handle + BigInt(first), last - first, MADV_DONTNEED) !== 0) {
      this.bytes.fill(0, off, off + len);
      return;
    }
    this.bytes.fill(0, off, first);
    this.bytes.fill(0, last, off + len);
  }

  /** Holds a large segment's memory (fromShared); null for a segment of our own mmap. */
  private shared: SharedArrayBuffer | null = null;
  /** The shared buffer was advised for huge pages. */
  private huge = false;

  constructor(size: number, sparse: boolean) {
    const c = getLibc();
    this.size = checkSize(size);
    if (this.size >= SHARED_FROM) {
      this.handle = this.fromShared(!sparse && thp());
      return;
    }
    const p = c.mmap(null, this.size, PROT_RW, c.MAP_FLAGS, -1, 0);
    // MAP_FAILED is (void *)-1; koffi may also give null for a 0 address.
    if (p === null || p === undefined || BigInt.asIntN(64, BigInt(p)) === -1n) {
      throw new Error(`hostmem: mmap of ${this.size} bytes failed`);
    }
    this.handle = BigInt(p);
    this.bytes = new Uint8Array(koffi().view(this.handle, this.size));
  }

  /**
   * A large segment (a bss with room for its brk up to the machine's
   * memory, a 16 MiB stack) lives in a SharedArrayBuffer: V8 does not
   * count a shared buffer's memory against its external memory limit, so
   * it starts no "external memory pressure" collections, as a koffi.view
   * of our own mmap did (scavenges and a full mark-compact in every run
   * of a Go hello: docs/startup.md). Node's allocator takes it from
   * calloc, which maps fresh zero pages for a block above glibc's largest
   * mmap threshold, so pages are backed only when touched; a smaller
   * segment asks for that much address space, never touched. One page
   * more, to start the segment on a page; or one huge page more, to start
   * it on a huge page when `huge`.
   */
  private fromShared(huge: boolean): bigint {
    const align = huge ? HUGEPG : HOSTPG;
    const length = Math.max(this.size, MMAP_THRESHOLD_MAX + 1) + align;
    this.huge = huge;
    const i = spare.findIndex((s) => s.huge === huge && s.shared.byteLength === length);
    let u8: Uint8Array;
    try {
      this.shared = i >= 0 ? spare.splice(i, 1)[0]!.shared : new SharedArrayBuffer(length);
      u8 = new Uint8Array(this.shared);
    } catch {
      throw new Error(`hostmem: mmap of ${this.size} bytes failed`);
    }
    const base = koffi().address(u8);
    const off = Number((BigInt(align) - (base % BigInt(align))) % BigInt(align));
    this.bytes = u8.subarray(off, off + this.size);
    const addr = base + BigInt(off);
    // Whole huge pages, within the buffer (a spare one was advised already).
    if (huge && i < 0) getLibc().madvise(addr, Math.min(Math.ceil(this.size / HUGEPG) * HUGEPG, Math.floor((u8.length - off) / HOSTPG) * HOSTPG), MADV_HUGEPAGE);
    return addr;
  }

  free(): void {
    if (!this.live) return;
    this.live = false;
    // Only our reference to the view is dropped: "detaching" it with
    // structuredClone(..., {transfer}) makes V8 copy the whole external
    // buffer (1.9 s for 1 GiB). Views the caller kept must not be used.
    this.bytes = new Uint8Array(0);
    if (this.shared !== null) {
      // Its pages go back now; V8 frees the buffer when it collects it,
      // unless it is kept, reading as zero, for the next segment its size.
      if (process.platform === 'linux' && getLibc().madvise(this.handle, this.size, MADV_DONTNEED) === 0 && spare.length < SPARE_MAX) {
        spare.push({ shared: this.shared, huge: this.huge });
      }
      this.shared = null;
    } else {
      getLibc().munmap(this.handle, this.size);
    }
    this.handle = 0n;
  }
}

/** Page-aligned, lazily zeroed native memory that Unicorn can map. */
export const unicornAlloc: HostAlloc = (size, sparse = false) => new NativeMem(size, sparse);

class JsMem implements HostMem {
  readonly size: number;
  bytes: Uint8Array;
  readonly handle = undefined;
  constructor(size: number) {
    this.size = checkSize(size);
    this.bytes = new Uint8Array(this.size);
  }
  free(): void {
    this.bytes = new Uint8Array(0);
  }
}

/** JS-heap memory for the fake CPU (not mappable by Unicorn). */
export const jsAlloc: HostAlloc = (size) => new JsMem(size);
