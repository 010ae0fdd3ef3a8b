// The assembler's entry points: source text in, Plan 9 a.out and a symbol
// listing out. Stages: cpp.ts (preprocess) → parse.ts (statements) →
// frame.ts (Go's prologue/epilogue) → span.ts (layout, encode.ts per
// instruction) → link.ts (addresses, relocations, a.out).
// Every problem is returned as a "file:line: message" string; no exception
// escapes for bad input.

import * as fs from 'node:fs';
import { HDRSZ, UTZERO } from '../emu/aout.ts';
import { preprocess as cpp, type Diag } from './cpp.ts';
import { preprocess as frame } from './frame.ts';
import { link, type AsmSymbol, type LinkedText } from './link.ts';
import { parseUnit } from './parse.ts';
import { span } from './span.ts';

export type { AsmSymbol };

export interface AsmOptions {
  /** Name used in messages and for resolving #include. */
  file: string;
  readFile?: (path: string) => string;
  /** Entry symbol; default `_main` if defined, else the first TEXT symbol. */
  entry?: string;
  /** Address of the first instruction; default 0x1020 (UTZERO + header). */
  textBase?: number;
  /** Package for names written with a leading `·`; default "main". */
  pkg?: string;
  /** Let references to symbols not defined in the file resolve to 0 (no a.out is useful then). */
  allowUndefined?: boolean;
  /** #include search directories after the file's own (-I). */
  include?: readonly string[];
  /** Predefined macros (-D NAME[=VALUE]). */
  defines?: Readonly<Record<string, string | true>>;
}

export interface AsmResult {
  ok: boolean;
  errors: string[];
  symbols: AsmSymbol[];
  aout?: Uint8Array;
  entry?: number;
}

export function assemble(src: string, opts: AsmOptions): AsmResult {
  try {
    return assembleUnchecked(src, opts);
  } catch (e) {
    // A bug in the assembler, not in the input; still never let it escape.
    return { ok: false, errors: [`${opts.file}: internal error: ${(e as Error).message}`], symbols: [] };
  }
}

export function assembleFile(path: string, opts: Partial<AsmOptions> = {}): AsmResult {
  let src: string;
  try {
    src = fs.readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, errors: [`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`], symbols: [] };
  }
  return assemble(src, { readFile: (p) => fs.readFileSync(p, 'utf8'), ...opts, file: opts.file ?? path });
}

function assembleUnchecked(src: string, opts: AsmOptions): AsmResult {
  const diags: Diag[] = [];
  const pre = cpp(src, opts.file, { readFile: opts.readFile, include: opts.include, defines: opts.defines });
  diags.push(...pre.diags);
  const unit = parseUnit(pre.stmts, opts.pkg ?? 'main');
  diags.push(...unit.diags);

  const texts: LinkedText[] = [];
  for (const fn of unit.texts) {
    let progs;
    try {
      progs = frame(fn);
    } catch (e) {
      const err = e as Error & { file?: string; line?: number };
      diags.push({ file: err.file ?? fn.file, line: err.line ?? fn.line, msg: err.message });
      continue;
    }
    const out = span(progs);
    if (Array.isArray(out)) {
      for (const e of out) diags.push({ file: e.prog.file, line: e.prog.line, msg: e.msg });
      continue;
    }
    texts.push({ name: fn.name, bytes: out.bytes, relocs: out.relocs, file: fn.file, line: fn.line, frame: Math.max(fn.frame, 0) });
  }
  if (diags.length) return { ok: false, errors: format(diags, opts.file), symbols: [] };

  const linked = link({ texts, datas: [...unit.datas.values()], textBase: opts.textBase ?? UTZERO + HDRSZ, entry: opts.entry, allowUndefined: opts.allowUndefined });
  if (linked.diags.length || !linked.aout) return { ok: false, errors: format(linked.diags, opts.file), symbols: linked.symbols };
  return { ok: true, errors: [], symbols: linked.symbols, aout: linked.aout, entry: linked.entry ?? undefined };
}

/** "file:line: msg", sorted by position (main file first), duplicates dropped. */
function format(diags: Diag[], mainFile: string): string[] {
  const order = (f: string) => (f === mainFile ? 0 : 1);
  const sorted = [...diags].sort((a, b) => order(a.file) - order(b.file) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line);
  const lines = sorted.map((d) => (d.line > 0 ? `${d.file}:${d.line}: ${d.msg}` : `${d.file || mainFile}: ${d.msg}`));
  return [...new Set(lines)];
}
