// The preprocessor: comments, #include, #define (object- and function-like),
// #undef, #ifdef/#ifndef/#else/#endif, and splitting lines into statements
// at `;`. Go's assembler runs the same small C-like preprocessor
// (cmd/asm/internal/lex/input.go); we keep its behaviour where p9emu
// sources can tell the difference.

import * as path from 'node:path';
import { tokenize, type Tok } from './lex.ts';

export interface Stmt {
  file: string;
  line: number;
  toks: Tok[];
}

export interface Diag {
  file: string;
  line: number;
  msg: string;
}

interface Macro {
  params: string[] | null;
  body: Tok[];
}

/** textflag.h is provided built in, so sources can include it without a Go tree (values: Go 1.19 runtime/textflag.h). */
export const textflags: ReadonlyMap<string, number> = new Map([
  ['NOPROF', 1],
  ['DUPOK', 2],
  ['NOSPLIT', 4],
  ['RODATA', 8],
  ['NOPTR', 16],
  ['WRAPPER', 32],
  ['NEEDCTXT', 64],
  ['TLSBSS', 256],
  ['NOFRAME', 512],
  ['REFLECTMETHOD', 1024],
  ['TOPFRAME', 2048],
  ['ABIWRAPPER', 4096],
]);

export interface CppOptions {
  readFile?: (p: string) => string;
  /** Directories searched for #include after the including file's own (go tool asm -I). */
  include?: readonly string[];
  /** Macros defined before the source (go tool asm -D NAME[=VALUE]; true or '' is 1). */
  defines?: Readonly<Record<string, string | true>>;
}

/** Run the preprocessor over `src` (named `file`); returns the statements and every problem found. */
export function preprocess(src: string, file: string, opts: CppOptions): { stmts: Stmt[]; diags: Diag[] } {
  const cpp = new Cpp(opts);
  cpp.run(src, file, 0);
  return { stmts: cpp.stmts, diags: cpp.diags };
}

class Cpp {
  stmts: Stmt[] = [];
  diags: Diag[] = [];
  private macros = new Map<string, Macro>();
  // Each open #if: is its current branch live, and has #else been seen.
  private conds: { live: boolean; outerLive: boolean; sawElse: boolean; line: number; file: string }[] = [];

  constructor(private opts: CppOptions) {
    for (const [k, v] of Object.entries(opts.defines ?? {})) {
      this.macros.set(k, { params: null, body: tokenize(v === true || v === '' ? '1' : v) });
    }
  }

  private live(): boolean {
    return this.conds.every((c) => c.live);
  }

  run(src: string, file: string, depth: number): void {
    const lines = stripComments(src).split('\n');
    const condDepth = this.conds.length;
    for (let i = 0; i < lines.length; i++) {
      let text = lines[i]!;
      const lineNo = i + 1;
      // Backslash-newline joins lines (used by multi-line #defines).
      while (text.endsWith('\\') && i + 1 < lines.length) text = text.slice(0, -1) + ' ' + lines[++i];
      try {
        if (/^\s*#/.test(text)) this.directive(text.replace(/^\s*#\s*/, ''), file, lineNo, depth);
        else if (this.live()) this.statements(text, file, lineNo);
      } catch (e) {
        this.diags.push({ file, line: lineNo, msg: (e as Error).message });
      }
    }
    while (this.conds.length > condDepth) {
      const c = this.conds.pop()!;
      this.diags.push({ file: c.file, line: c.line, msg: 'unterminated #ifdef' });
    }
  }

  private directive(text: string, file: string, line: number, depth: number): void {
    const m = /^(\w+)\s*(.*)$/.exec(text);
    const name = m?.[1] ?? '';
    const rest = (m?.[2] ?? '').trim();
    switch (name) {
      case 'ifdef':
      case 'ifndef': {
        const live = this.live();
        const defined = this.macros.has(rest.split(/\s+/)[0] ?? '');
        this.conds.push({ live: live && defined === (name === 'ifdef'), outerLive: live, sawElse: false, line, file });
        return;
      }
      case 'else': {
        const c = this.conds.at(-1);
        if (!c || c.sawElse) throw new Error('unmatched #else');
        c.sawElse = true;
        c.live = c.outerLive && !c.live;
        return;
      }
      case 'endif':
        if (!this.conds.pop()) throw new Error('unmatched #endif');
        return;
    }
    if (!this.live()) return;
    switch (name) {
      case 'define':
        return this.define(rest);
      case 'undef':
        this.macros.delete(rest);
        return;
      case 'include':
        return this.include(rest, file, depth);
      default:
        throw new Error(`unknown directive #${name}`);
    }
  }

  private define(rest: string): void {
    const m = /^([A-Za-z_\u00b7][\w\u00b7]*)(\(([^)]*)\))?\s*(.*)$/.exec(rest);
    if (!m) throw new Error(`bad #define: ${rest}`);
    const params = m[2] !== undefined ? m[3]!.split(',').map((s) => s.trim()).filter((s) => s !== '') : null;
    if (this.macros.has(m[1]!)) throw new Error(`redefinition of macro ${m[1]}`);
    this.macros.set(m[1]!, { params, body: tokenize(m[4]!) });
  }

  private include(rest: string, file: string, depth: number): void {
    const m = /^["<]([^">]+)[">]$/.exec(rest);
    if (!m) throw new Error(`bad #include: ${rest}`);
    const name = m[1]!;
    // An absolute name is used as it is; a relative one is found beside the including file.
    // Then each -I directory in order.
    const places = path.posix.isAbsolute(name) ? [name]
      : [path.posix.join(path.posix.dirname(file), name), ...(this.opts.include ?? []).map((d) => path.posix.join(d, name))];
    let text: string | null = null;
    let full = name;
    for (const f of this.opts.readFile ? places : []) {
      try {
        text = this.opts.readFile!(f);
        full = f;
        break;
      } catch {
        text = null;
      }
    }
    if (text === null) {
      if (path.posix.basename(name) === 'textflag.h') {
        for (const [k, v] of textflags) if (!this.macros.has(k)) this.macros.set(k, { params: null, body: tokenize(String(v)) });
        return;
      }
      throw new Error(`#include: cannot find ${name}`);
    }
    if (depth > 16) throw new Error('#include nested too deeply');
    this.run(text, full, depth + 1);
  }

  private statements(text: string, file: string, line: number): void {
    const toks = this.expand(tokenize(text), new Set());
    let cur: Tok[] = [];
    for (const t of toks) {
      if (t.kind === 'op' && t.text === ';') {
        if (cur.length) this.stmts.push({ file, line, toks: cur });
        cur = [];
      } else cur.push(t);
    }
    if (cur.length) this.stmts.push({ file, line, toks: cur });
  }

  /** Replace macro uses in `toks`; `hide` holds macros being expanded, so recursion stops as in C. */
  private expand(toks: Tok[], hide: Set<string>): Tok[] {
    const out: Tok[] = [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      const mac = t.kind === 'ident' && !hide.has(t.text) ? this.macros.get(t.text) : undefined;
      if (!mac) {
        out.push(t);
        continue;
      }
      const inner = new Set(hide).add(t.text);
      if (mac.params === null) {
        out.push(...this.expand(mac.body, inner));
        continue;
      }
      if (toks[i + 1]?.text !== '(') {
        out.push(t); // a function-like macro name not followed by ( is left alone
        continue;
      }
      const { args, end } = macroArgs(toks, i + 1);
      if (args.length !== mac.params.length && !(mac.params.length === 0 && args.length === 1 && args[0]!.length === 0))
        throw new Error(`macro ${t.text} expects ${mac.params.length} arguments, got ${args.length}`);
      const body: Tok[] = [];
      for (const b of mac.body) {
        const k = b.kind === 'ident' ? mac.params.indexOf(b.text) : -1;
        if (k >= 0) body.push(...this.expand(args[k]!, hide));
        else body.push(b);
      }
      out.push(...this.expand(body, inner));
      i = end;
    }
    return out;
  }
}

/** Collect the comma-separated arguments of a macro call whose `(` is at toks[open]. */
function macroArgs(toks: Tok[], open: number): { args: Tok[][]; end: number } {
  const args: Tok[][] = [[]];
  let depth = 0;
  for (let j = open + 1; j < toks.length; j++) {
    const t = toks[j]!;
    if (t.text === '(' && t.kind === 'op') depth++;
    if (t.text === ')' && t.kind === 'op') {
      if (depth === 0) return { args, end: j };
      depth--;
    }
    if (t.text === ',' && t.kind === 'op' && depth === 0) args.push([]);
    else args.at(-1)!.push(t);
  }
  throw new Error('unterminated macro call');
}

/** Remove // and /* *\/ comments, keeping newlines so line numbers stay right. */
function stripComments(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      i += 2;
      while (i < src.length && !(src[i] === '*' && src[i + 1] === '/')) {
        if (src[i] === '\n') out += '\n';
        i++;
      }
      i += 2;
      out += ' ';
    } else if (c === '"' || c === "'") {
      // Copy a literal whole so `//` inside it is not a comment.
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
