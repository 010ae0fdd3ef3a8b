// The Plan 9 386 a.out format (9front sys/include/a.out.h, a.out(6);
// layout rules in sysexec, sys/src/9/port/sysproc.c; see
// /work/shared/plan9-386-facts.md §9):
//
//   32-byte big-endian header: magic text data bss syms entry spsz pcsz
//   text  (loaded at UTZERO together with the header, so code starts at 0x1020)
//   data  (loaded at the next page boundary after the text)
//   symbol table (syms bytes; aoutsym.ts), then the pc/sp table (spsz
//   bytes) and the pc/line table (pcsz bytes)
//
// The kernel reads the header, text and data only (9front sysexec): a
// symbol or pc table that is damaged or runs past the end of the file
// costs the symbols and gives one warning, never the exec.
//
// Shared by the assembler (buildAout) and the emulator's loader (parseAout).

export const UTZERO = 0x1000;
export const HDRSZ = 32;
export const BY2PG = 4096;
/** 386 magic: _MAGIC(0, 11) = 4*11*11+7. */
export const I_MAGIC = 0x1eb;

import { decodesyms, encodesyms, symsdamage, type AoutSym } from './aoutsym.ts';

export type { AoutSym };

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
  /** The pc/sp table (pcvalue scale 4), empty when absent or damaged. */
  sptab: Uint8Array;
  /** The pc/line table (pcvalue scale 1), empty when absent or damaged. */
  pctab: Uint8Array;
  /** Why the symbols or pc tables were dropped ('' when they were not). */
  symwarn: string;
}

export function pground(n: number): number {
  return Math.ceil(n / BY2PG) * BY2PG;
}

/** Where the data segment starts for a given text size. */
export function dataBase(textSize: number): number {
  return pground(UTZERO + HDRSZ + textSize);
}

/** Guest memory an image's text, data and bss take when loaded (the stack apart). */
export function imagesize(a: Aout): number {
  return pground(dataBase(a.text.length) + a.data.length + a.bss) - UTZERO;
}

export interface AoutImage {
  text: Uint8Array;
  data: Uint8Array;
  bss: number;
  entry: number;
  syms: readonly AoutSym[];
  /** The pc/sp and pc/line tables after the symbols (none when absent). */
  sptab?: Uint8Array;
  pctab?: Uint8Array;
}

export function buildAout(img: AoutImage): Uint8Array {
  const parts = [img.text, img.data, encodesyms(img.syms), img.sptab ?? new Uint8Array(0), img.pctab ?? new Uint8Array(0)];
  const out = new Uint8Array(HDRSZ + parts.reduce((n, p) => n + p.length, 0));
  const dv = new DataView(out.buffer);
  const [text, data, syms, sp, pc] = parts.map((p) => p.length) as [number, number, number, number, number];
  const hdr = [I_MAGIC, text, data, img.bss, syms, img.entry, sp, pc];
  hdr.forEach((v, i) => dv.setUint32(i * 4, v >>> 0, false));
  let off = HDRSZ;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/**
 * Parse and validate an a.out; throws an Error whose one-line message names
 * what is malformed. The result's text and data are views of `bytes`,
 * which must not change after.
 */
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
  // The symbols are decoded when first asked for: most parses (a program
  // checked at load, every exec) need only know whether the table is
  // whole, which takes a walk over it and no objects (docs/startup.md).
  const rest = bytes.subarray(dataEnd);
  let warn: string | undefined;
  let decoded: AoutSym[] | undefined;
  const symwarn = (): string => (warn ??= tablewarn(rest, syms, spsz, pcsz));
  const symsok = (): boolean => symwarn() === '' || symwarn() === PCWARN;
  const pctables = (): boolean => symwarn() === '';
  return {
    magic,
    text: bytes.subarray(HDRSZ, textEnd),
    data: bytes.subarray(textEnd, dataEnd),
    bss,
    entry,
    spsz,
    pcsz,
    get syms() { return (decoded ??= symsok() ? decodesyms(rest.subarray(0, syms)) : []); },
    get sptab() { return pctables() ? rest.subarray(syms, syms + spsz) : new Uint8Array(0); },
    get pctab() { return pctables() ? rest.subarray(syms + spsz, syms + spsz + pcsz) : new Uint8Array(0); },
    get symwarn() { return symwarn(); },
  };
}

const PCWARN = 'pc/sp tables extend beyond end of file';

/** Why the symbols or pc tables after the data must be dropped, or '' when they need not. */
function tablewarn(rest: Uint8Array, syms: number, spsz: number, pcsz: number): string {
  if (syms > rest.length) return `symbol table (${syms} bytes) extends beyond end of file`;
  const bad = symsdamage(rest.subarray(0, syms));
  if (bad !== null) return `symbol table: ${bad}`;
  return syms + spsz + pcsz > rest.length ? PCWARN : '';
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
