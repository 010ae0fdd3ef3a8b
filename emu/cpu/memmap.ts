// The engine's guest mappings as the CPU made them (map, unmap, protect),
// for code that works on guest memory directly through HostMem.bytes
// (repstring.ts) instead of through the engine. Page-granular ranges,
// sorted, split by partial unmaps and protects, neighbours of the same
// memory and protection merged.

import type { HostMem } from './cpu.ts';

export interface Mapping {
  addr: number;
  end: number;
  mem: HostMem;
  /** Where addr is in mem. */
  off: number;
  prot: number;
}

export class MemMap {
  private maps: Mapping[] = [];

  /** Every mapping, by address. */
  list(): readonly Mapping[] {
    return this.maps;
  }

  /** The mapping holding addr, if any. */
  at(addr: number): Mapping | undefined {
    const m = this.maps;
    let lo = 0, hi = m.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const x = m[mid]!;
      if (addr < x.addr) hi = mid - 1;
      else if (addr >= x.end) lo = mid + 1;
      else return x;
    }
    return undefined;
  }

  map(addr: number, size: number, mem: HostMem, off: number, prot: number): void {
    this.cut(addr, addr + size);
    this.maps.push({ addr, end: addr + size, mem, off, prot });
    this.tidy();
  }

  unmap(addr: number, size: number): void {
    this.cut(addr, addr + size);
  }

  protect(addr: number, size: number, prot: number): void {
    const end = addr + size;
    const inside = this.cut(addr, end);
    for (const x of inside) this.maps.push({ ...x, prot });
    this.tidy();
  }

  /** Forget every mapping (the engine has unmapped them all). */
  clear(): void {
    this.maps = [];
  }

  /** Take [addr, end) out of every mapping; returns the pieces taken. */
  private cut(addr: number, end: number): Mapping[] {
    const keep: Mapping[] = [];
    const taken: Mapping[] = [];
    for (const x of this.maps) {
      if (x.end <= addr || x.addr >= end) {
        keep.push(x);
        continue;
      }
      if (x.addr < addr) keep.push({ ...x, end: addr });
      if (x.end > end) keep.push({ ...x, addr: end, off: x.off + (end - x.addr) });
      const a = Math.max(x.addr, addr), e = Math.min(x.end, end);
      taken.push({ ...x, addr: a, end: e, off: x.off + (a - x.addr) });
    }
    this.maps = keep;
    return taken;
  }

  private tidy(): void {
    const m = this.maps.sort((a, b) => a.addr - b.addr);
    const out: Mapping[] = [];
    for (const x of m) {
      const last = out[out.length - 1];
      if (last && last.end === x.addr && last.mem === x.mem && last.prot === x.prot && last.off + (last.end - last.addr) === x.off) last.end = x.end;
      else out.push(x);
    }
    this.maps = out;
  }
}
