// Line numbers for gdb: a Go a.out's pclntab (pclntab.ts), or an 8l
// a.out's pc/line table and file history (aoutlines.ts), as DWARF 2
// sections added to the symbol ELF (elfsyms.ts): one compile unit in
// .debug_info that points at a .debug_line program with a sequence per
// function (Go) or for the whole text (8l) (DWARF 2, section 6.2: the line
// number program; .debug_abbrev describes the one DIE). gdb then shows
// file:line for any pc and breaks at file:line. No types, no frames.

import type { Aout } from '../aout.ts';
import type { ElfSection } from './elfsyms.ts';
import { HDRSZ, UTZERO } from '../aout.ts';
import { Pclntab, type GoFunc } from './pclntab.ts';
import { Aoutlines, type LineRow } from './aoutlines.ts';

const SHT_PROGBITS = 1;

class Bytes {
  readonly b: number[] = [];
  u8(v: number) { this.b.push(v & 0xff); return this; }
  u16(v: number) { return this.u8(v).u8(v >>> 8); }
  u32(v: number) { return this.u16(v & 0xffff).u16(v >>> 16); }
  str(s: string) { for (const c of new TextEncoder().encode(s)) this.u8(c); return this.u8(0); }
  uleb(v: number) {
    do {
      let c = v % 128;
      v = Math.floor(v / 128);
      if (v > 0) c |= 0x80;
      this.u8(c);
    } while (v > 0);
    return this;
  }
  sleb(v: number) {
    for (;;) {
      const c = v & 0x7f;
      v >>= 7;
      if ((v === 0 && !(c & 0x40)) || (v === -1 && c & 0x40)) return this.u8(c);
      this.u8(c | 0x80);
    }
  }
  get length() { return this.b.length; }
}

type Row = LineRow;

/** A run of text [entry, end) and its rows. */
interface Seq { entry: number; end: number; rows: Row[] }

/** The rows of one function: a row wherever its file or line changes. */
function rows(t: Pclntab, f: GoFunc): Row[] {
  const lines = t.ranges(f, f.pcln), files = t.ranges(f, f.pcfile);
  const cuts = [...new Set([...lines, ...files].map((r) => r.start))].sort((x, y) => x - y);
  const out: Row[] = [];
  let i = 0, j = 0, last = '';
  for (const pc of cuts) {
    while (i < lines.length && lines[i]!.end <= pc) i++;
    while (j < files.length && files[j]!.end <= pc) j++;
    const l = lines[i], fl = files[j];
    if (!l || !fl || pc < l.start || pc < fl.start || l.value < 0 || fl.value < 0) continue;
    const file = t.file(f, fl.value);
    const key = `${file}:${l.value}`;
    if (key !== last) out.push({ pc, file, line: l.value });
    last = key;
  }
  return out;
}

/** .debug_info, .debug_abbrev and .debug_line for a Go a.out or one 8l linked with line tables; null for others. */
export function lineSections(a: Aout): ElfSection[] | null {
  const t = Pclntab.of(a);
  if (t && t.funcs.length > 0) return sections(t.funcs.map((f) => ({ entry: f.entry, end: f.end, rows: rows(t, f) })), 'go');
  const l = Aoutlines.of(a);
  const text = UTZERO + HDRSZ;
  return l && sections([{ entry: text, end: text + a.text.length, rows: l.rows() }], '8c');
}

function sections(seqs: Seq[], cu: string): ElfSection[] | null {
  seqs = seqs.map((q) => ({ ...q, rows: q.rows.filter((r) => r.pc >= q.entry && r.pc < q.end) })).filter((q) => q.rows.length > 0);
  if (seqs.length === 0) return null;
  const files = new Map<string, number>();
  const prog = new Bytes();
  for (const f of seqs) {
    const rs = f.rows;
    prog.u8(0).uleb(5).u8(2).u32(f.entry);  // DW_LNE_set_address
    let file = 1, line = 1, pc = f.entry;
    for (const r of rs) {
      let n = files.get(r.file);
      if (n === undefined) files.set(r.file, (n = files.size + 1));
      if (n !== file) prog.u8(4).uleb((file = n));        // DW_LNS_set_file
      if (r.line !== line) prog.u8(3).sleb(r.line - line); // DW_LNS_advance_line
      line = r.line;
      if (r.pc !== pc) prog.u8(2).uleb(r.pc - pc);        // DW_LNS_advance_pc
      pc = r.pc;
      prog.u8(1);                                          // DW_LNS_copy
    }
    prog.u8(2).uleb(f.end - pc);
    prog.u8(0).uleb(1).u8(1);  // DW_LNE_end_sequence
  }
  const head = new Bytes();
  head.u8(1).u8(1).u8(-5).u8(14).u8(13);  // min_inst_length, default_is_stmt, line_base, line_range, opcode_base
  for (const n of [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1]) head.u8(n);
  head.u8(0);  // no include directories
  for (const name of files.keys()) head.str(name).uleb(0).uleb(0).uleb(0);
  head.u8(0);
  const line = new Bytes();
  line.u32(2 + 4 + head.length + prog.length).u16(2).u32(head.length);
  for (const x of head.b) line.u8(x);
  for (const x of prog.b) line.u8(x);

  const abbrev = new Bytes();
  abbrev.uleb(1).uleb(0x11).u8(0);  // DW_TAG_compile_unit, no children
  for (const [at, form] of [[0x03, 0x08], [0x10, 0x06], [0x11, 0x01], [0x12, 0x01], [0x13, 0x0b]]) abbrev.uleb(at!).uleb(form!);
  abbrev.u8(0).u8(0).u8(0);
  const die = new Bytes();
  const lo = seqs[0]!.entry, hi = seqs[seqs.length - 1]!.end;
  die.uleb(1).str(cu).u32(0).u32(lo).u32(hi).u8(0x01);  // name, stmt_list, low_pc, high_pc, language C89
  const info = new Bytes();
  info.u32(2 + 4 + 1 + die.length).u16(2).u32(0).u8(4);
  for (const x of die.b) info.u8(x);

  const sec = (name: string, b: Bytes): ElfSection => ({ name, type: SHT_PROGBITS, flags: 0, addr: 0, data: Uint8Array.from(b.b), align: 1 });
  return [sec('.debug_info', info), sec('.debug_abbrev', abbrev), sec('.debug_line', line)];
}
