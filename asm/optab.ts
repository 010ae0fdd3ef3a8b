// The instruction table: for each mnemonic, the operand patterns it accepts
// (a "ytab"), a prefix kind, and the opcode bytes the patterns index into.
// Rows, patterns and opcode bytes are facts from Go 1.19
// cmd/internal/obj/x86/asm6.go (var optab / var y*), reduced to the 386
// instructions p9emu supports. Keeping Go's layout (opcode bytes shared
// by all patterns, each pattern consuming `zoff` of them) lets encode.ts
// follow doasm step for step and so emit the same bytes.

import { Y } from './arch.ts';

/** How a pattern emits its bytes (Go's Z* cases). */
export const enum Z {
  lit,
  rp_, // opcode+reg(from)
  _rp, // opcode+reg(to)
  br,
  call,
  callind,
  callindreg,
  ib_,
  ib_rp,
  ibo_m,
  il_,
  il_rp,
  ilo_m,
  jmp,
  loop,
  m_o,
  m_r,
  m_r_xm,
  m_r_xm_nr,
  r_m_xm_nr,
  ibm_r,
  mb_r,
  aut_r,
  o_m,
  o_m64,
  pseudo,
  r_m,
  r_m_xm,
  _ib,
  _il,
  m_ibo,
  m_ilo,
  ib_rr,
  il_rr,
  byte,
}

export interface YtabRow {
  z: Z;
  zoff: number;
  args: Y[];
}

/** Go's prefix kinds that matter on 386 (asm6.go Px, Pe, Pm, ...). */
export const enum P {
  x = 0,
  x1 = 1, // first pattern is 32-bit only (INCL/DECL short form)
  p32 = 0x32,
  e = 0x66,
  m = 0x0f,
  q = 0xff, // 66 0f
  b = 0xfe, // byte operands
  f2 = 0xf2,
  f3 = 0xf3,
  w8 = 0x90, // MOVQ: rows from index 8 on are 64-bit only
  y1 = 0x81, // PXOR: first row (MMX) is 64-bit only in Go's table
}

const row = (z: Z, zoff: number, ...args: Y[]): YtabRow => ({ z, zoff, args });

const ynone = [row(Z.lit, 1)];
const yxorb = [row(Z.ib_, 1, Y.i32, Y.al), row(Z.ibo_m, 2, Y.i32, Y.mb), row(Z.r_m, 1, Y.rb, Y.mb), row(Z.m_r, 1, Y.mb, Y.rb)];
const yaddl = [
  row(Z.ibo_m, 2, Y.i8, Y.ml),
  row(Z.il_, 1, Y.i32, Y.ax),
  row(Z.ilo_m, 2, Y.i32, Y.ml),
  row(Z.r_m, 1, Y.rl, Y.ml),
  row(Z.m_r, 1, Y.ml, Y.rl),
];
const ycmpb = [row(Z._ib, 1, Y.al, Y.i32), row(Z.m_ibo, 2, Y.mb, Y.i32), row(Z.m_r, 1, Y.mb, Y.rb), row(Z.r_m, 1, Y.rb, Y.mb)];
const ycmpl = [
  row(Z.m_ibo, 2, Y.ml, Y.i8),
  row(Z._il, 1, Y.ax, Y.i32),
  row(Z.m_ilo, 2, Y.ml, Y.i32),
  row(Z.m_r, 1, Y.ml, Y.rl),
  row(Z.r_m, 1, Y.rl, Y.ml),
];
const yincl = [row(Z._rp, 1, Y.rl), row(Z.o_m, 2, Y.ml)];
const yincq = [row(Z.o_m, 2, Y.ml)];
const yscond = [row(Z.o_m, 2, Y.mb)];
const ydivl = [row(Z.m_o, 2, Y.ml)];
const ydivb = [row(Z.m_o, 2, Y.mb)];
const yimul = [row(Z.m_o, 2, Y.ml), row(Z.ib_rr, 1, Y.i8, Y.rl), row(Z.il_rr, 1, Y.i32, Y.rl), row(Z.m_r, 2, Y.ml, Y.rl)];
const yimul3 = [row(Z.ibm_r, 2, Y.i8, Y.ml, Y.rl), row(Z.ibm_r, 2, Y.i32, Y.ml, Y.rl)];
const yint = [row(Z.ib_, 1, Y.i32)];
const yjcond = [row(Z.br, 0, Y.br), row(Z.br, 0, Y.i0, Y.br), row(Z.br, 1, Y.i1, Y.br)];
const yloop = [row(Z.loop, 1, Y.br)];
const ym_rl = [row(Z.m_r, 1, Y.m, Y.rl)];
const ymovb = [row(Z.r_m, 1, Y.rb, Y.mb), row(Z.m_r, 1, Y.mb, Y.rb), row(Z.ib_rp, 1, Y.i32, Y.rb), row(Z.ibo_m, 2, Y.i32, Y.mb)];
const ymb_rl = [row(Z.mb_r, 1, Y.mb, Y.rl)];
const yml_rl = [row(Z.m_r, 1, Y.ml, Y.rl)];
const ymovl = [
  row(Z.r_m, 1, Y.rl, Y.ml),
  row(Z.m_r, 1, Y.ml, Y.rl),
  row(Z.il_rp, 1, Y.i32, Y.rl),
  row(Z.ilo_m, 2, Y.i32, Y.ml),
  row(Z.m_r_xm, 1, Y.ml, Y.mr), // MMX MOVD
  row(Z.r_m_xm, 1, Y.mr, Y.ml),
  row(Z.m_r_xm, 2, Y.ml, Y.xr), // XMM MOVD
  row(Z.r_m_xm, 2, Y.xr, Y.ml),
  row(Z.aut_r, 2, Y.iauto, Y.rl),
];
const ymovq = [
  row(Z.m_r_xm_nr, 1, Y.m, Y.mr),
  row(Z.r_m_xm_nr, 1, Y.mr, Y.m),
  row(Z.m_r_xm_nr, 2, Y.xr, Y.mr),
  row(Z.m_r_xm_nr, 2, Y.xm, Y.xr),
  row(Z.r_m_xm_nr, 2, Y.xr, Y.xm),
  // The rest of Go's MOVQ rows need a REX prefix: 64-bit mode only.
];
const yxmov = [row(Z.m_r_xm, 1, Y.xm, Y.xr), row(Z.r_m_xm, 1, Y.xr, Y.xm)];
const ymovw = [
  row(Z.r_m, 1, Y.rl, Y.ml),
  row(Z.m_r, 1, Y.ml, Y.rl),
  row(Z.il_rp, 1, Y.i32, Y.rl),
  row(Z.ilo_m, 2, Y.i32, Y.ml),
  row(Z.aut_r, 2, Y.iauto, Y.rl),
];
const ypopl = [row(Z._rp, 1, Y.rl), row(Z.o_m, 2, Y.m)];
const ypushl = [row(Z.rp_, 1, Y.rl), row(Z.m_o, 2, Y.m), row(Z.ib_, 1, Y.i8), row(Z.il_, 1, Y.i32)];
const ymm = [row(Z.m_r_xm, 1, Y.mm, Y.mr), row(Z.m_r_xm, 2, Y.xm, Y.xr)];
const yshl = [row(Z.o_m, 2, Y.i1, Y.ml), row(Z.ibo_m, 2, Y.u8, Y.ml), row(Z.o_m, 2, Y.cl, Y.ml), row(Z.o_m, 2, Y.cx, Y.ml)];
const yshb = [row(Z.o_m, 2, Y.i1, Y.mb), row(Z.ibo_m, 2, Y.u8, Y.mb), row(Z.o_m, 2, Y.cx, Y.mb)];
const ytestl = [row(Z.il_, 1, Y.i32, Y.ax), row(Z.ilo_m, 2, Y.i32, Y.ml), row(Z.r_m, 1, Y.rl, Y.ml), row(Z.m_r, 1, Y.ml, Y.rl)];
const yxchg = [row(Z._rp, 1, Y.ax, Y.rl), row(Z.rp_, 1, Y.rl, Y.ax), row(Z.r_m, 1, Y.rl, Y.ml), row(Z.m_r, 1, Y.ml, Y.rl)];
const ysvrs_mo = [row(Z.m_o, 2, Y.m)];
const ysvrs_om = [row(Z.o_m, 2, Y.m)];
const yrl_ml = [row(Z.r_m, 1, Y.rl, Y.ml)];
const yrb_mb = [row(Z.r_m, 1, Y.rb, Y.mb)];
const yml_mb = [row(Z.r_m, 1, Y.rb, Y.mb), row(Z.m_r, 1, Y.mb, Y.rb)];
const ycall = [
  row(Z.callindreg, 0, Y.ml),
  row(Z.callindreg, 2, Y.rx, Y.rx),
  row(Z.callind, 2, Y.indir),
  row(Z.call, 0, Y.br),
  row(Z.lit, 1, Y.i32), // Go's Zcallcon: never produced by the assembler front end
];
const yjmp = [row(Z.o_m64, 2, Y.ml), row(Z.jmp, 0, Y.br)];
const ynop = [row(Z.pseudo, 0), row(Z.pseudo, 0, Y.iauto), row(Z.pseudo, 0, Y.ml), row(Z.pseudo, 0, Y.rf), row(Z.pseudo, 0, Y.xr)];
const ybswap = [row(Z._rp, 2, Y.rl)];
const ybtl = [row(Z.ibo_m, 2, Y.i8, Y.ml), row(Z.r_m, 1, Y.rl, Y.ml)];
const yxm = [row(Z.m_r_xm, 1, Y.xm, Y.xr)];
const ybyte = [row(Z.byte, 1, Y.i64)];

/** Condition suffixes in Go's spelling, with the x86 condition-code number. */
export const condCodes: ReadonlyArray<[string, number]> = [
  ['OS', 0x0],
  ['OC', 0x1],
  ['CS', 0x2],
  ['CC', 0x3],
  ['EQ', 0x4],
  ['NE', 0x5],
  ['LS', 0x6],
  ['HI', 0x7],
  ['MI', 0x8],
  ['PL', 0x9],
  ['PS', 0xa],
  ['PC', 0xb],
  ['LT', 0xc],
  ['GE', 0xd],
  ['LE', 0xe],
  ['GT', 0xf],
];

export interface Optab {
  ytab: YtabRow[];
  prefix: P;
  op: number[];
}

const Pe = 0x66;
const Pm = 0x0f;
const Pf2 = 0xf2;
const Pf3 = 0xf3;

const t = (ytab: YtabRow[], prefix: P, ...op: number[]): Optab => ({ ytab, prefix, op });

/** Every supported mnemonic (Go spelling) → its table row. */
export const optab: ReadonlyMap<string, Optab> = new Map<string, Optab>([
  ['MOVL', t(ymovl, P.x, 0x89, 0x8b, 0xb8, 0xc7, 0, 0x6e, 0x7e, Pe, 0x6e, Pe, 0x7e, 0)],
  ['MOVW', t(ymovw, P.e, 0x89, 0x8b, 0xb8, 0xc7, 0, 0)],
  ['MOVB', t(ymovb, P.b, 0x88, 0x8a, 0xb0, 0xc6, 0)],
  ['MOVBLZX', t(ymb_rl, P.m, 0xb6)],
  ['MOVBLSX', t(ymb_rl, P.m, 0xbe)],
  ['MOVWLZX', t(yml_rl, P.m, 0xb7)],
  ['MOVWLSX', t(yml_rl, P.m, 0xbf)],
  ['MOVBWZX', t(ymb_rl, P.q, 0xb6)],
  ['MOVBWSX', t(ymb_rl, P.q, 0xbe)],
  ['LEAL', t(ym_rl, P.x, 0x8d)],
  ['LEAW', t(ym_rl, P.e, 0x8d)],
  ...arith('ADD', 0x83, 0, 0x05, 0x81, 0, 0x01, 0x03, 0x04, 0x00, 0x02),
  ...arith('SUB', 0x83, 5, 0x2d, 0x81, 5, 0x29, 0x2b, 0x2c, 0x28, 0x2a),
  ...arith('ADC', 0x83, 2, 0x15, 0x81, 2, 0x11, 0x13, 0x14, 0x10, 0x12),
  ...arith('SBB', 0x83, 3, 0x1d, 0x81, 3, 0x19, 0x1b, 0x1c, 0x18, 0x1a),
  ...arith('AND', 0x83, 4, 0x25, 0x81, 4, 0x21, 0x23, 0x24, 0x20, 0x22),
  ...arith('OR', 0x83, 1, 0x0d, 0x81, 1, 0x09, 0x0b, 0x0c, 0x08, 0x0a),
  ...arith('XOR', 0x83, 6, 0x35, 0x81, 6, 0x31, 0x33, 0x34, 0x30, 0x32),
  ['CMPL', t(ycmpl, P.x, 0x83, 7, 0x3d, 0x81, 7, 0x39, 0x3b)],
  ['CMPW', t(ycmpl, P.e, 0x83, 7, 0x3d, 0x81, 7, 0x39, 0x3b)],
  ['CMPB', t(ycmpb, P.b, 0x3c, 0x80, 7, 0x38, 0x3a)],
  ['TESTL', t(ytestl, P.x, 0xa9, 0xf7, 0, 0x85, 0x85)],
  ['TESTW', t(ytestl, P.e, 0xa9, 0xf7, 0, 0x85, 0x85)],
  ['TESTB', t(yxorb, P.b, 0xa8, 0xf6, 0, 0x84, 0x84)],
  ['INCL', t(yincl, P.x1, 0x40, 0xff, 0)],
  ['INCW', t(yincq, P.e, 0xff, 0)],
  ['INCB', t(yscond, P.b, 0xfe, 0)],
  ['DECL', t(yincl, P.x1, 0x48, 0xff, 1)],
  ['DECW', t(yincq, P.e, 0xff, 1)],
  ['DECB', t(yscond, P.b, 0xfe, 1)],
  ['NEGL', t(yscond, P.x, 0xf7, 3)],
  ['NEGW', t(yscond, P.e, 0xf7, 3)],
  ['NEGB', t(yscond, P.b, 0xf6, 3)],
  ['NOTL', t(yscond, P.x, 0xf7, 2)],
  ['NOTW', t(yscond, P.e, 0xf7, 2)],
  ['NOTB', t(yscond, P.b, 0xf6, 2)],
  ...shift('SHL', 4),
  ...shift('SHR', 5),
  ...shift('SAR', 7),
  ...shift('ROL', 0),
  ...shift('ROR', 1),
  ['MULL', t(ydivl, P.x, 0xf7, 4)],
  ['MULW', t(ydivl, P.e, 0xf7, 4)],
  ['MULB', t(ydivb, P.b, 0xf6, 4)],
  ['IMULL', t(yimul, P.x, 0xf7, 5, 0x6b, 0x69, Pm, 0xaf)],
  ['IMULW', t(yimul, P.e, 0xf7, 5, 0x6b, 0x69, Pm, 0xaf)],
  ['IMULB', t(ydivb, P.b, 0xf6, 5)],
  ['IMUL3L', t(yimul3, P.x, 0x6b, 0, 0x69, 0)],
  ['DIVL', t(ydivl, P.x, 0xf7, 6)],
  ['DIVW', t(ydivl, P.e, 0xf7, 6)],
  ['DIVB', t(ydivb, P.b, 0xf6, 6)],
  ['IDIVL', t(ydivl, P.x, 0xf7, 7)],
  ['IDIVW', t(ydivl, P.e, 0xf7, 7)],
  ['IDIVB', t(ydivb, P.b, 0xf6, 7)],
  ['CDQ', t(ynone, P.x, 0x99)],
  ['CWD', t(ynone, P.e, 0x99)],
  ['PUSHL', t(ypushl, P.p32, 0x50, 0xff, 6, 0x6a, 0x68)],
  ['POPL', t(ypopl, P.p32, 0x58, 0x8f, 0)],
  ['PUSHW', t(ypushl, P.e, 0x50, 0xff, 6, 0x6a, 0x68)],
  ['POPW', t(ypopl, P.e, 0x58, 0x8f, 0)],
  ['PUSHFL', t(ynone, P.p32, 0x9c)],
  ['POPFL', t(ynone, P.p32, 0x9d)],
  ['PUSHAL', t(ynone, P.p32, 0x60)],
  ['POPAL', t(ynone, P.p32, 0x61)],
  ['PUSHFW', t(ynone, P.e, 0x9c)],
  ['POPFW', t(ynone, P.e, 0x9d)],
  ['PUSHAW', t(ynone, P.e, 0x60)],
  ['POPAW', t(ynone, P.e, 0x61)],
  ...jcc(),
  ['JCXZL', t(yloop, P.x, 0xe3)],
  ['CALL', t(ycall, P.x, 0xff, 2, 0xff, 0x15, 0xe8)],
  ['JMP', t(yjmp, P.x, 0xff, 4, 0xeb, 0xe9)],
  ['RET', t(ynone, P.x, 0xc3)],
  ['NOP', t(ynop, P.x, 0, 0)],
  ['UNDEF', t(ynone, P.x, 0x0f, 0x0b)],
  ['INT', t(yint, P.x, 0xcd)],
  ['HLT', t(ynone, P.x, 0xf4)],
  ['XCHGL', t(yxchg, P.x, 0x90, 0x90, 0x87, 0x87)],
  ['XCHGW', t(yxchg, P.e, 0x90, 0x90, 0x87, 0x87)],
  ['XCHGB', t(yml_mb, P.b, 0x86, 0x86)],
  ['LOCK', t(ynone, P.x, 0xf0)],
  ['CMPXCHGL', t(yrl_ml, P.x, 0x0f, 0xb1)],
  ['CMPXCHGW', t(yrl_ml, P.e, 0x0f, 0xb1)],
  ['CMPXCHGB', t(yrb_mb, P.b, 0x0f, 0xb0)],
  ['CMPXCHG8B', t(yscond, P.m, 0xc7, 1)],
  ['XADDL', t(yrl_ml, P.x, 0x0f, 0xc1)],
  ['XADDW', t(yrl_ml, P.e, 0x0f, 0xc1)],
  ['XADDB', t(yrb_mb, P.b, 0x0f, 0xc0)],
  ['REP', t(ynone, P.x, 0xf3)],
  ['REPN', t(ynone, P.x, 0xf2)],
  ['MOVSB', t(ynone, P.b, 0xa4)],
  ['MOVSW', t(ynone, P.e, 0xa5)],
  ['MOVSL', t(ynone, P.x, 0xa5)],
  ['STOSB', t(ynone, P.b, 0xaa)],
  ['STOSW', t(ynone, P.e, 0xab)],
  ['STOSL', t(ynone, P.x, 0xab)],
  ['LODSB', t(ynone, P.b, 0xac)],
  ['LODSW', t(ynone, P.e, 0xad)],
  ['LODSL', t(ynone, P.x, 0xad)],
  ['SCASB', t(ynone, P.b, 0xae)],
  ['SCASL', t(ynone, P.x, 0xaf)],
  ['CMPSB', t(ynone, P.b, 0xa6)],
  ['CMPSL', t(ynone, P.x, 0xa7)],
  ['CLD', t(ynone, P.x, 0xfc)],
  ['STD', t(ynone, P.x, 0xfd)],
  ['CLC', t(ynone, P.x, 0xf8)],
  ['STC', t(ynone, P.x, 0xf9)],
  ['CMC', t(ynone, P.x, 0xf5)],
  ['CLI', t(ynone, P.x, 0xfa)],
  ['STI', t(ynone, P.x, 0xfb)],
  ...conds('SET', (cc) => t(yscond, P.b, 0x0f, 0x90 + cc, 0)),
  ...conds('CMOVL', (cc) => t(yml_rl, P.m, 0x40 + cc)),
  ['BSWAPL', t(ybswap, P.x, 0x0f, 0xc8)],
  ['BSFL', t(yml_rl, P.m, 0xbc)],
  ['BSRL', t(yml_rl, P.m, 0xbd)],
  ['BTL', t(ybtl, P.m, 0xba, 4, 0xa3)],
  ['BTSL', t(ybtl, P.m, 0xba, 5, 0xab)],
  ['BTRL', t(ybtl, P.m, 0xba, 6, 0xb3)],
  ['CPUID', t(ynone, P.m, 0xa2)],
  ['RDTSC', t(ynone, P.m, 0x31)],
  ['PAUSE', t(ynone, P.x, 0xf3, 0x90)],
  ['MFENCE', t(ynone, P.m, 0xae, 0xf0)],
  ['LFENCE', t(ynone, P.m, 0xae, 0xe8)],
  ['SFENCE', t(ynone, P.m, 0xae, 0xf8)],
  ['LEAVEL', t(ynone, P.p32, 0xc9)],
  ['MOVQ', t(ymovq, P.w8, 0x6f, 0x7f, Pf2, 0xd6, Pf3, 0x7e, Pe, 0xd6)],
  ['MOVSD', t(yxmov, P.f2, 0x10, 0x11)],
  ['MOVSS', t(yxmov, P.f3, 0x10, 0x11)],
  ['MOVUPS', t(yxmov, P.m, 0x10, 0x11)],
  ['MOVAPS', t(yxmov, P.m, 0x28, 0x29)],
  ['MOVOU', t(yxmov, P.f3, 0x6f, 0x7f)],
  ['MOVO', t(yxmov, P.e, 0x6f, 0x7f)],
  ['PXOR', t(ymm, P.y1, 0xef, Pe, 0xef)],
  ['XORPS', t(yxm, P.m, 0x57)],
  ['ADDSD', t(yxm, P.f2, 0x58)],
  ['SUBSD', t(yxm, P.f2, 0x5c)],
  ['MULSD', t(yxm, P.f2, 0x59)],
  ['DIVSD', t(yxm, P.f2, 0x5e)],
  ['FLDCW', t(ysvrs_mo, P.x, 0xd9, 5, 0xd9, 5)],
  ['FSTCW', t(ysvrs_om, P.x, 0xd9, 7, 0xd9, 7)],
  ['EMMS', t(ynone, P.m, 0x77)],
  ['BYTE', t(ybyte, P.x, 1)],
  ['WORD', t(ybyte, P.x, 2)],
  ['LONG', t(ybyte, P.x, 4)],
]);

/** ADDL/ADDW/ADDB and friends share one layout; only the opcode bytes differ. */
function arith(stem: string, ...b: number[]): [string, Optab][] {
  const [ib, ext, ax, il, ext2, rm, mr, bAl, bRm, bMr] = b as [number, number, number, number, number, number, number, number, number, number];
  const wide = [ib, ext, ax, il, ext2, rm, mr];
  return [
    [`${stem}L`, t(yaddl, P.x, ...wide)],
    [`${stem}W`, t(yaddl, P.e, ...wide)],
    [`${stem}B`, t(yxorb, P.b, bAl, 0x80, ext, bRm, bMr)],
  ];
}

function shift(stem: string, ext: number): [string, Optab][] {
  return [
    [`${stem}L`, t(yshl, P.x, 0xd1, ext, 0xc1, ext, 0xd3, ext, 0xd3, ext)],
    [`${stem}W`, t(yshl, P.e, 0xd1, ext, 0xc1, ext, 0xd3, ext, 0xd3, ext)],
    [`${stem}B`, t(yshb, P.b, 0xd0, ext, 0xc0, ext, 0xd2, ext)],
  ];
}


function conds(stem: string, f: (cc: number) => Optab): [string, Optab][] {
  return condCodes.map(([s, cc]) => [stem + s, f(cc)]);
}

function jcc(): [string, Optab][] {
  return condCodes.map(([s, cc]) => [`J${s}`, t(yjcond, P.x, 0x70 + cc, 0x80 + cc)]);
}

/** Alternate spellings Go accepts (cmd/asm/internal/arch/arch.go archX86). */
export const aliases: ReadonlyMap<string, string> = new Map([
  ['JA', 'JHI'],
  ['JAE', 'JCC'],
  ['JB', 'JCS'],
  ['JBE', 'JLS'],
  ['JC', 'JCS'],
  ['JE', 'JEQ'],
  ['JG', 'JGT'],
  ['JHS', 'JCC'],
  ['JL', 'JLT'],
  ['JLO', 'JCS'],
  ['JNA', 'JLS'],
  ['JNAE', 'JCS'],
  ['JNB', 'JCC'],
  ['JNBE', 'JHI'],
  ['JNC', 'JCC'],
  ['JNG', 'JLE'],
  ['JNGE', 'JLT'],
  ['JNL', 'JGE'],
  ['JNLE', 'JGT'],
  ['JNO', 'JOC'],
  ['JNP', 'JPC'],
  ['JNS', 'JPL'],
  ['JNZ', 'JNE'],
  ['JO', 'JOS'],
  ['JP', 'JPS'],
  ['JPE', 'JPS'],
  ['JPO', 'JPC'],
  ['JS', 'JMI'],
  ['JZ', 'JEQ'],
  ['MOVD', 'MOVQ'],
]);

/** Instructions that transfer control: their last operand is a branch target. */
export function isJump(as: string): boolean {
  return as === 'CALL' || as === 'JMP' || as === 'JCXZL' || (as.startsWith('J') && optab.get(as)?.ytab === yjcond);
}
