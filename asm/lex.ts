// Tokenizer for Go/Plan 9 assembler source. It follows the token rules of
// Go's cmd/asm/internal/lex (which uses text/scanner): identifiers may
// contain the middle dot `·` and the division slash `∕` used in Go symbol
// names, numbers use Go literal syntax, and `<<`/`>>` are single tokens.
// Comments are removed by the preprocessor (cpp.ts) before we get here.

export type TokKind = 'ident' | 'int' | 'float' | 'char' | 'string' | 'op';

export interface Tok {
  kind: TokKind;
  text: string;
  /** Value of int/char tokens (exact, as Go evaluates constants in 64 bits). */
  int?: bigint;
  float?: number;
  str?: string;
}

const identStart = /[A-Za-z_\u00b7\u2215]/;
const identPart = /[A-Za-z0-9_\u00b7\u2215]/;

/** Split one line of (comment-free) source into tokens; throws Error with a message on a bad literal. */
export function tokenize(line: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (identStart.test(c)) {
      let j = i + 1;
      while (j < line.length && identPart.test(line[j]!)) j++;
      // `name<>` marks a file-local symbol; keep the suffix with the name.
      if (line.startsWith('<>', j)) j += 2;
      toks.push({ kind: 'ident', text: line.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(line[i + 1] ?? ''))) {
      i = number(line, i, toks);
      continue;
    }
    if (c === "'") {
      const { value, end } = quoted(line, i, "'");
      const cps = [...value];
      if (cps.length !== 1) throw new Error(`bad character constant ${line.slice(i, end)}`);
      toks.push({ kind: 'char', text: line.slice(i, end), int: BigInt(cps[0]!.codePointAt(0)!) });
      i = end;
      continue;
    }
    if (c === '"') {
      const { value, end } = quoted(line, i, '"');
      toks.push({ kind: 'string', text: line.slice(i, end), str: value });
      i = end;
      continue;
    }
    if ((c === '<' || c === '>') && line[i + 1] === c) {
      toks.push({ kind: 'op', text: c + c });
      i += 2;
      continue;
    }
    toks.push({ kind: 'op', text: c });
    i++;
  }
  return toks;
}

function number(line: string, i: number, toks: Tok[]): number {
  const m = /^(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|[0-9][0-9_]*(\.[0-9]*)?([eE][+-]?[0-9]+)?|\.[0-9]+([eE][+-]?[0-9]+)?)/.exec(
    line.slice(i),
  );
  const text = m![0];
  const end = i + text.length;
  if (end < line.length && identPart.test(line[end]!)) throw new Error(`bad number syntax: ${text}${line[end]}`);
  const clean = text.replace(/_/g, '');
  if (/[.eE]/.test(clean) && !/^0[xX]/.test(clean)) {
    toks.push({ kind: 'float', text, float: Number(clean) });
  } else if (/^0[0-7]+$/.test(clean)) {
    toks.push({ kind: 'int', text, int: BigInt('0o' + clean.slice(1)) }); // C-style octal
  } else if (/^0[0-9]+$/.test(clean)) {
    throw new Error(`invalid octal number ${text}`);
  } else {
    toks.push({ kind: 'int', text, int: BigInt(clean) });
  }
  return end;
}

const simpleEscapes: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };

/**
 * Read a Go-style quoted literal starting at line[i]; returns its decoded
 * value and the index after it. A string's value is its bytes, one char
 * per byte (latin1): as in Go, "\xb8" is the byte 0xb8 while a literal
 * "·" is its two UTF-8 bytes. A character literal's value is the rune.
 */
function quoted(line: string, i: number, q: string): { value: string; end: number } {
  let out = '';
  let j = i + 1;
  while (j < line.length && line[j] !== q) {
    const c = line[j]!;
    if (c !== '\\') {
      const cp = line.codePointAt(j)!;
      const ch = String.fromCodePoint(cp);
      out += q === '"' ? Buffer.from(ch, 'utf8').toString('latin1') : ch;
      j += ch.length;
      continue;
    }
    const e = line[j + 1] ?? '';
    if (e in simpleEscapes) {
      out += simpleEscapes[e];
      j += 2;
    } else if (e === 'x' && /^[0-9a-fA-F]{2}/.test(line.slice(j + 2))) {
      out += String.fromCharCode(parseInt(line.slice(j + 2, j + 4), 16));
      j += 4;
    } else if (/^[0-7]{3}/.test(line.slice(j + 1))) {
      out += String.fromCharCode(parseInt(line.slice(j + 1, j + 4), 8));
      j += 4;
    } else {
      throw new Error(`unknown escape sequence \\${e}`);
    }
  }
  if (j >= line.length) throw new Error(`unterminated ${q === '"' ? 'string' : 'character'} literal`);
  return { value: out, end: j + 1 };
}
