// The a.out symbol table and the pc tables after it, read as libmach reads
// them (9front sys/src/libmach/sym.c: syminit, decodename, fileelem,
// pc2sp, pc2line; a.out(6)). What the linkers write: 8l's asm.c putsymb,
// Go ≤1.4's ld/symtab.c putplan9sym (which adds L and l, leaf functions).
//
// Per symbol: a 4-byte big-endian value, a type byte, then the name:
//   - type byte with 0x80 set (every linker since 1995): the letter is the
//     low 7 bits; z and Z names are a zero byte and big-endian 2-byte
//     indexes into the f table ended by a zero pair; other names end at a
//     NUL;
//   - type byte without 0x80 (old fixed-length names): 8 name bytes and 3
//     bytes of padding.
// The letters: T t L l (text, file-local lower case), D d B b (data, bss),
// a p (automatic, parameter: value is the frame offset), m (.frame: the
// frame size; libmach turns an f named ".frame" into m too), f (value is
// the index of a path component), z Z (value is a line: the path history
// of #line and #include, 1 starting a file, 0 popping).
//
// The kernel never reads any of it: a damaged table costs the symbols and
// nothing else (decodesyms throws; the a.out loader turns that into a
// warning).

export interface AoutSym {
  name: string;
  /** The type letter. */
  type: string;
  value: number;
  /** z and Z: the f-table indexes of the path components, in order. */
  path?: number[];
}

const NNAME = 8;
const utf8 = new TextDecoder();

/** The symbols of a table; throws an Error naming the first damaged entry. */
export function decodesyms(b: Uint8Array): AoutSym[] {
  const out: AoutSym[] = [];
  walksyms(b, (value, t, start, end, path) => {
    if (!(t & 0x80)) {
      out.push({ name: utf8.decode(b.subarray(start, end)), type: String.fromCharCode(t), value });
      return;
    }
    const type = String.fromCharCode(t & 0x7f);
    if (path) {
      out.push({ name: '', type, value, path });
      return;
    }
    const name = utf8.decode(b.subarray(start, end));
    out.push({ name, type: type === 'f' && name === '.frame' ? 'm' : type, value });
  });
  return resolvepaths(out);
}

/** What is damaged in a table (the first entry), or null: decodesyms's checks without building the symbols. */
export function symsdamage(b: Uint8Array): string | null {
  try {
    walksyms(b);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Each entry of a table: its value, type byte, and name's bytes [start,
 * end) or (z and Z, only when `entry` is given) path; throws an Error
 * naming the first damaged entry.
 */
function walksyms(b: Uint8Array, entry?: (value: number, t: number, start: number, end: number, path?: number[]) => void): void {
  let i = 0;
  const need = (n: number, what: string) => {
    if (i + n > b.length) throw new Error(`truncated ${what} at offset ${i}`);
  };
  while (i < b.length) {
    need(5, 'symbol entry');
    const value = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
    const t = b[i + 4]!;
    i += 5;
    if (!(t & 0x80)) {
      need(NNAME + 3, 'fixed-length symbol name');
      const nul = b.subarray(i, i + NNAME).indexOf(0);
      entry?.(value, t, i, nul < 0 ? i + NNAME : i + nul);
      i += NNAME + 3;
      continue;
    }
    const type = t & 0x7f;
    if (type === 0x7a || type === 0x5a) {  // z, Z
      const start = i;
      need(1, 'path symbol');
      i++;
      const path: number[] | undefined = entry ? [] : undefined;
      for (;;) {
        if (i + 2 > b.length) throw new Error(`unterminated path symbol at offset ${start}`);
        const x = (b[i]! << 8) | b[i + 1]!;
        i += 2;
        if (x === 0) break;
        path?.push(x);
      }
      entry?.(value, t, start, start, path);
      continue;
    }
    const end = b.indexOf(0, i);
    if (end < 0) throw new Error(`unterminated symbol name at offset ${i}`);
    entry?.(value, t, i, end);
    i = end + 1;
  }
}

/** z and Z names become their paths, components joined by / (libmach fileelem). */
function resolvepaths(syms: AoutSym[]): AoutSym[] {
  const f = new Map<number, string>();
  for (const s of syms) if (s.type === 'f') f.set(s.value, s.name);
  for (const s of syms) {
    if (!s.path) continue;
    let name = '';
    for (const x of s.path) {
      const c = f.get(x);
      if (c === undefined) {
        name = '';
        break;
      }
      if (name !== '' && !name.endsWith('/')) name += '/';
      name += c;
    }
    s.name = name;
  }
  return syms;
}

const utf8e = new TextEncoder();

/** The table bytes for syms, every entry in the 0x80 form (8l's putsymb). */
export function encodesyms(syms: readonly AoutSym[]): Uint8Array {
  const parts: number[] = [];
  for (const s of syms) {
    parts.push((s.value >>> 24) & 0xff, (s.value >>> 16) & 0xff, (s.value >>> 8) & 0xff, s.value & 0xff);
    parts.push(s.type.charCodeAt(0) | 0x80);
    if (s.type === 'z' || s.type === 'Z') {
      parts.push(0);
      for (const x of s.path ?? []) parts.push((x >> 8) & 0xff, x & 0xff);
      parts.push(0, 0);
    } else {
      parts.push(...utf8e.encode(s.name), 0);
    }
  }
  return Uint8Array.from(parts);
}

/**
 * The value a pc table gives at pc (libmach pc2sp with scale 4, pc2line
 * with scale 1): from txtstart-1, byte 0 adds the next 4 big-endian bytes,
 * 1-64 add n*scale, 65-128 subtract (n-64)*scale, 129-255 advance the pc by
 * n-129; every byte also advances the pc by one. Undefined outside the table.
 */
export function pcvalue(table: Uint8Array, txtstart: number, pc: number, scale: 1 | 4): number | undefined {
  let cur = 0;
  let curpc = txtstart - 1;
  if (pc < curpc) return undefined;
  for (let i = 0; i < table.length; i++) {
    if (curpc >= pc) return cur;
    const u = table[i]!;
    if (u === 0) {
      if (i + 4 >= table.length) return undefined;
      cur += ((table[i + 1]! << 24) | (table[i + 2]! << 16) | (table[i + 3]! << 8) | table[i + 4]!) | 0;
      i += 4;
    } else if (u < 65) cur += scale * u;
    else if (u < 129) cur -= scale * (u - 64);
    else curpc += u - 129;
    curpc++;
  }
  return curpc >= pc ? cur : undefined;
}
