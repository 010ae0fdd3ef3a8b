// The fuzzer's inputs, each a Plan 9 386 a.out made from (kind, seed,
// index) alone, so a case can be made again from its name:
//   aout     mutants of well-formed programs: header fields set to edge
//            values, bytes flipped, the file cut short or extended
//   code     random machine code (with the instructions that are hard on
//            the engine mixed in), registers set to random values first
//   syscall  a run of system calls with random numbers and arguments
//            (small integers, fds, pointers into and out of memory,
//            strings the kernel knows), then exits

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assemble } from '../asm/asm.ts';
import { buildAout, HDRSZ, UTZERO, dataBase } from '../emu/aout.ts';

export type Kind = 'aout' | 'code' | 'syscall';
export const KINDS: readonly Kind[] = ['aout', 'code', 'syscall'];

/** splitmix32 over (seed, kind, index): one stream per case. */
export class Rng {
  private s: number;
  constructor(seed: number, kind: Kind, index: number) {
    this.s = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b) ^ (KINDS.indexOf(kind) << 28)) >>> 0;
  }
  u32(): number {
    this.s = (this.s + 0x9e3779b9) >>> 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  /** 0 <= n < k */
  below(k: number): number {
    return this.u32() % k;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.below(a.length)]!;
  }
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.u32() & 0xff;
    return b;
  }
}

export function generate(kind: Kind, seed: number, index: number): Uint8Array {
  const r = new Rng(seed, kind, index);
  switch (kind) {
    case 'aout': return aoutMutant(r);
    case 'code': return randomCode(r);
    case 'syscall': return syscalls(r);
  }
}

// --- a.out mutants ---------------------------------------------------------

const BASES = ['hello.s', 'sys.s', 'rfork.s', 'seg.s'];
let bases: Uint8Array[] | null = null;

function baseImages(): Uint8Array[] {
  if (bases) return bases;
  bases = BASES.map((name) => {
    const file = fileURLToPath(new URL(`../test/prog/${name}`, import.meta.url));
    const r = assemble(readFileSync(file, 'utf8'), { file, readFile: (p) => readFileSync(p, 'utf8') });
    if (!r.ok || !r.aout) throw new Error(`fuzz: cannot assemble ${name}: ${r.errors.join('; ')}`);
    return r.aout;
  });
  return bases;
}

const EDGES = [0, 1, 3, 4, 0x1000, 0xfff, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffc, 0x10000000, 0x3fffffff, 0xdfffe000];

function aoutMutant(r: Rng): Uint8Array {
  let b: Uint8Array = r.pick(baseImages()).slice();
  const n = 1 + r.below(3);
  for (let m = 0; m < n; m++) {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    switch (r.below(6)) {
      case 0: case 1: {
        // A header field (text data bss syms entry spsz pcsz; magic rarely).
        const f = r.below(10) === 0 ? 0 : 1 + r.below(7);
        if (b.length < HDRSZ) break;
        const old = dv.getUint32(f * 4, false);
        const v = r.below(3) === 0 ? (old + r.below(64) - 32) >>> 0 : r.below(2) === 0 ? r.pick(EDGES) : r.u32();
        dv.setUint32(f * 4, v, false);
        break;
      }
      case 2: {
        for (let i = 1 + r.below(8); i > 0 && b.length > 0; i--) b[r.below(b.length)] = r.u32() & 0xff;
        break;
      }
      case 3:
        b = b.subarray(0, r.below(b.length + 1)).slice();
        break;
      case 4: {
        const more = r.bytes(r.below(256));
        const c = new Uint8Array(b.length + more.length);
        c.set(b);
        c.set(more, b.length);
        b = c;
        break;
      }
      case 5: {
        // Bytes of the text: the program runs on, changed.
        for (let i = 1 + r.below(4); i > 0 && b.length > HDRSZ; i--) b[HDRSZ + r.below(b.length - HDRSZ)] = r.u32() & 0xff;
        break;
      }
    }
  }
  return b;
}

// --- random code -------------------------------------------------------------

/** Instructions the engine has been seen to mishandle, or that must fault. */
const HARD: readonly number[][] = [
  [0x0f, 0x34], [0x0f, 0x35], [0x0f, 0x05], [0x0f, 0x07], [0xe4, 0x80], [0xe6, 0x80], [0xec], [0xee], [0x6c], [0x6f],
  [0xf1], [0xcc], [0xcd, 0x40], [0xcd, 0x80], [0xce], [0xf4], [0xfa], [0xfb], [0x0f, 0x0b], [0x0f, 0x01, 0x10],
  [0x0f, 0x00, 0x18], [0x0f, 0x22, 0xc0], [0x0f, 0x30], [0x0f, 0x31], [0x0f, 0x33], [0x0f, 0xa2], [0xcf], [0xcb],
  [0xea, 0, 0x10, 0, 0, 0x08, 0], [0x9a, 0, 0x10, 0, 0, 0x2b, 0], [0x8e, 0xd8], [0x8e, 0xd0], [0xc5, 0x00], [0x0f, 0xb2, 0x00],
  [0x62, 0x00], [0xd9, 0xee], [0xdf, 0x38], [0x0f, 0xae, 0x00], [0x0f, 0xae, 0x08], [0xf3, 0xab], [0xf3, 0xa5], [0x9d], [0x9c],
];

const REGS_LOAD = [0xb8, 0xb9, 0xba, 0xbb, 0xbd, 0xbe, 0xbf]; // MOVL $imm, AX CX DX BX BP SI DI

function randomCode(r: Rng): Uint8Array {
  const code: number[] = [];
  for (const op of REGS_LOAD) if (r.below(2)) code.push(op, ...le32(r.below(2) ? r.pick(EDGES) : r.u32()));
  const n = 8 + r.below(120);
  while (code.length < n) {
    if (r.below(4) === 0) code.push(...r.pick(HARD));
    else code.push(r.u32() & 0xff);
  }
  return image(Uint8Array.from(code), r.bytes(r.below(256)), r.below(0x10000));
}

// --- system calls ---------------------------------------------------------------

const STRINGS = ['/dev/cons', '#c/cons', '/', '..', '/proc/1/ctl', '/proc/1/note', '#p', '/env/x', '/tmp/f', '#|', '/fd/0', 'kill', 'hangup', '#/', '/srv'];
const NSYS = 56;

function syscalls(r: Rng): Uint8Array {
  // Data: the strings, NUL-terminated, then random bytes.
  const enc = new TextEncoder();
  const parts: number[] = [];
  const strs: number[] = [];
  for (const s of STRINGS) {
    strs.push(parts.length);
    parts.push(...enc.encode(s), 0);
  }
  parts.push(...r.bytes(64));
  const data = Uint8Array.from(parts);
  const calls = 1 + r.below(12);
  // Each call: five MOVL $imm, disp8(SP) (C7 44 24 d imm32), MOVL $n, AX, INT $64.
  const per = 5 * 8 + 5 + 2;
  const ntext = calls * per + 8 + 5 + 2;
  const dbase = dataBase(ntext);
  const arg = (): number => {
    switch (r.below(8)) {
      case 0: return r.below(8);
      case 1: return 0xffffffff;
      case 2: return dbase + r.pick(strs);
      case 3: return dbase + r.below(data.length + 8);
      case 4: return 0xdfffe000 + r.below(0x2000);
      case 5: return r.pick(EDGES);
      case 6: return r.below(1 << 16);
      default: return r.u32();
    }
  };
  const code: number[] = [];
  for (let i = 0; i < calls; i++) {
    for (let a = 0; a < 5; a++) code.push(0xc7, 0x44, 0x24, 4 + 4 * a, ...le32(arg()));
    code.push(0xb8, ...le32(r.below(16) === 0 ? r.u32() : r.below(NSYS)), 0xcd, 0x40);
  }
  code.push(0xc7, 0x44, 0x24, 4, 0, 0, 0, 0, 0xb8, 8, 0, 0, 0, 0xcd, 0x40);  // exits(nil)
  return image(Uint8Array.from(code), data, r.below(0x4000));
}

function image(text: Uint8Array, data: Uint8Array, bss: number): Uint8Array {
  return buildAout({ text, data, bss, entry: UTZERO + HDRSZ, syms: [] });
}

function le32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
