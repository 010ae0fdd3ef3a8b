// Instruction hooks (UC_HOOK_CODE) for tracing and injection, kept apart
// from unicorn.ts so that a run that never asks for one pays nothing: the
// engine only calls back for instructions inside [begin, end] of a hook,
// and no hook exists unless one is added.
//
// All hooks share one koffi trampoline; the hook's user-data word selects
// the JS function (koffi callbacks are a limited resource).

import type { Cpu } from './cpu.ts';
import { unicorn, type UcLib } from './unicorn_ffi.ts';
import { UnicornCpu } from './unicorn.ts';

const UC_HOOK_CODE = 1 << 2;

export type CodeFn = (pc: number, size: number) => void;

const fns = new Map<number, CodeFn>();
let nextid = 1;
let tramp: unknown;

function trampoline(L: UcLib): unknown {
  if (tramp) return tramp;
  const k = L.koffi;
  const proto = k.proto('void p9uc_hook_code(void *uc, uint64_t addr, uint32_t size, void *user)');
  tramp = k.register((_uc: unknown, addr: number | bigint, size: number, user: number | bigint) => {
    const f = fns.get(Number(user));
    if (f) f(Number(addr) >>> 0, size);
  }, k.pointer(proto));
  return tramp;
}

/** True when this CPU can take code hooks (the Unicorn engine). */
export function canHookCode(cpu: Cpu): boolean {
  return cpu instanceof UnicornCpu;
}

/**
 * Call fn before each instruction whose address is in [begin, end]
 * (inclusive; begin > end means every instruction). Code translated
 * before the hook was added is retranslated. Returns the remover.
 * A throw from fn is lost (it cannot cross the engine): keep fn simple.
 */
export function addCodeHook(cpu: Cpu, begin: number, end: number, fn: CodeFn): () => void {
  if (!(cpu instanceof UnicornCpu)) throw new Error('code hooks need the Unicorn CPU');
  const L = unicorn();
  const id = nextid++;
  fns.set(id, fn);
  const hh = [0];
  const err = L.uc_hook_add(cpu.engine, hh, UC_HOOK_CODE, trampoline(L), id, begin >>> 0, end >>> 0);
  if (err !== 0) throw new Error(`uc_hook_add(CODE): error ${err}`);
  cpu.flushTb();
  const h = hh[0]!;
  return () => {
    if (!fns.delete(id)) return;
    if (cpu.engine !== 0n) L.uc_hook_del(cpu.engine, h);
  };
}
