// A Plan 9 386 a.out's symbols as an ELF32 file that gdb reads with
// `symbol-file` (`p9emu syms`, and `run --gdb`): the text and data bytes
// at their load addresses, bss, and a symbol table with the a.out's text
// symbols as functions and data/bss symbols as objects, each sized up to
// the next symbol of its section (a.out(6) gives no sizes). Layout from the
// System V ABI's ELF chapter (ELF32, EM_386, little-endian).

import { HDRSZ, UTZERO, dataBase, type Aout, type AoutSym } from '../aout.ts';

const SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_NOBITS = 8;
const SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4;
const STB_LOCAL = 0, STB_GLOBAL = 1;
const STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2;
/** The loader's markers (end of text, data, bss): addresses, not objects. */
const MARKERS = new Set(['etext', 'edata', 'end']);

interface Section {
  name: string;
  type: number;
  flags: number;
  addr: number;
  data: Uint8Array;
  /** For NOBITS: the size in memory. */
  size?: number;
  link?: number;
  info?: number;
  entsize?: number;
  align: number;
}

class Strtab {
  private readonly parts: Uint8Array[] = [new Uint8Array(1)];
  private len = 1;
  add(s: string): number {
    const b = new TextEncoder().encode(s + '\0');
    this.parts.push(b);
    this.len += b.length;
    return this.len - b.length;
  }
  bytes(): Uint8Array {
    return concat(this.parts);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Symbols of one section sorted by address, each with its size up to the next (or the section's end). */
function sized(syms: AoutSym[], end: number): Array<AoutSym & { size: number }> {
  const s = [...syms].sort((a, b) => a.value - b.value);
  return s.map((x, i) => {
    let next = end;
    for (let j = i + 1; j < s.length; j++) if (s[j]!.value > x.value) { next = s[j]!.value; break; }
    return { ...x, size: Math.max(0, next - x.value) };
  });
}

/** The ELF file for an a.out. `extra` sections (DWARF) are added as they are. */
export function aoutToElf(a: Aout, extra: Section[] = []): Uint8Array {
  const text = UTZERO + HDRSZ;
  const textEnd = text + a.text.length;
  const data = dataBase(a.text.length);
  const bss = data + a.data.length;
  const end = bss + a.bss;

  const sections: Section[] = [
    { name: '.text', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, addr: text, data: a.text, align: 1 },
    { name: '.data', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_WRITE, addr: data, data: a.data, align: 4 },
    { name: '.bss', type: SHT_NOBITS, flags: SHF_ALLOC | SHF_WRITE, addr: bss, data: new Uint8Array(0), size: a.bss, align: 4 },
  ];
  const TEXT = 1, DATA = 2, BSS = 3;

  const strtab = new Strtab();
  const locals: number[][] = [];
  const globals: number[][] = [];
  const put = (name: string, value: number, size: number, type: number, global: boolean, shndx: number) =>
    (global ? globals : locals).push([strtab.add(name), value >>> 0, size, ((global ? STB_GLOBAL : STB_LOCAL) << 4) | type, 0, shndx]);
  for (const s of a.syms.filter((x) => MARKERS.has(x.name))) put(s.name, s.value, 0, STT_NOTYPE, true, s.value < data ? TEXT : s.value < bss ? DATA : BSS);
  const syms = a.syms.filter((x) => !MARKERS.has(x.name));
  for (const s of sized(syms.filter((x) => x.type === 'T' || x.type === 't'), textEnd)) {
    put(s.name, s.value, s.size, STT_FUNC, s.type === 'T', TEXT);
  }
  const dsyms = syms.filter((x) => 'DdBb'.includes(x.type) && x.value >= data && x.value <= end);
  for (const s of sized(dsyms.filter((x) => x.value < bss), bss)) put(s.name, s.value, s.size, STT_OBJECT, s.type === 'D' || s.type === 'B', DATA);
  for (const s of sized(dsyms.filter((x) => x.value >= bss), end)) put(s.name, s.value, s.size, STT_OBJECT, s.type === 'D' || s.type === 'B', BSS);

  const symbytes = new Uint8Array(16 * (1 + locals.length + globals.length));
  const sv = new DataView(symbytes.buffer);
  [...locals, ...globals].forEach(([name, value, size, info, other, shndx], i) => {
    const o = 16 * (i + 1);
    sv.setUint32(o, name!, true);
    sv.setUint32(o + 4, value!, true);
    sv.setUint32(o + 8, size!, true);
    sv.setUint8(o + 12, info!);
    sv.setUint8(o + 13, other!);
    sv.setUint16(o + 14, shndx!, true);
  });
  sections.push(...extra);
  const symIndex = sections.length + 1;
  sections.push(
    { name: '.symtab', type: SHT_SYMTAB, flags: 0, addr: 0, data: symbytes, link: symIndex + 1, info: 1 + locals.length, entsize: 16, align: 4 },
    { name: '.strtab', type: SHT_STRTAB, flags: 0, addr: 0, data: strtab.bytes(), align: 1 },
  );
  const shstr = new Strtab();
  const names = sections.map((s) => shstr.add(s.name));
  const shstrName = shstr.add('.shstrtab');
  sections.push({ name: '.shstrtab', type: SHT_STRTAB, flags: 0, addr: 0, data: shstr.bytes(), align: 1 });
  names.push(shstrName);

  // Layout: header, section contents, section headers.
  let off = 52;
  const offsets = sections.map((s) => {
    off = Math.ceil(off / s.align) * s.align;
    const at = off;
    if (s.type !== SHT_NOBITS) off += s.data.length;
    return at;
  });
  const shoff = Math.ceil(off / 4) * 4;
  const out = new Uint8Array(shoff + 40 * (sections.length + 1));
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
  dv.setUint16(16, 2, true);   // ET_EXEC
  dv.setUint16(18, 3, true);   // EM_386
  dv.setUint32(20, 1, true);
  dv.setUint32(24, a.entry >>> 0, true);
  dv.setUint32(28, 0, true);   // no program headers
  dv.setUint32(32, shoff, true);
  dv.setUint16(40, 52, true);
  dv.setUint16(42, 32, true);
  dv.setUint16(46, 40, true);
  dv.setUint16(48, sections.length + 1, true);
  dv.setUint16(50, sections.length, true);  // .shstrtab is last
  sections.forEach((s, i) => {
    if (s.type !== SHT_NOBITS) out.set(s.data, offsets[i]!);
    const h = shoff + 40 * (i + 1);
    dv.setUint32(h, names[i]!, true);
    dv.setUint32(h + 4, s.type, true);
    dv.setUint32(h + 8, s.flags, true);
    dv.setUint32(h + 12, s.addr >>> 0, true);
    dv.setUint32(h + 16, offsets[i]!, true);
    dv.setUint32(h + 20, s.type === SHT_NOBITS ? s.size ?? 0 : s.data.length, true);
    dv.setUint32(h + 24, s.link ?? 0, true);
    dv.setUint32(h + 28, s.info ?? 0, true);
    dv.setUint32(h + 32, s.align, true);
    dv.setUint32(h + 36, s.entsize ?? 0, true);
  });
  return out;
}

export type { Section as ElfSection };
