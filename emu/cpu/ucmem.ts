// Guest memory on the engine: host memory mapped by pointer, protections,
// and dropping the code translated from pages that change.

import type { HostMem } from './cpu.ts';
import { UC_CTL_TB_FLUSH_W, UC_CTL_TB_REMOVE_CACHE_W, UC_ERR_OK } from './unicorn_ffi.ts';
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
    this.invalidate(addr, size);
    check(this.L.uc_mem_unmap(this.uc, addr, size), `unmap ${hex(addr)}+${hex(size)}`);
    this.memmap.unmap(addr, size);
  }

  protect(addr: number, size: number, prot: number): void {
    this.live();
    check(this.L.uc_mem_protect(this.uc, addr, size, prot), `protect ${hex(addr)}+${hex(size)}`);
    this.memmap.protect(addr, size, prot);
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
