// Guest memory on the engine: host memory mapped by pointer, protections,
// and dropping the code translated from pages that change.

import type { HostMem } from './cpu.ts';
import { UC_CTL_TB_FLUSH_W, UC_CTL_TB_REMOVE_CACHE_W, UC_ERR_OK } from './unicorn_ffi.ts';
import { PROT_EXEC } from './cpu.ts';
import { check, CpuError, hex, SCR_BYTES, UcEngine } from './ucengine.ts';
import { MemMap } from './memmap.ts';

export class UcMem extends UcEngine {
  /** The mappings as made here, for direct access to guest memory (repstring.ts). */
  readonly memmap = new MemMap();

  map(addr: number, mem: HostMem, prot: number, size = mem.size, offset = 0): void {
    this.live();
    if (typeof mem.handle !== 'bigint') throw new CpuError('UnicornCpu.map: memory not from the native allocator');
    if (offset + size > mem.size) throw new CpuError('UnicornCpu.map: size larger than the memory');
    check(this.L.uc_mem_map_ptr(this.uc, addr, size, prot, mem.handle + BigInt(offset)), `map ${hex(addr)}+${hex(size)}`);
    this.memmap.map(addr, size, mem, offset, prot);
  }

  unmap(addr: number, size: number): void {
    this.live();
    // Drop code translated from these pages first: a later mapping at the
    // same address must not run the old code.
    this.dropCode(addr, size);
    check(this.L.uc_mem_unmap(this.uc, addr, size), `unmap ${hex(addr)}+${hex(size)}`);
    this.memmap.unmap(addr, size);
  }

  protect(addr: number, size: number, prot: number): void {
    this.live();
    // Code is translated only from executable regions; keep it so (unmapAll).
    if ((prot & PROT_EXEC) === 0) this.dropCode(addr, size);
    check(this.L.uc_mem_protect(this.uc, addr, size, prot), `protect ${hex(addr)}+${hex(size)}`);
    this.memmap.protect(addr, size, prot);
  }

  /**
   * Invalidate the executable mappings within [addr, addr+size): only they
   * can hold translated code, as unmap and protect keep it (a 1 GiB bss
   * remapped executable by segment.ts execfault would be 262,144 calls).
   */
  private dropCode(addr: number, size: number): void {
    const end = addr + size;
    for (const m of this.memmap.list()) {
      if ((m.prot & PROT_EXEC) === 0 || m.end <= addr || m.addr >= end) continue;
      const a = Math.max(m.addr, addr);
      this.invalidate(a, Math.min(m.end, end) - a);
    }
  }

  invalidate(addr: number, size: number): void {
    this.live();
    // UC_CTL_TB_REMOVE_CACHE translates only its start address to a host
    // page, so go page by page (ranges may span several mappings).
    const end = addr + size;
    for (let p = addr - (addr % 4096); p < end; p += 4096) {
      this.L.uc_ctl(this.uc, UC_CTL_TB_REMOVE_CACHE_W, 'uint64_t', p, 'uint64_t', p + 4096);
    }
  }

  /**
   * Unmap every region but the one at `keep` (the GDT's page), dropping
   * first the code translated from the executable ones: the other regions
   * were mapped without exec (segment.ts execfault), so no translation is
   * left. The engine's own list of regions (uc_mem_regions), not memmap's:
   * a brk's growth or a protect gives a region of its own, and one region
   * is one range of the engine's RAM, which one call invalidates whole.
   */
  protected unmapAll(keep: number): void {
    const L = this.L;
    const k = L.koffi;
    const out: unknown[] = [null];
    const count = [0];
    check(L.uc_mem_regions(this.uc, out, count), 'uc_mem_regions');
    const regions: { begin: number; end: number; perms: number }[] = [];
    if (count[0]! > 0 && out[0] !== null) {
      const at = (typeof out[0] === 'bigint' ? out[0] : k.address(out[0])) as bigint;
      const dv = new DataView(k.view(at as never, 24 * count[0]!) as ArrayBuffer);
      for (let i = 0; i < count[0]!; i++) {
        regions.push({ begin: Number(dv.getBigUint64(24 * i, true)), end: Number(dv.getBigUint64(24 * i + 8, true)), perms: dv.getUint32(24 * i + 16, true) });
      }
    }
    if (out[0] !== null) L.uc_free(out[0]);
    for (const r of regions) {
      if (r.begin === keep) continue;
      if (r.perms & PROT_EXEC) L.uc_ctl(this.uc, UC_CTL_TB_REMOVE_CACHE_W, 'uint64_t', r.begin, 'uint64_t', r.end + 1);
      check(L.uc_mem_unmap(this.uc, r.begin, r.end + 1 - r.begin), `unmap ${hex(r.begin)}`);
    }
    this.memmap.clear();
  }

  /** Whether anything was ever translated (run() was called). */
  protected ran = false;

  /**
   * Drop every translation. Skipped for an engine that never ran: 2.0.1's
   * tb_flush memsets the whole 1 GiB code buffer (tcg_region_assign), which
   * faults in and zeroes 512 huge pages (~0.1–2 s of kernel time).
   */
  flushTb(): void {
    if (!this.ran) return;
    check(this.L.uc_ctl(this.uc, UC_CTL_TB_FLUSH_W), 'TB flush');
  }

  /** n bytes at addr, or undefined where unmapped (the instruction before a trap). */
  protected peek(addr: number, n: number): Uint8Array | undefined {
    if (addr < 0) return undefined;
    const err = this.L.uc_mem_read(this.uc, addr, this.scratch + BigInt(SCR_BYTES), n);
    return err === UC_ERR_OK ? this.u8.subarray(SCR_BYTES, SCR_BYTES + n) : undefined;
  }

  /** Read guest memory through the engine (tests and diagnostics). */
  readMem(addr: number, n: number): Uint8Array {
    const buf = new Uint8Array(n);
    check(this.L.uc_mem_read(this.uc, addr, buf, n), `read ${hex(addr)}`);
    return buf;
  }

  /** Write guest memory through the engine (tests and diagnostics). */
  writeMem(addr: number, data: Uint8Array): void {
    check(this.L.uc_mem_write(this.uc, addr, data, data.length), `write ${hex(addr)}`);
  }
}
