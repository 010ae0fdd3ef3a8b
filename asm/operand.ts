// Operand syntax, as parsed by Go's cmd/asm/internal/asm/parse.go (operand,
// symbolReference, registerIndirect), for 386:
//
//   AX                    register
//   $12, $(1<<3)          constant          $1.5  float     $"ab"  string (DATA)
//   $sym(SB), $x+0(FP)    address
//   8(SP), (AX)(BX*4)     memory (SP here is the hardware stack pointer)
//   sym+4(SB)             global           x+0(FP) argument    y-4(SP) local (pseudo-SP)
//   *sym(SB)              indirect (CALL *sym(SB))
//   label, 3(PC)          branch targets (jumps only)

import { registers, REG_NONE } from './arch.ts';
import { Cursor, expr, expr32, startsExpr } from './expr.ts';
import type { Tok } from './lex.ts';
import { emptyAddr, type Addr } from './prog.ts';

export interface OperandContext {
  /** Package path for names written with a leading `·`. */
  pkg: string;
  /** Jump instructions take bare identifiers as labels. */
  isJump: boolean;
}

/** Turn Go's `runtime·notify` spelling into `runtime.notify`; a leading `·` means this package. */
export function symName(raw: string, pkg: string): string {
  const s = raw.startsWith('\u00b7') ? `${pkg}${raw}` : raw;
  return s.replace(/\u00b7/g, '.').replace(/\u2215/g, '/');
}

export function parseOperand(toks: Tok[], ctx: OperandContext): Addr {
  const c = new Cursor(toks);
  if (c.done()) throw new Error('missing operand');
  const a = operand(c, ctx);
  if (!c.done()) throw new Error(`unexpected ${c.peek()!.text} in operand`);
  return a;
}

function operand(c: Cursor, ctx: OperandContext): Addr {
  const a = emptyAddr();
  if (c.is('$')) {
    c.next();
    return immediate(c, ctx);
  }
  if (c.is('*')) {
    c.next();
    const inner = operand(c, ctx);
    if (inner.type !== 'mem') throw new Error('bad indirect operand');
    inner.type = inner.name === 'none' ? 'mem' : 'indir';
    return inner;
  }
  const t = c.peek()!;
  if (t.kind === 'ident' && registers.has(t.text) && !c.is('(', 1)) {
    c.next();
    a.type = 'reg';
    a.reg = registers.get(t.text)!;
    return a;
  }
  if (t.kind === 'ident' && !registers.has(t.text)) {
    if (['SB', 'FP', 'PC'].includes(t.text)) throw new Error(`cannot use pseudo-register ${t.text} here`);
    return symbolRef(c, ctx, a);
  }
  // offset(reg)... or a bare constant
  if (startsExpr(c) && !c.is('(')) a.offset = expr32(c);
  else if (c.is('(') && !isIndirect(c)) a.offset = expr32(c);
  if (c.done()) {
    // A bare number is only meaningful as an immediate; Go requires `$`.
    throw new Error('constant operand needs $');
  }
  if (c.is('(') && c.peek(1)?.text === 'PC' && c.is(')', 2)) {
    c.pos += 3;
    a.type = 'branch';
    a.pcIndex = a.offset;
    a.offset = 0;
    return a;
  }
  if (c.is('(') && ['SB', 'FP', 'SP'].includes(c.peek(1)?.text ?? '') && c.peek(1)?.text !== 'SP')
    throw new Error(`cannot reference ${c.peek(1)!.text} without a symbol`);
  a.type = 'mem';
  indirect(c, a);
  return a;
}

/** `(` followed by a register and `)` or `*`: the start of an addressing mode, not a parenthesised expression. */
function isIndirect(c: Cursor): boolean {
  const r = c.peek(1);
  return c.is('(') && r?.kind === 'ident' && (registers.has(r.text) || r.text === 'SP') && (c.is(')', 2) || c.is('*', 2));
}

/** Parse `(base)`, `(base)(index*scale)`, `(index*scale)` into a. */
function indirect(c: Cursor, a: Addr): void {
  let first = true;
  while (c.is('(')) {
    c.next();
    const rt = c.next();
    const r = registers.get(rt.text);
    if (r === undefined) throw new Error(`indirect through non-register ${rt.text}`);
    if (c.is('*')) {
      c.next();
      const s = Number(expr(c));
      if (![1, 2, 4, 8].includes(s)) throw new Error(`bad scale: ${s}`);
      if (a.index !== REG_NONE) throw new Error('two index registers');
      a.index = r;
      a.scale = s;
    } else {
      if (!first) throw new Error('index register needs a scale');
      a.reg = r;
    }
    c.expect(')');
    first = false;
  }
  if (!c.done()) throw new Error(`unexpected ${c.peek()!.text} after addressing mode`);
}

/** name[<>][+off](SB|FP|SP)[(index*scale)] or a bare label for jumps. */
function symbolRef(c: Cursor, ctx: OperandContext, a: Addr): Addr {
  const nameTok = c.next();
  const raw = nameTok.text;
  // Optional ABI selector, as in Go: foo<ABIInternal>(SB). It does not change the code.
  if (c.is('<') && c.peek(1)?.kind === 'ident' && c.is('>', 2)) c.pos += 3;
  const isStatic = raw.endsWith('<>');
  if (c.done() && ctx.isJump) {
    a.type = 'branch';
    a.label = raw;
    return a;
  }
  if (c.is('+') || c.is('-')) a.offset = expr32(c);
  if (!c.is('(')) throw new Error(`illegal or missing addressing mode for symbol ${raw}`);
  c.next();
  const base = c.next().text;
  c.expect(')');
  switch (base) {
    case 'SB':
      a.name = isStatic ? 'static' : 'extern';
      a.sym = symName(raw, ctx.pkg);
      break;
    case 'FP':
      a.name = 'param';
      a.sym = raw;
      break;
    case 'SP':
      a.name = 'auto'; // a named SP reference is the pseudo-SP (top of the local frame)
      a.sym = raw;
      break;
    default:
      if (registers.has(base)) {
        // x+8(AX): a name on a real register is just documentation, as in Go.
        a.reg = registers.get(base)!;
        a.sym = null;
        break;
      }
      throw new Error(`expected pseudo-register; found ${base}`);
  }
  if (isStatic && base !== 'SB') throw new Error(`${raw}: <> is only meaningful with (SB)`);
  a.type = 'mem';
  if (c.is('(')) indirect(c, a);
  if (!c.done()) throw new Error(`unexpected ${c.peek()!.text} after symbol reference`);
  return a;
}

function immediate(c: Cursor, ctx: OperandContext): Addr {
  const t = c.peek();
  if (!t) throw new Error('missing immediate');
  if (t.kind === 'string') {
    c.next();
    return { ...emptyAddr(), type: 'sconst', sval: t.str! };
  }
  const f = floatConst(c);
  if (f !== null) return { ...emptyAddr(), type: 'fconst', fval: f };
  if (t.kind === 'ident' && !registers.has(t.text)) {
    const a = symbolRef(c, { ...ctx, isJump: false }, emptyAddr());
    a.type = 'addr';
    return a;
  }
  const a = emptyAddr();
  a.type = 'const';
  a.offset = expr32(c);
  if (!c.done()) throw new Error(`unexpected ${c.peek()!.text} in immediate`);
  return a;
}

/** $1.5, $-1.5, $(1.5), $(-1.5): Go float constants. */
function floatConst(c: Cursor): number | null {
  let k = 0;
  let paren = false;
  if (c.is('(')) (paren = true), k++;
  let sign = 1;
  if (c.is('-', k) || c.is('+', k)) (sign = c.is('-', k) ? -1 : 1), k++;
  const t = c.peek(k);
  if (t?.kind !== 'float') return null;
  k++;
  if (paren) {
    if (!c.is(')', k)) return null;
    k++;
  }
  c.pos += k;
  return sign * t.float!;
}
