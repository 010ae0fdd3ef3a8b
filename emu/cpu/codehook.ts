// Instruction hooks (UC_HOOK_CODE) for tracing, injection and breakpoints,
// and memory access hooks (UC_HOOK_MEM_READ/WRITE) for watchpoints, kept
// apart from unicorn.ts so that a run that never asks for one pays
// nothing: the engine only calls back for addresses inside [begin, end] of
// a hook, and no hook exists unless one is added.
//
// All hooks of a kind share one koffi trampoline; the hook's user-data word
// selects the JS function (koffi callbacks are a limited resource).

import type { Cpu } from './cpu.ts';
import { unicorn, type UcLib } from './unicorn_ffi.ts';
import { UnicornCpu } from './unicorn.ts';

const UC_HOOK_CODE = 1 << 2;
const UC_HOOK_MEM_READ = 1 << 10;
const UC_HOOK_MEM_WRITE = 1 << 11;
const UC_MEM_WRITE = 17;

export type CodeFn = (pc: number, size: number) => void;
/** A read or write of `size` bytes at addr, before a store is made; `value` is what a write stores (0 for a read). */
export type MemFn = (write: boolean, addr: number, size: number, value: bigint) => void;

const codefns = new Map<number, CodeFn>();
const memfns = new Map<number, MemFn>();
let nextid = 1;
let codetramp: unknown;
let memtramp: unknown;

function codeTrampoline(L: UcLib): unknown {
  if (codetramp) return codetramp;
  const k = L.koffi;
  const proto = k.proto('void p9uc_hook_code(void *uc, uint64_t addr, uint32_t size, void *user)');
  codetramp = k.register((_uc: unknown, addr: number | bigint, size: number, user: number | bigint) => {
    const f = codefns.get(Number(user));
    if (f) f(Number(addr) >>> 0, size);
  }, k.pointer(proto));
  return codetramp;
}

function memTrampoline(L: UcLib): unknown {
  if (memtramp) return memtramp;
  const k = L.koffi;
  const proto = k.proto('bool p9uc_hook_watch(void *uc, int type, uint64_t addr, int size, int64_t value, void *user)');
  memtramp = k.register((_uc: unknown, type: number, addr: number | bigint, size: number, v: number | bigint, user: number | bigint) => {
    const f = memfns.get(Number(user));
    if (f) f(type === UC_MEM_WRITE, Number(addr) >>> 0, size, BigInt(v));
    return true;
  }, k.pointer(proto));
  return memtramp;
}

/** True when this CPU can take code hooks (the Unicorn engine). */
export function canHookCode(cpu: Cpu): boolean {
  return cpu instanceof UnicornCpu;
}

/** Where a CPU's code may have been translated from: only these are retranslated for a new hook. */
export type CodeRanges = readonly { base: number; top: number }[];

/**
 * Call fn before each instruction whose address is in [begin, end]
 * (inclusive; begin > end means every instruction). Code translated
 * before the hook was added is retranslated: all of it, or the code in
 * `code` when given (a whole flush took seconds on a loaded host; see
 * addPcHook). Returns the remover.
 * A throw from fn is lost (it cannot cross the engine): keep fn simple.
 */
export function addCodeHook(cpu: Cpu, begin: number, end: number, fn: CodeFn, code?: CodeRanges): () => void {
  const L = unicorn();
  return engineHook(cpu, L, UC_HOOK_CODE, codeTrampoline(L), codefns, fn, begin, end, retranslator(cpu, code));
}

function retranslator(cpu: Cpu, code: CodeRanges | undefined): (() => void) | undefined {
  return code && (() => {
    for (const r of code) cpu.invalidate(r.base, r.top - r.base);
  });
}

/**
 * addCodeHook for one instruction address (a breakpoint): only the code
 * translated from its page is dropped, not all of it. A whole flush
 * (Unicorn 2.0.1's tb_flush) clears the 1 GiB code buffer and took seconds
 * on a loaded host, and a debugger adds breakpoints at every resume.
 */
export function addPcHook(cpu: Cpu, pc: number, fn: CodeFn): () => void {
  const L = unicorn();
  return engineHook(cpu, L, UC_HOOK_CODE, codeTrampoline(L), codefns, fn, pc, pc, () => cpu.invalidate(pc, 1));
}

/**
 * Call fn for each read and/or write that starts in [begin, end]
 * (inclusive). `code` as for addCodeHook. Returns the remover. A throw
 * from fn is lost.
 */
export function addMemHook(cpu: Cpu, begin: number, end: number, kinds: { read: boolean; write: boolean }, fn: MemFn, code?: CodeRanges): () => void {
  const L = unicorn();
  const type = (kinds.read ? UC_HOOK_MEM_READ : 0) | (kinds.write ? UC_HOOK_MEM_WRITE : 0);
  return engineHook(cpu, L, type, memTrampoline(L), memfns, fn, begin, end, retranslator(cpu, code));
}

function engineHook<F>(
  cpu: Cpu, L: UcLib, type: number, tramp: unknown, fns: Map<number, F>, fn: F, begin: number, end: number,
  retranslate: (() => void) | undefined = undefined,
): () => void {
  const id = nextid++;
  fns.set(id, fn);
  const forget = () => fns.delete(id);
  if (!(cpu instanceof UnicornCpu)) throw new Error('engine hooks need the Unicorn CPU');
  const hh = [0];
  const err = L.uc_hook_add(cpu.engine, hh, type, tramp, id, begin >>> 0, end >>> 0);
  if (err !== 0) {
    forget();
    throw new Error(`uc_hook_add(${type}): error ${err}`);
  }
  (retranslate ?? (() => cpu.flushTb()))();
  const h = hh[0]!;
  // Owned by the process: a reused engine must not call it for the next one.
  return cpu.ownHook(() => {
    if (!forget()) return;
    if (cpu.engine !== 0n) L.uc_hook_del(cpu.engine, h);
  });
}
