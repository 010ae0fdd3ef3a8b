// 386 registers and Go's operand classes ("Y" classes).
// The classes and the "covers" relation are the facts from Go 1.19
// cmd/internal/obj/x86/asm6.go (the Y* constants, instinit's ycover and
// oclass), restricted to what a 32-bit Plan 9 program can use. Matching
// instructions the way Go does is what makes our bytes identical to
// `go tool asm`: Go picks the first table row whose classes cover the
// operands, so we must classify operands exactly as it does.

import type { Addr } from './prog.ts';

// Register numbers. Only their grouping matters; reg() gives the 3-bit field.
export const REG_NONE = 0;
export const REG_AL = 1; // AL CL DL BL AH CH DH BH
export const REG_AH = 5;
export const REG_AX = 9; // AX CX DX BX SP BP SI DI
export const REG_CX = 10;
export const REG_DX = 11;
export const REG_BX = 12;
export const REG_SP = 13;
export const REG_BP = 14;
export const REG_SI = 15;
export const REG_DI = 16;
export const REG_F0 = 17;
export const REG_M0 = 25;
export const REG_X0 = 33;
export const REG_CS = 41; // CS SS DS ES FS GS
export const REG_GS = 46;
export const REG_TLS = 47;

const names8 = ['AL', 'CL', 'DL', 'BL', 'AH', 'CH', 'DH', 'BH'];
const names32 = ['AX', 'CX', 'DX', 'BX', 'SP', 'BP', 'SI', 'DI'];
const segNames = ['CS', 'SS', 'DS', 'ES', 'FS', 'GS'];

/** Register name (as written in source) → number. SP here is the hardware SP. */
export const registers: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  names8.forEach((n, i) => m.set(n, REG_AL + i));
  names32.forEach((n, i) => m.set(n, REG_AX + i));
  for (let i = 0; i < 8; i++) {
    m.set(`F${i}`, REG_F0 + i);
    m.set(`M${i}`, REG_M0 + i);
    m.set(`X${i}`, REG_X0 + i);
  }
  segNames.forEach((n, i) => m.set(n, REG_CS + i));
  m.set('TLS', REG_TLS);
  return m;
})();

export function regName(r: number): string {
  for (const [n, v] of registers) if (v === r) return n;
  return `R${r}`;
}

/** The 3-bit ModRM/SIB field of a register. */
export function reg(r: number): number {
  if (r >= REG_AL && r < REG_AL + 8) return (r - REG_AL) & 7;
  if (r >= REG_AX && r <= REG_DI) return r - REG_AX;
  if (r >= REG_F0 && r < REG_F0 + 8) return r - REG_F0;
  if (r >= REG_M0 && r < REG_M0 + 8) return r - REG_M0;
  if (r >= REG_X0 && r < REG_X0 + 8) return r - REG_X0;
  return -1;
}

export function isGPR(r: number): boolean {
  return r >= REG_AX && r <= REG_DI;
}

// Operand classes, in Go's order (the order itself does not matter to us).
export const enum Y {
  xxx,
  none,
  i0, // $0
  i1, // $1
  u2, // fits in uint2
  i8, // fits in int8
  u8, // fits in uint8
  u7, // 0..127
  s32,
  i32,
  i64,
  iauto,
  al,
  cl,
  ax,
  cx,
  rb,
  rl,
  rl32, // SP BP SI DI: on 386 these have no byte form
  rf,
  f0,
  rx, // DX BX
  mb,
  ml,
  m,
  br,
  cs,
  ss,
  ds,
  es,
  fs,
  gs,
  mr,
  mm,
  xr0,
  xr,
  xm,
  tls,
  indir,
  count,
}

const cover = new Set<number>();
function covers(from: Y, to: Y): void {
  cover.add(from * Y.count + to);
}
for (let i = 0; i < Y.count; i++) covers(i, i);
// Immediates: a small constant satisfies every wider immediate class.
for (const [a, bs] of [
  [Y.i0, [Y.u2, Y.i8, Y.u7, Y.u8, Y.s32, Y.i32, Y.i64]],
  [Y.i1, [Y.u2, Y.i8, Y.u7, Y.u8, Y.s32, Y.i32, Y.i64]],
  [Y.u2, [Y.i8, Y.u7, Y.u8, Y.s32, Y.i32, Y.i64]],
  [Y.u7, [Y.i8, Y.u8, Y.s32, Y.i32, Y.i64]],
  [Y.u8, [Y.s32, Y.i32, Y.i64]],
  [Y.i8, [Y.s32, Y.i32, Y.i64]],
  [Y.s32, [Y.i32, Y.i64]],
  [Y.i32, [Y.i64]],
  // Registers.
  [Y.al, [Y.rb, Y.mb]],
  [Y.cl, [Y.rb, Y.cx, Y.mb]],
  [Y.ax, [Y.rb, Y.rx, Y.rl, Y.mb, Y.ml, Y.mm]],
  [Y.cx, [Y.rb, Y.rx, Y.rl, Y.mb, Y.ml, Y.mm]],
  [Y.rx, [Y.rb, Y.rl, Y.mb, Y.ml, Y.mm]],
  [Y.rl, [Y.rb, Y.mb, Y.ml, Y.mm]],
  [Y.rl32, [Y.rl, Y.ml, Y.mm]],
  [Y.rb, [Y.mb]],
  [Y.f0, [Y.rf]],
  [Y.m, [Y.mb, Y.ml, Y.mm, Y.xm]],
  [Y.mr, [Y.mm]],
  [Y.xr0, [Y.xr, Y.xm]],
  [Y.xr, [Y.xm]],
] as const) {
  for (const b of bs) covers(a, b);
}

export function ycover(operand: Y, wanted: Y): boolean {
  return cover.has(operand * Y.count + wanted);
}

/** Classify an operand as Go's oclass does for GOARCH=386. */
export function oclass(a: Addr): Y {
  switch (a.type) {
    case 'none':
      return Y.none;
    case 'branch':
      return Y.br;
    case 'indir':
      return a.name !== 'none' && a.reg === 0 && a.index === 0 ? Y.indir : Y.xxx;
    case 'mem':
      return a.index === REG_SP ? Y.xxx : Y.m;
    case 'addr':
      // 386 addresses globals absolutely (asm6.go useAbs), so $sym(SB) is a 32-bit immediate.
      if (a.name === 'extern' || a.name === 'static') return Y.i32;
      if (a.name === 'auto' || a.name === 'param') return Y.iauto;
      return Y.xxx;
    case 'const':
      return constClass(a.offset);
    case 'reg':
      return regClass(a.reg);
    default:
      return Y.xxx;
  }
}

function constClass(v0: number): Y {
  const v = v0 | 0; // 386: only the low 32 bits are significant
  if (v === 0) return Y.i0;
  if (v === 1) return Y.i1;
  if (v >= 0 && v <= 3) return Y.u2;
  if (v >= 0 && v <= 127) return Y.u7;
  if (v >= 0 && v <= 255) return Y.u8;
  if (v >= -128 && v <= 127) return Y.i8;
  return Y.i32;
}

function regClass(r: number): Y {
  if (r === REG_AL) return Y.al;
  if (r === REG_AX) return Y.ax;
  if (r === REG_AL + 1) return Y.cl;
  if (r === REG_CX) return Y.cx;
  if (r > REG_AL && r < REG_AL + 8) return Y.rb;
  if (r === REG_DX || r === REG_BX) return Y.rx;
  if (r >= REG_SP && r <= REG_DI) return Y.rl32;
  if (r === REG_F0) return Y.f0;
  if (r > REG_F0 && r < REG_F0 + 8) return Y.rf;
  if (r >= REG_M0 && r < REG_M0 + 8) return Y.mr;
  if (r === REG_X0) return Y.xr0;
  if (r > REG_X0 && r < REG_X0 + 8) return Y.xr;
  if (r >= REG_CS && r <= REG_GS) return (Y.cs + (r - REG_CS)) as Y;
  if (r === REG_TLS) return Y.tls;
  return Y.xxx;
}
