// Constant expressions, with Go assembler precedence
// (cmd/asm/internal/asm/parse.go: expr/term/factor). Note this is *not* C:
// `|` and `^` bind like `+`, and `&`, `<<`, `>>` bind like `*`.
// Values are unsigned 64-bit, as in Go; callers truncate to 32 bits.

import type { Tok } from './lex.ts';

const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** A read position over one statement's tokens. */
export class Cursor {
  pos = 0;
  constructor(readonly toks: Tok[]) {}
  peek(k = 0): Tok | undefined {
    return this.toks[this.pos + k];
  }
  is(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t !== undefined && t.kind !== 'string' && t.kind !== 'char' && t.text === text;
  }
  next(): Tok {
    const t = this.toks[this.pos++];
    if (!t) throw new Error('unexpected end of operand');
    return t;
  }
  expect(text: string): void {
    const t = this.peek();
    if (!this.is(text)) throw new Error(`expected ${text}, found ${t ? t.text : 'end of line'}`);
    this.pos++;
  }
  done(): boolean {
    return this.pos >= this.toks.length;
  }
}

/** True if the next token can start a constant expression. */
export function startsExpr(c: Cursor): boolean {
  const t = c.peek();
  if (!t) return false;
  return t.kind === 'int' || t.kind === 'char' || (t.kind === 'op' && '+-~('.includes(t.text));
}

export function expr(c: Cursor): bigint {
  let v = term(c);
  for (;;) {
    if (c.is('+')) (c.next(), (v = U64(v + term(c))));
    else if (c.is('-')) (c.next(), (v = U64(v - term(c))));
    else if (c.is('|')) (c.next(), (v = v | term(c)));
    else if (c.is('^')) (c.next(), (v = v ^ term(c)));
    else return v;
  }
}

function term(c: Cursor): bigint {
  let v = factor(c);
  for (;;) {
    if (c.is('*')) (c.next(), (v = U64(v * factor(c))));
    else if (c.is('/') || c.is('%')) {
      const op = c.next().text;
      const d = factor(c);
      if (d === 0n) throw new Error('division by zero');
      if (BigInt.asIntN(64, v) < 0n) throw new Error(`divide of value with high bit set`);
      v = op === '/' ? v / d : v % d;
    } else if (c.is('<<')) (c.next(), (v = U64(v << shiftCount(factor(c)))));
    else if (c.is('>>')) {
      c.next();
      const n = shiftCount(factor(c));
      if (BigInt.asIntN(64, v) < 0n) throw new Error('right shift with high bit set');
      v = v >> n;
    } else if (c.is('&')) (c.next(), (v = v & factor(c)));
    else return v;
  }
}

function shiftCount(n: bigint): bigint {
  if (n > 63n) throw new Error(`shift count too large: ${n}`);
  return n;
}

function factor(c: Cursor): bigint {
  const t = c.next();
  if (t.kind === 'int' || t.kind === 'char') return U64(t.int!);
  if (t.kind === 'op') {
    switch (t.text) {
      case '+':
        return factor(c);
      case '-':
        return U64(-factor(c));
      case '~':
        return U64(~factor(c));
      case '(': {
        const v = expr(c);
        c.expect(')');
        return v;
      }
    }
  }
  throw new Error(`unexpected ${t.text} in constant expression`);
}

/** Evaluate and truncate to a signed 32-bit value (what every 386 operand holds). */
export function expr32(c: Cursor): number {
  return Number(BigInt.asIntN(32, expr(c)));
}
