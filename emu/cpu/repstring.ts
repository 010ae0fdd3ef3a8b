// REP MOVS and REP STOS in one host copy.
//
// QEMU translates REP MOVSL/STOSL (and the byte forms) as one element per
// execution of a block that jumps back to itself (gen_repz_*,
// qemu/target/i386/translate.c): ~1.9 ns an element, 2 µs for 4 KiB. Go's
// compiler clears and copies large values with them, and Go's memmove
// uses REP MOVSL from 129 bytes.
//
// Each F3 A4/A5/AA/AB in read-only executable memory (text) gets a block
// hook on its address. The loop-back block starts there, so the hook runs
// before each element but the first (and before the first too when the
// instruction starts a block). The hook is 14 bytes of host code of our
// own that returns unless ECX is at least MIN_ELEMS (a call into
// JavaScript costs ~200 ns, a hundred elements); past it, repString does
// as many elements as lie in mapped memory at once, through HostMem.bytes,
// and leaves ECX, ESI and EDI as the elements would. The engine then runs
// what is left one element at a time as before, so an element that
// crosses into unmapped or read-only memory faults exactly as it did:
// same note, same registers. Semantics kept: DF (backwards), element
// order for overlapping copies (one element at a time then), ES = DS =
// the flat segment (Plan 9's only one), destinations in executable
// memory left to the engine (its store check drops stale translations).
//
// Only in free runs: count and quantum runs leave the hooks silent (an
// instruction trace or a watchpoint sees every element there), and an
// engine with the block counter (blockcount.ts) has none at all, which
// keeps that hook the engine's only block hook (inline, no hook list).

import type { UcLib } from './unicorn_ffi.ts';
import type { Mapping, MemMap } from './memmap.ts';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from './cpu.ts';
import { codePage } from './libsym.ts';
import { envAddress } from './regfile.ts';
import { UC_HOOK_BLOCK } from './blockcount.ts';
import { boundedBlockHooks } from './hookbounds.ts';

/** Elements from which the host code copies (below, the engine's own loop is as fast). */
export const NATIVE_MIN = 2;
/** Elements from which a call into JavaScript beats the engine's loop (~200 ns a call; docs/unicorn.md). */
export const MIN_ELEMS = 256;
const NEVER = 0xffffffff;

/**
 * The hook: %rdi uc, %rsi pc, %rcx the engine's cell plus the site's kind
 * (bit 0: dword elements, bit 1: STOS). The cell: env, the two thresholds
 * (u32 each), the JavaScript hook, the end of the region table, then up to
 * REGIONS regions { start, end, host | writable }. With ECX ≥ NATIVE_MIN,
 * ES and DS flat, DF clear, and the whole destination in one writable
 * region (and the source in one readable region), the host's own REP
 * MOVS/STOS does every element (same element order, so overlapping copies
 * come out as the guest's) and ECX, ESI, EDI are set; otherwise, with
 * ECX ≥ MIN_ELEMS, it jumps to the JavaScript hook (repString), else
 * returns and the engine goes on one element at a time. Assembled with
 * GNU as; the listing is the source.
 */
export const STUB = Uint8Array.from([
  0x49, 0x89, 0xcb,                                //   0 stub: mov %rcx,%r11
  0x41, 0x83, 0xe3, 0x03,                          //   3 and $0x3,%r11d
  0x48, 0x83, 0xe1, 0xf8,                          //   7 and $0xfffffffffffffff8,%rcx
  0x4c, 0x8b, 0x01,                                //  11 mov (%rcx),%r8
  0x45, 0x8b, 0x50, 0x08,                          //  14 mov 0x8(%r8),%r10d
  0x44, 0x3b, 0x51, 0x08,                          //  18 cmp 0x8(%rcx),%r10d
  0x0f, 0x82, 0x9b, 0x00, 0x00, 0x00,              //  22 jb b7
  0x57,                                            //  28 push %rdi
  0x56,                                            //  29 push %rsi
  0x41, 0x8b, 0x80, 0xb8, 0x00, 0x00, 0x00,        //  30 mov 0xb8(%r8),%eax
  0x83, 0xc8, 0x03,                                //  37 or $0x3,%eax
  0x83, 0xf8, 0x1b,                                //  40 cmp $0x1b,%eax
  0x0f, 0x85, 0x87, 0x00, 0x00, 0x00,              //  43 jne b8
  0x41, 0x8b, 0x80, 0x00, 0x01, 0x00, 0x00,        //  49 mov 0x100(%r8),%eax
  0x83, 0xc8, 0x03,                                //  56 or $0x3,%eax
  0x83, 0xf8, 0x1b,                                //  59 cmp $0x1b,%eax
  0x75, 0x78,                                      //  62 jne b8
  0x41, 0x83, 0xb8, 0xac, 0x00, 0x00, 0x00, 0x00,  //  64 cmpl $0x0,0xac(%r8)
  0x7c, 0x6e,                                      //  72 jl b8
  0x4c, 0x89, 0xd2,                                //  74 mov %r10,%rdx
  0x41, 0xf6, 0xc3, 0x01,                          //  77 test $0x1,%r11b
  0x74, 0x04,                                      //  81 je 57
  0x48, 0xc1, 0xe2, 0x02,                          //  83 shl $0x2,%rdx
  0x45, 0x8b, 0x48, 0x38,                          //  87 mov 0x38(%r8),%r9d
  0xb8, 0x01, 0x00, 0x00, 0x00,                    //  91 mov $0x1,%eax
  0xe8, 0x64, 0x00, 0x00, 0x00,                    //  96 call c9
  0x72, 0x51,                                      // 101 jb b8
  0x48, 0x89, 0xc7,                                // 103 mov %rax,%rdi
  0x41, 0xf6, 0xc3, 0x02,                          // 106 test $0x2,%r11b
  0x75, 0x27,                                      // 110 jne 97
  0x45, 0x8b, 0x48, 0x30,                          // 112 mov 0x30(%r8),%r9d
  0x57,                                            // 116 push %rdi
  0x31, 0xc0,                                      // 117 xor %eax,%eax
  0xe8, 0x4d, 0x00, 0x00, 0x00,                    // 119 call c9
  0x5f,                                            // 124 pop %rdi
  0x72, 0x39,                                      // 125 jb b8
  0x48, 0x89, 0xc6,                                // 127 mov %rax,%rsi
  0x4c, 0x89, 0xd1,                                // 130 mov %r10,%rcx
  0x41, 0xf6, 0xc3, 0x01,                          // 133 test $0x1,%r11b
  0x74, 0x04,                                      // 137 je 8f
  0xf3, 0xa5,                                      // 139 rep movsl %ds:(%rsi),%es:(%rdi)
  0xeb, 0x02,                                      // 141 jmp 91
  0xf3, 0xa4,                                      // 143 rep movsb %ds:(%rsi),%es:(%rdi)
  0x41, 0x01, 0x50, 0x30,                          // 145 add %edx,0x30(%r8)
  0xeb, 0x12,                                      // 149 jmp a9
  0x41, 0x8b, 0x00,                                // 151 stos: mov (%r8),%eax
  0x4c, 0x89, 0xd1,                                // 154 mov %r10,%rcx
  0x41, 0xf6, 0xc3, 0x01,                          // 157 test $0x1,%r11b
  0x74, 0x04,                                      // 161 je a7
  0xf3, 0xab,                                      // 163 rep stos %eax,%es:(%rdi)
  0xeb, 0x02,                                      // 165 jmp a9
  0xf3, 0xaa,                                      // 167 rep stos %al,%es:(%rdi)
  0x41, 0x01, 0x50, 0x38,                          // 169 fin: add %edx,0x38(%r8)
  0x41, 0xc7, 0x40, 0x08, 0x00, 0x00, 0x00, 0x00,  // 173 movl $0x0,0x8(%r8)
  0x5e,                                            // 181 pop %rsi
  0x5f,                                            // 182 pop %rdi
  0xc3,                                            // 183 done: ret
  0x5e,                                            // 184 slow: pop %rsi
  0x5f,                                            // 185 pop %rdi
  0x44, 0x3b, 0x51, 0x0c,                          // 186 cmp 0xc(%rcx),%r10d
  0x72, 0xf7,                                      // 190 jb b7
  0x48, 0x8b, 0x41, 0x10,                          // 192 mov 0x10(%rcx),%rax
  0x4c, 0x09, 0xd9,                                // 196 or %r11,%rcx
  0xff, 0xe0,                                      // 199 jmp *%rax
  0x49, 0x8d, 0x3c, 0x11,                          // 201 lookup: lea (%r9,%rdx,1),%rdi
  0x48, 0x8d, 0x71, 0x20,                          // 205 lea 0x20(%rcx),%rsi
  0x48, 0x3b, 0x71, 0x18,                          // 209 cmp 0x18(%rcx),%rsi
  0x73, 0x2b,                                      // 213 jae 102
  0x4c, 0x3b, 0x0e,                                // 215 cmp (%rsi),%r9
  0x72, 0x20,                                      // 218 jb fc
  0x48, 0x3b, 0x7e, 0x08,                          // 220 cmp 0x8(%rsi),%rdi
  0x77, 0x1a,                                      // 224 ja fc
  0x85, 0xc0,                                      // 226 test %eax,%eax
  0x74, 0x06,                                      // 228 je ec
  0xf6, 0x46, 0x10, 0x01,                          // 230 testb $0x1,0x10(%rsi)
  0x74, 0x10,                                      // 234 je fc
  0x48, 0x8b, 0x46, 0x10,                          // 236 mov 0x10(%rsi),%rax
  0x48, 0x83, 0xe0, 0xfe,                          // 240 and $0xfffffffffffffffe,%rax
  0x4c, 0x01, 0xc8,                                // 244 add %r9,%rax
  0x48, 0x2b, 0x06,                                // 247 sub (%rsi),%rax
  0xf8,                                            // 250 clc
  0xc3,                                            // 251 ret
  0x48, 0x83, 0xc6, 0x18,                          // 252 add $0x18,%rsi
  0xeb, 0xcf,                                      // 256 jmp d1
  0xf9,                                            // 258 stc
  0xc3,                                            // 259 ret
]);

/** Regions in the cell's table. */
export const REGIONS = 16;
/** The cell's size in bytes. */
export const CELL = 32 + REGIONS * 24;

/** REP MOVSB, MOVSL, STOSB and STOSL. */
const REPS = [0xa4, 0xa5, 0xaa, 0xab].map((op) => Buffer.from([0xf3, op]));

/**
 * Addresses of F3 A4, F3 A5, F3 AA and F3 AB in code at base, in order.
 * Each pair is looked for whole (Buffer's indexOf, a memmem): a Go hello's
 * 1 MiB text has 620 F3 bytes (SSE prefixes) for 37 sites, and a typed
 * array's indexOf of 0xf3 and a look at the next byte took 0.3-1.7 ms a
 * scan once warm, against 0.1-0.2 (each process's engine scans its text).
 */
export function repSites(code: Uint8Array, base: number): number[] {
  const b = Buffer.from(code.buffer, code.byteOffset, code.byteLength);
  const out: number[] = [];
  for (const rep of REPS) for (let i = b.indexOf(rep); i >= 0; i = b.indexOf(rep, i + 1)) out.push(base + i);
  return out.sort((x, y) => x - y);
}

/** What repString needs of the CPU, in its own registers. */
export interface StringCpu {
  readonly memmap: MemMap;
  reg(r: 'ax' | 'cx' | 'si' | 'di'): number;
  setReg(r: 'cx' | 'si' | 'di', v: number): void;
  /** EFLAGS.DF. */
  down(): boolean;
}

/**
 * At pc, before one execution of REP MOVS/STOS: do the elements that lie
 * wholly in mapped memory (readable source, writable non-executable
 * destination) as the instruction would, and update ECX, ESI and EDI.
 * Anything else (another instruction, nothing mapped) is left alone.
 */
export function repString(c: StringCpu, pc: number): void {
  const mm = c.memmap;
  const tm = mm.at(pc);
  if (!tm || pc + 2 > tm.end) return;
  const ib = tm.mem.bytes, io = pc - tm.addr + tm.off;
  const op = ib[io + 1]!;
  const movs = op === 0xa4 || op === 0xa5;
  if (ib[io] !== 0xf3 || (!movs && op !== 0xaa && op !== 0xab)) return;
  const e = op & 1 ? 4 : 1;
  const n = c.reg('cx');
  if (n === 0) return;
  const back = c.down();
  const di = c.reg('di');
  const dm = mm.at(di);
  if (!dm || (dm.prot & (PROT_WRITE | PROT_EXEC)) !== PROT_WRITE) return;
  let k = Math.min(n, room(dm, di, e, back));
  const si = movs ? c.reg('si') : 0;
  const sm = movs ? mm.at(si) : undefined;
  if (movs) {
    if (!sm || (sm.prot & PROT_READ) === 0) return;
    k = Math.min(k, room(sm, si, e, back));
  }
  if (k <= 0) return;
  const len = k * e;
  const dlo = (back ? di - len + e : di) - dm.addr + dm.off;
  if (sm) {
    const slo = (back ? si - len + e : si) - sm.addr + sm.off;
    copy(sm.mem.bytes, slo, dm.mem.bytes, dlo, k, e, back, sm.mem === dm.mem);
    c.setReg('si', (back ? si - len : si + len) >>> 0);
  } else {
    fill(dm.mem.bytes, dlo, len, e, c.reg('ax'));
  }
  c.setReg('di', (back ? di - len : di + len) >>> 0);
  c.setReg('cx', n - k);
}

/** Elements from a onwards (downwards when back) that lie wholly in m. */
function room(m: Mapping, a: number, e: number, back: boolean): number {
  if (a + e > m.end) return 0;
  return Math.floor(back ? (a + e - m.addr) / e : (m.end - a) / e);
}

/** k elements of e bytes from src[slo..] to dst[dlo..] (both the lowest addresses), in the instruction's order. */
function copy(src: Uint8Array, slo: number, dst: Uint8Array, dlo: number, k: number, e: number, back: boolean, same: boolean): void {
  const len = k * e;
  // The destination ahead of the source in the copy's direction: each
  // element may read what an earlier one wrote.
  const ahead = same && (back ? dlo < slo && slo < dlo + len : slo < dlo && dlo < slo + len);
  if (!ahead) {
    if (same) dst.copyWithin(dlo, slo, slo + len);
    else dst.set(src.subarray(slo, slo + len), dlo);
    return;
  }
  const t = [0, 0, 0, 0];
  for (let i = 0; i < k; i++) {
    const o = back ? (k - 1 - i) * e : i * e;
    for (let j = 0; j < e; j++) t[j] = src[slo + o + j]!;
    for (let j = 0; j < e; j++) dst[dlo + o + j] = t[j]!;
  }
}

/** len bytes at b[lo..] filled with AL, or EAX's four bytes repeated. */
function fill(b: Uint8Array, lo: number, len: number, e: number, v: number): void {
  if (e === 1) {
    b.fill(v & 0xff, lo, lo + len);
    return;
  }
  b[lo] = v;
  b[lo + 1] = v >>> 8;
  b[lo + 2] = v >>> 16;
  b[lo + 3] = v >>> 24;
  for (let done = 4; done < len; ) {
    const c = Math.min(done, len - done);
    b.copyWithin(lo + done, lo, lo + c);
    done += c;
  }
}

/** The stub's page and the one JavaScript trampoline all engines share, by engine handle. */
let shared: { stub: bigint; tramp: bigint } | null | undefined;
const engines = new Map<bigint, (pc: number) => void>();

function hooks(L: UcLib): { stub: bigint; tramp: bigint } | null {
  if (shared !== undefined) return shared;
  shared = null;
  // One hook per site is affordable only when each block calls just its own.
  if (process.arch !== 'x64' || !boundedBlockHooks(L)) return shared;
  const stub = codePage(L, STUB);
  if (stub === null) return shared;
  const k = L.koffi;
  const proto = k.proto('void p9rep_hook(void *uc, uint64_t addr, uint32_t size, void *cell)');
  const cb = k.register((uc: unknown, addr: number | bigint) => {
    engines.get(typeof uc === 'bigint' ? uc : (k.address(uc) as bigint))?.(Number(addr) >>> 0);
  }, k.pointer(proto));
  shared = { stub, tramp: BigInt(k.address(cb) as bigint) };
  return shared;
}

/**
 * CPUX86State past regs[] (qemu/target/i386/cpu.h, this build): eip at
 * 128, eflags, cc_dst, cc_src, cc_src2, cc_op, then `int32_t df` (+1, or
 * -1 with EFLAGS.DF) at 172, hflags at 176 (docs/unicorn.md), hflags2,
 * and segs[] at 184, 24 bytes each (selector first) in the order ES, CS,
 * SS, DS. Read as int32 words; proved against the API before use. The
 * host code reads the same offsets.
 */
const DF = 172 / 4, ES = 184 / 4, DS = (184 + 3 * 24) / 4, ENV_WORDS = DS + 1;

/** Registers the API reads and writes, for the proof. */
export interface RegApi {
  read(id: 'eflags' | 'es' | 'ds'): number;
  write(id: 'eflags', v: number): void;
}

/** One engine's REP sites: a block hook on each, added as text is mapped and dropped as it goes. */
export class RepSites {
  private readonly hh = new Map<number, number>();
  private readonly cell: BigUint64Array;
  private readonly u32: Uint32Array;

  private constructor(
    private readonly L: UcLib,
    private readonly uc: bigint,
    private readonly cellAt: bigint,
    private readonly stub: bigint,
    private readonly env: Int32Array,
  ) {
    const buf = L.koffi.view(cellAt as never, CELL) as ArrayBuffer;
    this.cell = new BigUint64Array(buf);
    this.u32 = new Uint32Array(buf);
  }

  /** EFLAGS.DF. */
  down(): boolean {
    return this.env[DF]! < 0;
  }

  /** ES and DS hold the flat data selector (`sel`, any RPL). */
  flat(sel: number): boolean {
    return (this.env[ES]! | 3) === sel && (this.env[DS]! | 3) === sel;
  }

  /**
   * Sites for engine uc, `fn` its JavaScript half; null where the host
   * code or the mend cannot be, or env is not laid out as above.
   */
  static open(L: UcLib, uc: bigint, api: RegApi, fn: (pc: number) => void): RepSites | null {
    const h = hooks(L);
    const at = envAddress(L, uc);
    if (h === null || at === null) return null;
    const env = new Int32Array(L.koffi.view(at as never, ENV_WORDS * 4) as ArrayBuffer);
    const flags = api.read('eflags');
    let ok = env[ES] === api.read('es') && env[DS] === api.read('ds');
    for (const f of [flags | 0x400, flags & ~0x400]) {
      api.write('eflags', f);
      ok &&= env[DF] === ((f & 0x400) !== 0 ? -1 : 1);
    }
    api.write('eflags', flags);
    if (!ok) return null;
    const cell = BigInt(L.koffi.address(L.koffi.alloc('uint64_t', CELL / 8)) as bigint);
    const r = new RepSites(L, uc, cell, h.stub, env);
    r.cell[0] = at;
    r.enable(false);
    r.cell[2] = h.tramp;
    r.cell[3] = cell + 32n; // no regions
    engines.set(uc, fn);
    return r;
  }

  /** Hooks on the sites of code newly mapped at base. */
  add(code: Uint8Array, base: number): void {
    for (const pc of repSites(code, base)) {
      if (this.hh.has(pc)) continue;
      const op = code[pc - base + 1]!;
      const kind = (op & 1) | (op >= 0xaa ? 2 : 0);
      const out = [0];
      if (this.L.uc_hook_add(this.uc, out, UC_HOOK_BLOCK, this.stub, this.cellAt + BigInt(kind), pc, pc) === 0) this.hh.set(pc, out[0]!);
    }
  }

  /** Drop the hooks in [addr, addr+size). */
  drop(addr: number, size: number): void {
    for (const [pc, h] of this.hh) {
      if (pc >= addr && pc < addr + size) {
        this.L.uc_hook_del(this.uc, h);
        this.hh.delete(pc);
      }
    }
  }

  /** The host code's view of guest memory: readable mappings, writable where also not executable. */
  regions(maps: readonly Mapping[]): void {
    let i = 4;
    for (const m of maps) {
      if (i >= 4 + 3 * REGIONS) break;
      if ((m.prot & PROT_READ) === 0 || typeof m.mem.handle !== 'bigint') continue;
      const w = (m.prot & (PROT_WRITE | PROT_EXEC)) === PROT_WRITE ? 1n : 0n;
      this.cell[i] = BigInt(m.addr);
      this.cell[i + 1] = BigInt(m.end);
      this.cell[i + 2] = (m.mem.handle + BigInt(m.off)) | w;
      i += 3;
    }
    this.cell[3] = this.cellAt + BigInt(i * 8);
  }

  /** Copies on (free runs) or off. */
  enable(on: boolean): void {
    this.u32[2] = on ? NATIVE_MIN : NEVER;
    this.u32[3] = on ? MIN_ELEMS : NEVER;
  }

  /** Forget the engine, dropping its hooks while it is open (uc_close frees them). */
  close(open: boolean): void {
    if (open) this.drop(0, 0x1_0000_0000);
    this.hh.clear();
    engines.delete(this.uc);
    this.L.koffi.free(this.cellAt as never);
  }
}
