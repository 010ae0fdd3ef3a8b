// The segments Plan 9 user code runs with. The engine runs 32-bit
// protected mode with paging off, so guest addresses are Unicorn addresses.
// User code sees cs=UESEL and ss/ds/es=UDSEL at CPL 3; Unicorn only accepts
// those selectors with a GDT, so one page at GDT_BASE (above Plan 9 user
// space) holds a flat code and a flat data descriptor. With paging off
// that page would be readable by user code, where Plan 9 faults (runtime's
// TestSetPanicOnFault reads 0xffffffff); so it is readable only while a
// selector loads (loadseg) and has no access otherwise.

import type { HostMem } from './cpu.ts';
import { check, SCR_MMR, type UcEngine } from './ucengine.ts';
import { X86 } from './unicorn_ffi.ts';
import { unicornAlloc } from './hostmem.ts';
import { UDSEL, UESEL } from '../386/mem.ts';
import { opcodeAt } from './privinsn.ts';

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
  gdtaccess(e, 1 /* read */);

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
  gdtaccess(e, 0);
  return page;
}

/** Open (1, read) or close (0) the GDT page to every access. */
export function gdtaccess(e: UcEngine, prot: number): void {
  check(e.L.uc_mem_protect(e.engine, GDT_BASE, 4096, prot), 'uc_mem_protect(GDT)');
}

/** Load a segment register (a descriptor read from the GDT): the GDT page is readable only meanwhile. */
export function loadseg(e: UcEngine, id: number, v: number, what: string): void {
  gdtaccess(e, 1 /* read */);
  try {
    e.rawWrite(id, v, what);
  } finally {
    gdtaccess(e, 0);
  }
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

/** Is addr in the GDT page? */
export function ingdt(addr: number): boolean {
  return addr >>> 0 >= GDT_BASE;
}

/**
 * Whether the instruction in b reads a descriptor: far JMP, CALL and RET,
 * IRET, MOV and POP to a segment register, LDS/LES/LSS/LFS/LGS, and
 * LLDT, LTR, VERR, VERW, LAR, LSL. A read fault in the GDT page by one of
 * these is the CPU's, which the program may make (run() steps it with the
 * page open); by any other instruction it is the program's own.
 */
export function loadsDescriptor(b: Uint8Array): boolean {
  const i = opcodeAt(b);
  if (i < 0) return false;
  const op = b[i]!, op2 = b[i + 1] ?? -1, reg = ((b[i + 1] ?? 0) >> 3) & 7;
  switch (op) {
    case 0xea: case 0x9a: case 0xca: case 0xcb: case 0xcf:  // JMP, CALL, RET far; IRET
    case 0x8e: case 0x07: case 0x17: case 0x1f: case 0xc4: case 0xc5:  // MOV, POP to Sreg; LES, LDS
      return true;
    case 0xff:
      return reg === 3 || reg === 5;  // CALL, JMP far through memory
    case 0x0f:
      if (op2 === 0xa1 || op2 === 0xa9 || op2 === 0xb2 || op2 === 0xb4 || op2 === 0xb5 || op2 === 0x02 || op2 === 0x03) return true;
      return op2 === 0x00 && ((b[i + 2] ?? 0) >> 3 & 7) >= 2 && ((b[i + 2] ?? 0) >> 3 & 7) <= 5;
  }
  return false;
}
