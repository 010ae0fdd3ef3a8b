// Segments and the per-process address space (9front port/segment.c).
// A Segment owns host memory; every process using it (RFMEM sharers) maps
// the same HostMem into its own CPU, so a store by one is seen by all and by
// the kernel, which reads and writes guest memory directly through `bytes`.

import { PROT_EXEC, type Cpu, type HostAlloc, type HostMem } from '../cpu/cpu.ts';
import { BY2PG } from '../aout.ts';


/** The image's segments, and those segattach(2) adds: 'shared' (SG_SHARED, shared by fork) and 'memory' (SG_BSS). */
export type SegType = 'text' | 'data' | 'bss' | 'stack' | 'shared' | 'memory';

/** segattach attributes (9front port/portdat.h): read-only, and detached by exec. */
export const SG_RONLY = 0x20;
export const SG_CEXEC = 0x40;

export class Segment {
  /** Address spaces that map this segment (several when shared by RFMEM). */
  readonly users = new Set<AddressSpace>();

  /** Little-endian word access to mem, for the syscall fast path. */
  readonly view: DataView;
  /** Aligned words of mem (a typed array is faster than the DataView; the host is little-endian). */
  readonly u32: Uint32Array;

  constructor(
    readonly type: SegType,
    readonly base: number,
    public top: number,
    readonly mem: HostMem,
    public prot: number,
    /** SG_RONLY, SG_CEXEC, for segments segattach made. */
    readonly attr = 0,
  ) {
    this.view = new DataView(mem.bytes.buffer, mem.bytes.byteOffset, mem.bytes.byteLength);
    this.u32 = new Uint32Array(mem.bytes.buffer, mem.bytes.byteOffset, mem.bytes.byteLength >>> 2);
  }

  /** Bytes reserved behind the segment; top may grow up to base+limit. */
  get limit(): number {
    return this.mem.size;
  }

  /**
   * Move the top (brk). The caller checked the bounds. Every CPU that maps
   * the segment gets the new size; shrinking zeroes what it gives back, so a
   * later regrow reads zeros as on Plan 9.
   */
  setTop(top: number): void {
    const old = this.top;
    if (top === old) return;
    if (top < old) zero(this.mem, top - this.base, old - top);
    for (const as of this.users) {
      // Growth maps only the new pages, behind the old ones: no unmap, so
      // nothing translated is dropped (Go grows its heap this way often).
      if (top > old) as.cpu.map(old, this.mem, this.prot, top - old, old - this.base);
      else as.cpu.unmap(top, old - top);
    }
    this.top = top;
  }

  /** A private copy (fork without RFMEM, and every stack). Zero pages stay untouched. */
  copy(alloc: HostAlloc): Segment {
    const mem = alloc(this.mem.size, this.type === 'stack');
    const len = this.top - this.base;
    copyPages(this.mem.bytes, mem.bytes, len, this.mem.resident?.(len) ?? null);
    return new Segment(this.type, this.base, this.top, mem, this.prot, this.attr);
  }
}

/** Bytes of mem read as zero again, untouched pages left untouched. */
export function zero(mem: HostMem, off: number, len: number): void {
  if (mem.zero) mem.zero(off, len);
  else mem.bytes.fill(0, off, off + len);
}

const zeroPage = new Uint8Array(BY2PG);

/**
 * Copy only the pages that are not all zero: the target is fresh (zero)
 * memory. `resident` (when known) marks pages never touched, which are zero
 * without looking: a 16 MiB stack is mostly such pages.
 */
function copyPages(src: Uint8Array, dst: Uint8Array, len: number, resident: Uint8Array | null): void {
  const b = Buffer.from(src.buffer, src.byteOffset, len);
  for (let off = 0; off < len; off += BY2PG) {
    if (resident && (resident[off / BY2PG]! & 1) === 0) continue;
    const end = Math.min(off + BY2PG, len);
    if (b.compare(zeroPage, 0, end - off, off, end) !== 0) dst.set(src.subarray(off, end), off);
  }
}

const utf8 = new TextDecoder();

export class AddressSpace {
  readonly segs: Segment[] = [];
  /** The stack segment, where Tos lives. */
  stack: Segment | undefined;

  constructor(readonly cpu: Cpu) {}

  attach(s: Segment): void {
    this.segs.push(s);
    if (s.type === 'stack') this.stack = s;
    s.users.add(this);
    if (s.top > s.base) this.cpu.map(s.base, s.mem, s.prot, s.top - s.base);
  }

  /** Drop every segment; frees memory no one else maps (exit). */
  detachAll(): void {
    for (const s of [...this.segs]) this.detach(s);
  }

  /** Drop one segment from this address space (the caller unmaps it); frees it when no one else maps it. */
  detach(s: Segment): void {
    const i = this.segs.indexOf(s);
    if (i < 0) return;
    this.segs.splice(i, 1);
    if (s === this.stack) this.stack = undefined;
    s.users.delete(this);
    if (s.users.size === 0) s.mem.free();
  }

  /** The segments code may have been translated from: the only ones a new code or memory hook retranslates. */
  code(): Segment[] {
    return this.segs.filter((s) => s.type === 'text' || (s.prot & PROT_EXEC) !== 0);
  }

  /** The first segment other than `except` overlapping [va, va+len), if any (9front isoverlap). */
  overlap(va: number, len: number, except?: Segment): Segment | undefined {
    return this.segs.find((s) => s !== except && va + len > s.base && va < s.top);
  }

  /**
   * An instruction fetch faulted at addr. Data, bss and stack are mapped
   * without exec so that stores to them are fast (emu/cpu/notdirty.ts),
   * but Plan 9 386 has no no-execute bit: on the first fetch from any of
   * them, every writable segment becomes executable (for every process
   * mapping it) and the fetch is retried. False when addr is not such a
   * segment (a real fault).
   */
  execfault(addr: number): boolean {
    const s = this.seg(addr);
    if (!s || s.type === 'text' || (s.prot & PROT_EXEC) !== 0) return false;
    for (const t of this.segs) {
      if (t.type === 'text' || (t.prot & PROT_EXEC) !== 0) continue;
      t.prot |= PROT_EXEC;
      // Mapped again rather than protected: Unicorn's protect keeps the TLB
      // entries made while the pages were not executable, and those lack
      // the check that makes a store into code drop its translation.
      for (const as of t.users) {
        if (t.top <= t.base) continue;
        as.cpu.unmap(t.base, t.top - t.base);
        as.cpu.map(t.base, t.mem, t.prot, t.top - t.base);
      }
    }
    return true;
  }

  seg(addr: number): Segment | undefined {
    const segs = this.segs;
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i]!;
      if (addr >= s.base && addr < s.top) return s;
    }
    return undefined;
  }

  byType(t: SegType): Segment | undefined {
    return this.segs.find((s) => s.type === t);
  }

  /** Is [addr, addr+len) mapped (and writable when asked), possibly across adjacent segments? (9front okaddr) */
  okaddr(addr: number, len: number, write: boolean): boolean {
    const end = addr + len;
    if (addr < 0 || end > 0x1_0000_0000 || len < 0) return false;
    for (;;) {
      const s = this.seg(addr);
      if (!s || (write && (s.type === 'text' || (s.attr & SG_RONLY) !== 0))) return false;
      if (end <= s.top) return true;
      addr = s.top;
    }
  }

  /** Copy of guest bytes; the caller checked okaddr. */
  read(addr: number, len: number): Uint8Array {
    const s = this.seg(addr)!;
    if (addr + len <= s.top) return s.mem.bytes.slice(addr - s.base, addr - s.base + len);
    const out = new Uint8Array(len);
    for (let done = 0; done < len; ) {
      const t = this.seg(addr + done)!;
      const n = Math.min(len - done, t.top - (addr + done));
      out.set(t.mem.bytes.subarray(addr + done - t.base, addr + done - t.base + n), done);
      done += n;
    }
    return out;
  }

  /** Store guest bytes; the caller checked okaddr (text is writable here: the loader uses it). */
  write(addr: number, data: Uint8Array): void {
    // Within one segment, the common case, data goes in whole: a subarray
    // of a small array just made (a device's reply) would make V8 give it
    // an ArrayBuffer of its own first.
    const s = this.seg(addr);
    if (s && addr + data.length <= s.top) {
      s.mem.bytes.set(data, addr - s.base);
      return;
    }
    for (let done = 0; done < data.length; ) {
      const t = this.seg(addr + done)!;
      const n = Math.min(data.length - done, t.top - (addr + done));
      t.mem.bytes.set(data.subarray(done, done + n), addr + done - t.base);
      done += n;
    }
  }

  u32(addr: number): number {
    const s = this.seg(addr);
    if (s && addr + 4 <= s.top) {
      const o = addr - s.base, b = s.mem.bytes;
      return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
    }
    const b = this.read(addr, 4);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }

  setU32(addr: number, v: number): void {
    const s = this.seg(addr);
    if (s && addr + 4 <= s.top) {
      const o = addr - s.base, b = s.mem.bytes;
      b[o] = v;
      b[o + 1] = v >>> 8;
      b[o + 2] = v >>> 16;
      b[o + 3] = v >>> 24;
      return;
    }
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    this.write(addr, b);
  }

  /**
   * A NUL-terminated string at addr, at most max bytes before the NUL;
   * undefined when it runs into unmapped memory or has no NUL within max.
   */
  str(addr: number, max: number): string | undefined {
    const bytes: number[] = [];
    for (let a = addr; bytes.length <= max; ) {
      const s = this.seg(a);
      if (!s) return undefined;
      const b = s.mem.bytes;
      for (let o = a - s.base; o < s.top - s.base; o++, a++) {
        const c = b[o]!;
        if (c === 0) return utf8.decode(new Uint8Array(bytes));
        bytes.push(c);
        if (bytes.length > max) return undefined;
      }
    }
    return undefined;
  }
}
