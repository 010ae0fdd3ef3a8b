// Raw koffi bindings to libunicorn.so.2 (Unicorn 2.x C API) and the few
// constants p9emu needs. Nothing here runs at import time: the library is
// opened by the first call to unicorn(), so a machine without Unicorn can
// still import the CPU modules and use the fake CPU.
//
// Constants were checked against /usr/include/unicorn/{unicorn,x86}.h of
// Unicorn 2.0.1 with a small C program (see docs/unicorn.md).

import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';

export type KoffiModule = typeof Koffi;
type Fn = (...args: any[]) => any;

/** Thrown when the native engine cannot be loaded. The message is one line. */
export class CpuUnavailable extends Error {
  constructor(detail?: string) {
    super(
      "p9emu: cannot load libunicorn.so.2: install it with 'apt-get install libunicorn2' (Debian) " +
        "or 'brew install unicorn' (macOS), or set P9EMU_LIBUNICORN=/path/libunicorn.so.2",
    );
    this.name = 'CpuUnavailable';
    if (detail) this.detail = detail;
  }
  detail?: string;
}

// uc_arch / uc_mode
export const UC_ARCH_X86 = 4;
export const UC_MODE_32 = 4;

// uc_err (subset)
export const UC_ERR_OK = 0;
export const UC_ERR_INSN_INVALID = 10;
export const UC_ERR_EXCEPTION = 21;

// uc_hook_type
export const UC_HOOK_INTR = 1 << 0;
export const UC_HOOK_MEM_READ_UNMAPPED = 1 << 4;
export const UC_HOOK_MEM_WRITE_UNMAPPED = 1 << 5;
export const UC_HOOK_MEM_FETCH_UNMAPPED = 1 << 6;
export const UC_HOOK_MEM_READ_PROT = 1 << 7;
export const UC_HOOK_MEM_WRITE_PROT = 1 << 8;
export const UC_HOOK_MEM_FETCH_PROT = 1 << 9;
export const UC_HOOK_MEM_INVALID = 0x3f0; // UNMAPPED | PROT, all three kinds
export const UC_HOOK_INSN_INVALID = 1 << 14;
export const UC_HOOK_INSN = 1 << 1;
/** uc_x86_insn: the instruction a UC_HOOK_INSN hook is for (x86.h, Unicorn 2.0.1). */
export const UC_X86_INS_CPUID = 113;

// uc_mem_type as passed to UC_HOOK_MEM_* callbacks
export const UC_MEM_READ_UNMAPPED = 19;
export const UC_MEM_WRITE_UNMAPPED = 20;
export const UC_MEM_FETCH_UNMAPPED = 21;
export const UC_MEM_WRITE_PROT = 22;
export const UC_MEM_READ_PROT = 23;
export const UC_MEM_FETCH_PROT = 24;

// uc_ctl: UC_CTL(type, nr, rw) = type | nr << 26 | rw << 30
const UC_CTL_IO_WRITE = 1;
const ctl = (type: number, nr: number, rw: number) => (type | (nr << 26) | (rw << 30)) >>> 0;
export const UC_CTL_TB_REMOVE_CACHE_W = ctl(9, 2, UC_CTL_IO_WRITE);
export const UC_CTL_TB_FLUSH_W = ctl(10, 0, UC_CTL_IO_WRITE);

// uc_x86_reg ids (x86.h, Unicorn 2.0.1)
export const X86 = {
  eax: 19, ebp: 20, ebx: 21, ecx: 22, edi: 23, edx: 24, eflags: 25, eip: 26, esi: 29, esp: 30,
  cs: 11, ds: 17, es: 28, fs: 32, gs: 33, ss: 49,
  fpsw: 31, st0: 114, xmm0: 122,
  cr0: 50, cr4: 54, dr6: 72,
  idtr: 242, gdtr: 243, fpcw: 246, fptag: 247, mxcsr: 249, fip: 254,
} as const;

export interface UcLib {
  koffi: KoffiModule;
  path: string;
  version: string;
  uc_open: Fn; uc_close: Fn; uc_strerror: Fn;
  uc_reg_read: Fn; uc_reg_write: Fn; uc_reg_read_batch: Fn; uc_reg_write_batch: Fn; uc_reg_write_batch_p: Fn;
  /** uc_reg_read_batch with the id array passed as a native address (no per-call array conversion). */
  uc_reg_read_batch_p: Fn;
  uc_emu_start: Fn; uc_emu_stop: Fn;
  uc_hook_add: Fn; uc_hook_del: Fn;
  uc_mem_map: Fn; uc_mem_map_ptr: Fn; uc_mem_unmap: Fn; uc_mem_protect: Fn;
  uc_mem_read: Fn; uc_mem_write: Fn;
  /** The engine's regions (uc_mem_region: begin, end inclusive, perms; 24 bytes each), freed with uc_free. */
  uc_mem_regions: Fn; uc_free: Fn;
  uc_context_alloc: Fn; uc_context_save: Fn; uc_context_restore: Fn; uc_context_free: Fn;
  uc_ctl: Fn;
  /** Callback prototypes (pointer types) for koffi.register. */
  HookIntr: Koffi.TypeObject;
  HookMemEvent: Koffi.TypeObject;
  HookInsnInvalid: Koffi.TypeObject;
  /** uc_cb_insn_cpuid_t: nonzero skips the engine's own CPUID. */
  HookCpuid: Koffi.TypeObject;
  /** uc_cb_insn_in_t, uc_cb_insn_out_t, uc_cb_insn_syscall_t (privinsn.ts). */
  HookIn: Koffi.TypeObject;
  HookOut: Koffi.TypeObject;
  HookSyscall: Koffi.TypeObject;
}

let koffiCache: KoffiModule | undefined;

/**
 * koffi itself is loaded on demand too, so importing this file is free; the
 * CLI's launcher may have loaded it already (bin/bundle.cjs, requireKoffi).
 */
export function koffi(): KoffiModule {
  if (!koffiCache) {
    const loaded = (globalThis as { p9emuKoffi?: KoffiModule }).p9emuKoffi;
    koffiCache = loaded ?? (createRequire(import.meta.url)('koffi') as KoffiModule);
  }
  return koffiCache;
}

let libCache: UcLib | undefined;
let libError: CpuUnavailable | undefined;

/** The path that will be (or was) loaded. */
export function unicornPath(): string {
  return process.env.P9EMU_LIBUNICORN || (process.platform === 'darwin' ? 'libunicorn.2.dylib' : 'libunicorn.so.2');
}

/** Opens libunicorn on first use; throws CpuUnavailable if it cannot. */
export function unicorn(): UcLib {
  if (libCache) return libCache;
  if (libError) throw libError;
  try {
    libCache = bind(unicornPath());
    return libCache;
  } catch (e) {
    libError = new CpuUnavailable(e instanceof Error ? e.message : String(e));
    throw libError;
  }
}

function bind(path: string): UcLib {
  const k = koffi();
  const lib = k.load(path);
  const f = (decl: string) => lib.func(decl);
  const version = f('unsigned int uc_version(_Out_ unsigned int *major, _Out_ unsigned int *minor)');
  const maj = [0], min = [0];
  version(maj, min);
  if (maj[0] !== 2) throw new Error(`unsupported Unicorn version ${maj[0]}.${min[0]}`);
  // Prototype names are global in koffi; keep them unique to this module.
  const HookIntr = k.proto('void p9uc_hook_intr(void *uc, uint32_t intno, void *user)');
  const HookMemEvent = k.proto(
    'bool p9uc_hook_mem(void *uc, int type, uint64_t addr, int size, int64_t value, void *user)',
  );
  const HookInsnInvalid = k.proto('bool p9uc_hook_insn_invalid(void *uc, void *user)');
  const HookCpuid = k.proto('int p9uc_hook_cpuid(void *uc, void *user)');
  const HookIn = k.proto('uint32_t p9uc_hook_in(void *uc, uint32_t port, int size, void *user)');
  const HookOut = k.proto('void p9uc_hook_out(void *uc, uint32_t port, int size, uint32_t value, void *user)');
  const HookSyscall = k.proto('void p9uc_hook_syscall(void *uc, void *user)');
  return {
    koffi: k,
    path,
    version: `${maj[0]}.${min[0]}`,
    uc_open: f('int uc_open(int arch, int mode, _Out_ void **uc)'),
    uc_close: f('int uc_close(void *uc)'),
    uc_strerror: f('const char *uc_strerror(int code)'),
    uc_reg_read: f('int uc_reg_read(void *uc, int regid, void *value)'),
    uc_reg_write: f('int uc_reg_write(void *uc, int regid, const void *value)'),
    uc_reg_read_batch: f('int uc_reg_read_batch(void *uc, int *regs, void *vals, int count)'),
    uc_reg_read_batch_p: f('int uc_reg_read_batch(void *uc, void *regs, void *vals, int count)'),
    uc_reg_write_batch: f('int uc_reg_write_batch(void *uc, int *regs, void *vals, int count)'),
    uc_reg_write_batch_p: f('int uc_reg_write_batch(void *uc, void *regs, void *vals, int count)'),
    uc_emu_start: f('int uc_emu_start(void *uc, uint64_t begin, uint64_t until, uint64_t timeout, size_t count)'),
    uc_emu_stop: f('int uc_emu_stop(void *uc)'),
    uc_hook_add: f(
      'int uc_hook_add(void *uc, _Out_ size_t *hh, int type, void *callback, void *user, uint64_t begin, uint64_t end, ...)',
    ),
    uc_hook_del: f('int uc_hook_del(void *uc, size_t hh)'),
    uc_mem_map: f('int uc_mem_map(void *uc, uint64_t address, size_t size, uint32_t perms)'),
    uc_mem_map_ptr: f('int uc_mem_map_ptr(void *uc, uint64_t address, size_t size, uint32_t perms, void *ptr)'),
    uc_mem_unmap: f('int uc_mem_unmap(void *uc, uint64_t address, size_t size)'),
    uc_mem_protect: f('int uc_mem_protect(void *uc, uint64_t address, size_t size, uint32_t perms)'),
    uc_mem_read: f('int uc_mem_read(void *uc, uint64_t address, _Out_ void *bytes, size_t size)'),
    uc_mem_write: f('int uc_mem_write(void *uc, uint64_t address, const void *bytes, size_t size)'),
    uc_mem_regions: f('int uc_mem_regions(void *uc, _Out_ void **regions, _Out_ uint32_t *count)'),
    uc_free: f('int uc_free(void *mem)'),
    uc_context_alloc: f('int uc_context_alloc(void *uc, _Out_ void **context)'),
    uc_context_save: f('int uc_context_save(void *uc, void *context)'),
    uc_context_restore: f('int uc_context_restore(void *uc, void *context)'),
    uc_context_free: f('int uc_context_free(void *context)'),
    uc_ctl: f('int uc_ctl(void *uc, uint32_t control, ...)'),
    HookIntr,
    HookMemEvent,
    HookInsnInvalid,
    HookCpuid,
    HookIn,
    HookOut,
    HookSyscall,
  };
}

/** Error text for a uc_err code. */
export function ucErrorText(code: number): string {
  try {
    return `${unicorn().uc_strerror(code)} (${code})`;
  } catch {
    return `uc_err ${code}`;
  }
}
