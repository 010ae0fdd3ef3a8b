// Encoding one instruction. This follows Go 1.19's doasm/asmandsz
// (cmd/internal/obj/x86/asm6.go) for the 386 cases: find the first
// pattern row whose operand classes cover ours, walk the shared opcode
// bytes the way Go does (`z`), then emit by the row's Z case. Branch
// displacements to labels are left for span.ts, which knows the layout.

import { isGPR, oclass, reg, REG_AL, REG_AX, REG_BP, REG_BX, REG_CX, REG_DI, REG_DX, REG_CS, REG_GS, REG_NONE, REG_SP, REG_TLS, regName, Y, ycover } from './arch.ts';
import { optab, P, Z, type Optab, type YtabRow } from './optab.ts';
import type { Addr, Prog, Reloc } from './prog.ts';

/** The TLS base on Plan 9: Go loads it from the _privates word (asm6.go movTLSReg, Hplan9). */
export const PLAN9_PRIVATES = '_privates';

class Buf {
  bytes: number[] = [];
  relocs: Reloc[] = [];
  put(...b: number[]): void {
    for (const x of b) this.bytes.push(x & 0xff);
  }
  put16(v: number): void {
    this.put(v, v >> 8);
  }
  put32(v: number): void {
    this.put(v, v >> 8, v >> 16, v >> 24);
  }
  reloc(r: Omit<Reloc, 'off'>): void {
    this.relocs.push({ ...r, off: this.bytes.length });
  }
}

/** A relocation an operand needs (Go's vaddr): globals are absolute on 386; TLS is thread-local. */
function vaddr(a: Addr): { v: number; rel: Omit<Reloc, 'off'> | null } {
  if (a.name === 'extern' || a.name === 'static') return { v: 0, rel: { siz: 4, type: 'addr', sym: a.sym, add: a.offset } };
  if ((a.type === 'mem' || a.type === 'addr') && a.reg === REG_TLS) return { v: 0, rel: { siz: 4, type: 'tls', sym: null, add: a.offset } };
  return { v: a.offset, rel: null };
}

function relput4(b: Buf, a: Addr): void {
  const { v, rel } = vaddr(a);
  if (rel) b.reloc(rel);
  b.put32(v);
}

function fits8(v: number): boolean {
  return v >= -128 && v <= 127;
}

function sib(scale: number, index: number, base: number): number {
  let i = index === REG_NONE ? 4 << 3 : reg(index) << 3;
  if (index !== REG_NONE) i |= { 1: 0, 2: 1, 4: 2, 8: 3 }[scale as 1 | 2 | 4 | 8]! << 6;
  return i | (base === REG_NONE ? 5 : reg(base));
}

/** ModRM (+SIB, displacement) for operand a with `r` in the reg field (asm6.go asmandsz, 386 paths). */
function asmand(b: Buf, p: Prog, a: Addr, r: number): void {
  const bad = () => new Error(`bad address ${fmtAddr(a)} in ${p.as}`);
  let v = a.offset | 0;
  if (a.type === 'reg') {
    if (v !== 0 || reg(a.reg) < 0 || a.reg === REG_TLS) throw bad();
    b.put(0xc0 | reg(a.reg) | (r << 3));
    return;
  }
  if (a.type !== 'mem') throw bad();
  let rel: Omit<Reloc, 'off'> | null = null;
  let base = a.reg;
  if (a.name === 'extern' || a.name === 'static') {
    base = REG_NONE;
    ({ v, rel } = vaddr(a));
  } else if (a.name === 'auto' || a.name === 'param') {
    base = REG_SP;
  }
  const putrelv = () => {
    if (rel) b.reloc(rel);
    b.put32(v);
  };
  if (a.index !== REG_NONE && a.index !== REG_TLS) {
    if (!isGPR(a.index) || a.index === REG_SP) throw bad();
    if (base === REG_NONE) {
      b.put((4 << 0) | (r << 3), sib(a.scale, a.index, REG_NONE));
      return putrelv();
    }
    if (!isGPR(base)) throw bad();
    if (v === 0 && !rel && base !== REG_BP) return b.put((r << 3) | 4, sib(a.scale, a.index, base));
    if (fits8(v) && !rel) return b.put((1 << 6) | 4 | (r << 3), sib(a.scale, a.index, base), v);
    b.put((2 << 6) | 4 | (r << 3), sib(a.scale, a.index, base));
    return putrelv();
  }
  if (base === REG_TLS) ({ v, rel } = vaddr(a));
  if (base === REG_NONE || (base >= REG_CS && base <= REG_GS) || base === REG_TLS) {
    b.put((5 << 0) | (r << 3)); // disp32, no base: 386 has no RIP-relative form
    return putrelv();
  }
  if (base === REG_SP) {
    if (v === 0) return b.put(reg(REG_SP) | (r << 3), sib(0, REG_NONE, REG_SP));
    if (fits8(v)) return b.put((1 << 6) | reg(REG_SP) | (r << 3), sib(0, REG_NONE, REG_SP), v);
    b.put((2 << 6) | reg(REG_SP) | (r << 3), sib(0, REG_NONE, REG_SP));
    return putrelv();
  }
  if (!isGPR(base)) throw bad();
  if (a.index === REG_TLS) {
    rel = { siz: 4, type: 'tls', sym: null, add: v };
    v = 0;
  }
  if (v === 0 && !rel && base !== REG_BP) return b.put(reg(base) | (r << 3));
  if (fits8(v) && !rel) return b.put((1 << 6) | reg(base) | (r << 3), v);
  b.put((2 << 6) | reg(base) | (r << 3));
  putrelv();
}

/** Go's mediaop: SSE/MMX opcodes whose table bytes carry their own prefix. */
function mediaop(b: Buf, o: Optab, op: number, osize: number, z: number): number {
  if ((op === 0x0f || op === 0x66 || op === 0xf2 || op === 0xf3) && osize !== 1) {
    if (op !== 0x0f) b.put(op);
    b.put(0x0f);
    z++;
    b.put(o.op[z]!);
    return z;
  }
  if (b.bytes.length === 0 || b.bytes[b.bytes.length - 1] !== 0x0f) b.put(0x0f);
  b.put(op);
  return z;
}

function prefixof(a: Addr): number {
  if (a.type === 'mem' && a.name === 'none' && a.reg >= REG_CS && a.reg <= REG_GS) return [0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65][a.reg - REG_CS]!;
  return 0;
}

function match(row: YtabRow, args: Y[]): boolean {
  if (row.args.length !== args.length) return false;
  return args.every((y, i) => ycover(y, row.args[i]!));
}

export interface Encoded {
  bytes: number[];
  relocs: Reloc[];
}

/**
 * Encode p at its current p.pc. Branches to labels use p.short/p.backward and
 * the target's pc from this pass (span.ts patches forward displacements later).
 */
export function encode(p: Prog): Encoded {
  const b = new Buf();
  if (p.as === 'MOVL' && p.from.type === 'reg' && p.from.reg === REG_TLS) {
    // Plan 9 keeps the TLS base in the _privates word (asm6.go movTLSReg, Hplan9).
    if (p.to.type !== 'reg' || !isGPR(p.to.reg)) throw new Error(`invalid load of TLS in ${p.as}`);
    b.put(0x8b);
    asmand(b, p, { type: 'mem', reg: REG_NONE, index: REG_NONE, scale: 0, name: 'extern', sym: PLAN9_PRIVATES, offset: 0 }, reg(p.to.reg));
    return b;
  }
  if (doasm(b, p) || byteSwap(b, p)) return b;
  throw new Error(`invalid instruction: ${fmtProg(p)}`);
}

/** Emit p by the first matching table row; false if no row matches. */
function doasm(b: Buf, p: Prog): boolean {
  const o = optab.get(p.as);
  if (!o) throw new Error(`unknown instruction ${p.as}`);
  const start = b.bytes.length;
  for (const a of [p.from, p.to]) {
    const pre = prefixof(a);
    if (pre) b.put(pre);
  }
  const args: Y[] = [];
  if (p.from.type !== 'none') args.push(oclass(p.from));
  if (p.from3) args.push(oclass(p.from3));
  if (p.to.type !== 'none') args.push(oclass(p.to));
  const xo = o.op[0] === 0x0f ? 1 : 0;
  let z = 0;
  for (const row of o.ytab) {
    if (!match(row, args)) {
      z += row.zoff + xo;
      continue;
    }
    if ((o.prefix === P.y1 && z < 1) || (o.prefix === P.w8 && z >= 8)) throw new Error(`${p.as}: this form is 64-bit only`);
    switch (o.prefix) {
      case P.q:
        b.put(0x66, 0x0f);
        break;
      case P.f2:
      case P.f3:
        b.put(o.prefix, 0x0f);
        break;
      case P.m:
        b.put(0x0f);
        break;
      case P.e:
        b.put(0x66);
        break;
    }
    let op = o.op[z]!;
    if (op === 0x0f) {
      b.put(op);
      z++;
      op = o.op[z]!;
    }
    zcase(b, p, o, row, op, z);
    return true;
  }
  b.bytes.length = start;
  return false;
}

const isBPSIDI = (a: Addr) => a.type === 'reg' && a.reg >= REG_BP && a.reg <= REG_DI;

/**
 * Go's fallback when no row matches on 386 (asm6.go doasm `bad:`): if an
 * operand is BP, SI or DI, swap it with a register that has a byte form,
 * do the operation there, and swap back. This is how Go encodes e.g.
 * `NOTL SI` (its NOTL/NEGL rows only accept byte-capable registers).
 */
function byteSwap(b: Buf, p: Prog): boolean {
  const swapWith = (r: number, other: Addr): boolean => {
    const pp: Prog = { ...p, from: unbyte(p.from), to: unbyte(p.to) };
    const breg = byteswapreg(other);
    const sub = (a: Addr): Addr => ({ ...a, reg: a.reg === r ? breg : a.reg, index: a.index === r ? breg : a.index });
    pp.from = sub(pp.from);
    pp.to = sub(pp.to);
    const xchg = () => (breg !== REG_AX ? (b.put(0x87), asmand(b, p, { ...emptyReg, reg: r }, reg(breg))) : b.put(0x90 + reg(r)));
    xchg();
    if (!doasm(b, pp)) return false;
    xchg();
    return true;
  };
  if (isBPSIDI(p.from)) return swapWith(p.from.reg, p.to);
  if (isBPSIDI(p.to)) return swapWith(p.to.reg, p.from);
  return false;
}

const emptyReg: Addr = { type: 'reg', reg: 0, index: 0, scale: 0, name: 'none', sym: null, offset: 0 };

function unbyte(a: Addr): Addr {
  return a.type === 'reg' && a.index === 0 && a.reg >= REG_AL && a.reg < REG_AL + 8 ? { ...a, reg: a.reg - REG_AL + REG_AX } : a;
}

/** A register among AX, BX, CX, DX that operand a does not use (asm6.go byteswapreg). */
function byteswapreg(a: Addr): number {
  const can = new Map([
    [REG_AX, a.type !== 'none'],
    [REG_BX, true],
    [REG_CX, true],
    [REG_DX, a.type !== 'none'],
  ]);
  if (a.type === 'reg' || ((a.type === 'mem' || a.type === 'addr') && a.name === 'none')) {
    if (a.reg === REG_NONE) {
      can.set(REG_AX, false);
      can.set(REG_DX, false);
    }
    const r = a.reg >= REG_AL && a.reg < REG_AL + 8 ? REG_AX + ((a.reg - REG_AL) & 3) : a.reg;
    if (can.has(r)) can.set(r, false);
  }
  if ((a.type === 'mem' || a.type === 'addr') && can.has(a.index)) can.set(a.index, false);
  for (const r of [REG_AX, REG_BX, REG_CX, REG_DX]) if (can.get(r)) return r;
  throw new Error('impossible byte register');
}

function zcase(b: Buf, p: Prog, o: Optab, row: YtabRow, op: number, z: number): void {
  const wide16 = o.prefix === P.e;
  const imm = (a: Addr) => (wide16 ? b.put16(vaddr(a).v) : relput4(b, a));
  switch (row.z) {
    case Z.pseudo:
      return;
    case Z.lit:
      for (let i = z; i < o.op.length && o.op[i] !== 0; i++) b.put(o.op[i]!);
      return;
    case Z.mb_r:
    case Z.m_r:
      b.put(op);
      return asmand(b, p, p.from, reg(p.to.reg));
    case Z.m_r_xm:
      mediaop(b, o, op, row.zoff, z);
      return asmand(b, p, p.from, reg(p.to.reg));
    case Z.m_r_xm_nr:
      mediaop(b, o, op, row.zoff, z);
      return asmand(b, p, p.from, reg(p.to.reg));
    case Z.r_m_xm:
    case Z.r_m_xm_nr:
      mediaop(b, o, op, row.zoff, z);
      return asmand(b, p, p.to, reg(p.from.reg));
    case Z.ibm_r: {
      for (let i = z; i < o.op.length && o.op[i] !== 0; i++) b.put(o.op[i]!);
      asmand(b, p, p.from3!, reg(p.to.reg));
      if (row.args[0] === Y.i32) return b.put32(p.from.offset);
      return b.put(p.from.offset);
    }
    case Z.aut_r:
      b.put(0x8d); // LEAL
      return asmand(b, p, { ...p.from, type: 'mem' }, reg(p.to.reg));
    case Z.m_o:
      b.put(op);
      return asmand(b, p, p.from, o.op[z + 1]!);
    case Z.r_m:
      b.put(op);
      return asmand(b, p, p.to, reg(p.from.reg));
    case Z.o_m:
      b.put(op);
      return asmand(b, p, p.to, o.op[z + 1]!);
    case Z.callindreg:
    case Z.o_m64:
      b.put(op);
      return asmand(b, p, p.to, o.op[z + 1]!);
    case Z.m_ibo:
      b.put(op);
      asmand(b, p, p.from, o.op[z + 1]!);
      return b.put(vaddr(p.to).v);
    case Z.ibo_m:
      b.put(op);
      asmand(b, p, p.to, o.op[z + 1]!);
      return b.put(vaddr(p.from).v);
    case Z.ib_:
      return b.put(op, vaddr(p.from).v);
    case Z._ib:
      return b.put(op, vaddr(p.to).v);
    case Z.ib_rp:
      return b.put(op + reg(p.to.reg), vaddr(p.from).v);
    case Z.il_rp:
      b.put(op + reg(p.to.reg));
      return imm(p.from);
    case Z.ib_rr:
      b.put(op);
      asmand(b, p, p.to, reg(p.to.reg));
      return b.put(vaddr(p.from).v);
    case Z.il_:
      b.put(op);
      return imm(p.from);
    case Z._il:
      b.put(op);
      return imm(p.to);
    case Z.ilo_m:
      b.put(op);
      asmand(b, p, p.to, o.op[z + 1]!);
      return imm(p.from);
    case Z.m_ilo:
      b.put(op);
      asmand(b, p, p.from, o.op[z + 1]!);
      return imm(p.to);
    case Z.il_rr:
      b.put(op);
      asmand(b, p, p.to, reg(p.to.reg));
      return imm(p.from);
    case Z._rp:
      return b.put(op + reg(p.to.reg));
    case Z.rp_:
      return b.put(op + reg(p.from.reg));
    case Z.callind:
      b.put(op, o.op[z + 1]!);
      b.reloc({ siz: 4, type: 'addr', sym: p.to.sym, add: p.to.offset });
      return b.put32(0);
    case Z.call:
      b.put(op);
      if (p.to.sym) b.reloc({ siz: 4, type: 'call', sym: p.to.sym, add: p.to.offset });
      return b.put32(0); // a CALL to a label (p9emu extension) is patched by span.ts
    case Z.br:
    case Z.jmp:
    case Z.loop:
      return branch(b, p, o, row, op, z);
    case Z.byte: {
      const { v, rel } = vaddr(p.from);
      const size = op;
      if (rel) {
        if (size !== 4) throw new Error(`${p.as}: an address needs 4 bytes`);
        b.reloc(rel);
      }
      for (let i = 0; i < size; i++) b.put(i < 4 ? v >> (8 * i) : v < 0 ? 0xff : 0);
      return;
    }
  }
}

/** Jumps: short form (rel8) or near form (rel32), as Go chooses (asm6.go Zbr/Zjmp/Zloop). */
function branch(b: Buf, p: Prog, o: Optab, row: YtabRow, op: number, z: number): void {
  if (p.to.sym) {
    if (row.z !== Z.jmp) throw new Error(`${p.as} to a symbol is not supported; use a label`);
    b.put(o.op[z + 1]!);
    b.reloc({ siz: 4, type: 'call', sym: p.to.sym, add: p.to.offset });
    return b.put32(0);
  }
  const q = p.to.target;
  if (!q) throw new Error(`${p.as} without target`);
  if (p.backward) {
    let v = q.pc - (p.pc + 2);
    if (v >= -128) {
      if (p.as === 'JCXZL') b.put(0x67);
      return b.put(op, v);
    }
    if (row.z === Z.loop) throw new Error(`loop too far: ${fmtProg(p)}`);
    v -= 5 - 2;
    if (row.z === Z.br) {
      b.put(0x0f);
      v--;
    }
    b.put(o.op[z + 1]!);
    return b.put32(v);
  }
  if (p.short) {
    if (p.as === 'JCXZL') b.put(0x67);
    return b.put(op, 0);
  }
  if (row.z === Z.loop) throw new Error(`loop too far: ${fmtProg(p)}`);
  if (row.z === Z.br) b.put(0x0f);
  b.put(o.op[z + 1]!);
  b.put32(0);
}

export function fmtAddr(a: Addr): string {
  const off = (n: number) => (n === 0 ? '' : n > 0 ? `+${n}` : `${n}`);
  const idx = a.index ? `(${regName(a.index)}*${a.scale})` : '';
  switch (a.type) {
    case 'reg':
      return regName(a.reg);
    case 'const':
      return `$${a.offset}`;
    case 'branch':
      return a.sym ?? a.label ?? 'branch';
    case 'addr':
    case 'mem':
    case 'indir': {
      const pre = a.type === 'addr' ? '$' : a.type === 'indir' ? '*' : '';
      const pseudo = { extern: 'SB', static: 'SB', param: 'FP', auto: 'SP', none: '' }[a.name];
      if (pseudo) return `${pre}${a.sym ?? ''}${off(a.offset)}(${pseudo})${idx}`;
      return `${pre}${a.offset || ''}${a.reg ? `(${regName(a.reg)})` : ''}${idx}`;
    }
    default:
      return a.type;
  }
}

export function fmtProg(p: Prog): string {
  const ops = [p.from, p.from3, p.to].filter((a): a is Addr => a !== null && a.type !== 'none').map(fmtAddr);
  return ops.length ? `${p.as} ${ops.join(', ')}` : p.as;
}

