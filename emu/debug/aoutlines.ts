// Line numbers of an a.out linked by 8l (libmach sym.c: buildtbls,
// pc2line, fileline, fline). The pc/line table (the header's pcsz bytes)
// gives each pc a line of the whole compilation as the compiler saw it,
// with every #include read in; the z symbols before each file's first
// text symbol are its history, the files entered and left at which of
// those lines (a z with an empty path leaves one), and Z the line a #line
// directive set. fline walks that history back to a file and its line.

import type { Aout } from '../aout.ts';
import { HDRSZ, UTZERO } from '../aout.ts';
import { pcvalue } from '../aoutsym.ts';

interface Hist {
  /** The path; '' leaves the file (an empty z); null ends the history. */
  name: string | null;
  line: number;
  offset: number;
}

interface File {
  addr: number;
  hist: Hist[];
}

/** One row of the line table: from pc on, file:line. */
export interface LineRow { pc: number; file: string; line: number }

export class Aoutlines {
  private readonly files: File[] = [];
  private readonly txtstart = UTZERO + HDRSZ;

  private constructor(private readonly a: Aout) {
    let f: File | null = null;
    for (const s of a.syms) {
      if (s.type === 'z') {
        if (s.value === 1) {
          f = { addr: -1, hist: [] };
          this.files.push(f);
        }
        f?.hist.push({ name: s.path && s.path.length > 0 ? s.name : '', line: s.value, offset: 0 });
      } else if (s.type === 'Z') {
        const h = f?.hist[f.hist.length - 1];
        if (h) h.offset = s.value;
      } else if ('TtLl'.includes(s.type) && f && f.addr < 0) {
        f.addr = s.value;
      }
    }
    for (const x of this.files) x.hist.push({ name: null, line: 0, offset: 0 });
    this.files = this.files.filter((x) => x.addr >= 0).sort((x, y) => x.addr - y.addr);
  }

  /** The tables of an 8l a.out; null when it has no pc/line table or no file history. */
  static of(a: Aout): Aoutlines | null {
    if (a.pctab.length === 0) return null;
    const t = new Aoutlines(a);
    return t.files.length > 0 ? t : null;
  }

  /** file:line of pc (libmach fileline), or null. */
  line(pc: number): { file: string; line: number } | null {
    const f = this.fileof(pc);
    const line = f ? pcvalue(this.a.pctab, this.txtstart, pc, 1) : undefined;
    return f && line !== undefined && line > 0 ? fline(line, f.hist, 0, null) : null;
  }

  /** Every pc of the text with its file:line, a row wherever it changes (the table read once). */
  rows(): LineRow[] {
    const out: LineRow[] = [];
    const t = this.a.pctab;
    let line = 0, pc = this.txtstart - 1, last = '';
    for (let i = 0; i < t.length; i++) {
      const u = t[i]!;
      const from = pc + 1;
      if (u === 0) {
        if (i + 4 >= t.length) break;
        line += ((t[i + 1]! << 24) | (t[i + 2]! << 16) | (t[i + 3]! << 8) | t[i + 4]!) | 0;
        i += 4;
      } else if (u < 65) line += u;
      else if (u < 129) line -= u - 64;
      else pc += u - 129;
      pc++;
      // pcs from..pc have this line (pc2line: the first state whose pc reaches it).
      const f = this.fileof(from);
      const fl = f && line > 0 ? fline(line, f.hist, 0, null) : null;
      if (!fl) continue;
      const key = `${fl.file}:${fl.line}`;
      if (key !== last) out.push({ pc: from, ...fl });
      last = key;
    }
    return out;
  }

  private fileof(pc: number): File | null {
    let lo = 0, hi = this.files.length - 1, r: File | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.files[mid]!.addr <= pc) {
        r = this.files[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return r;
  }
}

/**
 * libmach fline: a line of the composite file (includes read in) to a
 * source file and its line, from the history at base. With `ret`, a
 * recursion for an included file that says where its level ended.
 */
function fline(line: number, hist: Hist[], base: number, ret: { h: number } | null): { file: string; line: number } | null {
  let start = base, h = base;
  let delta = hist[h]!.line;
  while (hist[h]?.name !== null && hist[h]?.name !== undefined && line > hist[h]!.line) {
    const e = hist[h]!;
    if (e.name !== '') {
      if (e.offset !== 0) {  // #line directive
        delta = e.line - e.offset + 1;
        start = h;
        base = h++;
      } else if (start === base) {  // beginning of a file
        start = h++;
      } else {
        const sub = { h };
        const r = fline(line, hist, start, sub);
        if (r !== null) return r;
        if (sub.h === -1) {
          if (ret) ret.h = -1;
          return null;
        }
        h = sub.h;
      }
    } else if (start === base && ret) {  // end of a recursion level
      ret.h = h;
      return null;
    } else {  // end of an included file
      delta += e.line - hist[start]!.line;
      h++;
      start = base;
    }
  }
  const end = hist[h];
  if (!end) {
    if (ret) ret.h = -1;
    return null;
  }
  const n = start !== base ? line - hist[start]!.line + 1 : line - delta + 1;
  if (end.name === null) return { file: '<eof>', line: n };
  return { file: hist[start]!.name ?? '', line: n };
}
