// The Plan 9 386 a.out format (9front sys/include/a.out.h, a.out(6);
// layout rules in sysexec, sys/src/9/port/sysproc.c; see
// /work/shared/plan9-386-facts.md §9):
//
//   32-byte big-endian header: magic text data bss syms entry spsz pcsz
//   text  (loaded at UTZERO together with the header, so code starts at 0x1020)
//   data  (loaded at the next page boundary after the text)
//   symbol table: per symbol a 4-byte big-endian value, a type byte with
//   0x80 set, and a NUL-terminated name (Go cmd/link putplan9sym)
//
// Shared by the assembler (buildAout) and the emulator's loader (parseAout).

export const UTZERO = 0x1000;
export const HDRSZ = 32;
export const BY2PG = 4096;
/** 386 magic: _MAGIC(0, 11) = 4*11*11+7. */
export const I_MAGIC = 0x1eb;

export interface AoutSym {
  name: string;
  /** One of T t D d B b (text/data/bss; lower case = file-local), or another Plan 9 type letter. */
  type: string;
  value: number;
}

export interface Aout {
  magic: number;
  /** Code bytes after the header; loaded at UTZERO + HDRSZ. */
  text: Uint8Array;
  data: Uint8Array;
  bss: number;
  entry: number;
  syms: AoutSym[];
  spsz: number;
  pcsz: number;
}

export function pground(n: number): number {
  return Math.ceil(n / BY2PG) * BY2PG;
}

/** Where the data segment starts for a given text size. */
export function dataBase(textSize: number): number {
  return pground(UTZERO + HDRSZ + textSize);
}

export interface AoutImage {
  text: Uint8Array;
  data: Uint8Array;
  bss: number;
  entry: number;
  syms: AoutSym[];
}

export function buildAout(img: AoutImage): Uint8Array {
  const symtab = encodeSyms(img.syms);
  const out = new Uint8Array(HDRSZ + img.text.length + img.data.length + symtab.length);
  const dv = new DataView(out.buffer);
  const hdr = [I_MAGIC, img.text.length, img.data.length, img.bss, symtab.length, img.entry, 0, 0];
  hdr.forEach((v, i) => dv.setUint32(i * 4, v >>> 0, false));
  out.set(img.text, HDRSZ);
  out.set(img.data, HDRSZ + img.text.length);
  out.set(symtab, HDRSZ + img.text.length + img.data.length);
  return out;
}

const utf8e = new TextEncoder();

function encodeSyms(syms: AoutSym[]): Uint8Array {
  const parts: number[] = [];
  for (const s of syms) {
    parts.push((s.value >>> 24) & 0xff, (s.value >>> 16) & 0xff, (s.value >>> 8) & 0xff, s.value & 0xff);
    parts.push(s.type.charCodeAt(0) | 0x80);
    parts.push(...utf8e.encode(s.name), 0);
  }
  return Uint8Array.from(parts);
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** Parse and validate an a.out; throws an Error whose one-line message names what is malformed. */
export function parseAout(bytes: Uint8Array): Aout {
  if (bytes.length < HDRSZ) throw new Error(`a.out: truncated header: ${bytes.length} bytes, need ${HDRSZ}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [magic, text, data, bss, syms, entry, spsz, pcsz] = Array.from({ length: 8 }, (_, i) => dv.getUint32(i * 4, false)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (magic !== I_MAGIC) throw new Error(`a.out: bad magic ${hex(magic)} (want ${hex(I_MAGIC)} for 386)`);
  const textEnd = HDRSZ + text;
  if (textEnd > bytes.length) throw new Error(`a.out: text (${text} bytes) extends beyond end of file (${bytes.length} bytes)`);
  const dataEnd = textEnd + data;
  if (dataEnd > bytes.length) throw new Error(`a.out: data (${data} bytes) extends beyond end of file (${bytes.length} bytes)`);
  const codeStart = UTZERO + HDRSZ;
  if (entry < codeStart || entry >= codeStart + text) throw new Error(`a.out: entry ${hex(entry)} outside text [${hex(codeStart)}, ${hex(codeStart + text)})`);
  const symEnd = dataEnd + syms;
  if (symEnd > bytes.length) throw new Error(`a.out: symbol table (${syms} bytes) extends beyond end of file (${bytes.length} bytes)`);
  if (symEnd + spsz + pcsz > bytes.length) throw new Error('a.out: pc/sp tables extend beyond end of file');
  return {
    magic,
    text: bytes.slice(HDRSZ, textEnd),
    data: bytes.slice(textEnd, dataEnd),
    bss,
    entry,
    syms: decodeSyms(bytes.subarray(dataEnd, symEnd)),
    spsz,
    pcsz,
  };
}

const utf8 = new TextDecoder();

function decodeSyms(b: Uint8Array): AoutSym[] {
  const out: AoutSym[] = [];
  let i = 0;
  while (i < b.length) {
    if (i + 5 > b.length) throw new Error(`a.out: truncated symbol table entry at offset ${i}`);
    const value = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
    const t = b[i + 4]!;
    if (!(t & 0x80)) throw new Error(`a.out: bad symbol type byte ${hex(t)} at offset ${i + 4}`);
    const type = String.fromCharCode(t & 0x7f);
    i += 5;
    let name: string;
    if (type === 'z' || type === 'Z') {
      // File-name components: a list of 16-bit indexes ending in 0 (a.out(6)).
      const start = i;
      while (i + 1 < b.length && (b[i] !== 0 || b[i + 1] !== 0)) i += 2;
      if (i + 1 >= b.length) throw new Error(`a.out: unterminated symbol name at offset ${start}`);
      name = '';
      i += 2;
    } else {
      const end = b.indexOf(0, i);
      if (end < 0) throw new Error(`a.out: unterminated symbol name at offset ${i}`);
      name = utf8.decode(b.subarray(i, end));
      i = end + 1;
    }
    out.push({ name, type, value });
  }
  return out;
}

/**
 * Why `bytes` cannot be run as a Plan 9 386 a.out, in words for the user
 * ('is empty', 'is an ELF file, not a Plan 9 a.out', the header's fault),
 * or null when it is one.
 */
export function notAout(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return 'is empty, not a Plan 9 a.out';
  const head = (s: string) => s.split('').every((c, i) => bytes[i] === c.charCodeAt(0));
  if (head('\x7fELF')) return 'is an ELF file, not a Plan 9 a.out';
  if (head('#!')) return 'is a script (#!), not a Plan 9 a.out';
  if (head('MZ')) return 'is a DOS/Windows executable, not a Plan 9 a.out';
  if (bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false) !== I_MAGIC) {
    // Another Plan 9 architecture's a.out, or not an a.out at all.
    return 'is not a Plan 9 386 a.out (bad magic)';
  }
  try {
    parseAout(bytes);
    return null;
  } catch (e) {
    return `is not a valid Plan 9 386 a.out (${(e as Error).message.replace(/^a\.out: /, '')})`;
  }
}
