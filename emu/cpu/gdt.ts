// The segments Plan 9 user code runs with. The engine runs 32-bit
// protected mode with paging off, so guest addresses are Unicorn addresses.
// User code sees cs=UESEL and ss/ds/es=UDSEL at CPL 3; Unicorn only accepts
// those selectors with a GDT, so one read-only page at GDT_BASE (above
// Plan 9 user space) holds a flat code and a flat data descriptor.

import type { HostMem } from './cpu.ts';
import { check, SCR_MMR, type UcEngine } from './ucengine.ts';
import { X86 } from './unicorn_ffi.ts';
import { unicornAlloc } from './hostmem.ts';
import { UDSEL, UESEL } from '../386/mem.ts';

/** Where the GDT page lives: outside Plan 9 user space [0x1000, 0xDFFFF000). */
export const GDT_BASE = 0xfffff000;

// Flat 4 GiB, G=1, D=1, P=1, DPL=3, accessed (so loads never write the GDT).
const DESC_DATA = [0xffff, 0x0000, 0x00, 0xf3, 0xcf, 0x00]; // RW data
const DESC_CODE = [0xffff, 0x0000, 0x00, 0xfb, 0xcf, 0x00]; // exec/read code

/** IF and the always-one bit, as under Plan 9. */
export const FLAGS_FIXED = 0x202;
const EFLAGS_VM = 1 << 17;

/** Map the GDT and load the user selectors at CPL 3; returns the GDT page (freed after uc_close). */
export function setupSegments(e: UcEngine): HostMem {
  const L = e.L;
  // Our own page, mapped by pointer: uc_mem_map would allocate a 2 MiB
  // aligned RAM block advised for huge pages (qemu_anon_ram_alloc), so
  // every engine would fault in and zero 2 MiB for these 40 bytes.
  const page = unicornAlloc(4096);
  check(L.uc_mem_map_ptr(e.engine, GDT_BASE, 4096, 1 /* read */, page.handle as bigint), 'uc_mem_map_ptr(GDT)');
  const gdt = new Uint8Array(5 * 8);
  putDesc(gdt, 3, DESC_DATA);
  putDesc(gdt, 4, DESC_CODE);
  check(L.uc_mem_write(e.engine, GDT_BASE, gdt, gdt.length), 'uc_mem_write(GDT)');
  const mmr = new DataView(e.u8.buffer, SCR_MMR, 24);
  for (let i = 0; i < 24; i++) mmr.setUint8(i, 0);
  mmr.setBigUint64(8, BigInt(GDT_BASE), true); // base
  mmr.setUint32(16, gdt.length - 1, true); // limit
  check(L.uc_reg_write(e.engine, X86.gdtr, e.scratch + BigInt(SCR_MMR)), 'write GDTR');

  // Unicorn starts at CPL 0, and SS can only be loaded with RPL == DPL ==
  // CPL. Loading SS in virtual-8086 mode skips the checks and gives CPL 3
  // (QEMU takes CPL from SS.DPL, which is 3 in vm86); after leaving vm86 the
  // real flat ring-3 SS then loads with the ordinary checks.
  e.rawWrite(X86.eflags, FLAGS_FIXED | EFLAGS_VM);
  e.rawWrite(X86.ss, UDSEL, 'load SS in vm86');
  e.rawWrite(X86.eflags, FLAGS_FIXED);
  e.rawWrite(X86.cs, UESEL, 'load CS');
  e.rawWrite(X86.ds, UDSEL, 'load DS');
  e.rawWrite(X86.es, UDSEL, 'load ES');
  e.rawWrite(X86.fs, 0, 'load FS');
  e.rawWrite(X86.gs, 0, 'load GS');
  e.rawWrite(X86.ss, UDSEL, 'load SS');
  return page;
}

function putDesc(gdt: Uint8Array, index: number, d: number[]): void {
  const [limitLo, baseLo, baseMid, access, flagsLimitHi, baseHi] = d;
  const o = index * 8;
  gdt[o] = limitLo & 0xff;
  gdt[o + 1] = limitLo >> 8;
  gdt[o + 2] = baseLo & 0xff;
  gdt[o + 3] = baseLo >> 8;
  gdt[o + 4] = baseMid;
  gdt[o + 5] = access;
  gdt[o + 6] = flagsLimitHi;
  gdt[o + 7] = baseHi;
}
