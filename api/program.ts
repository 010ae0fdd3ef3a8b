// Programs for the API: Plan 9-syntax source assembled, or an a.out
// loaded from bytes or a file, with its symbol table for naming addresses.

import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble as asm } from '../asm/asm.ts';
import { notAout, parseAout } from '../emu/aout.ts';
import { errtext } from '../emu/hosterr.ts';

export interface Symbol {
  name: string;
  /** Plan 9 type letter: T/t text, D/d data, B/b bss (lower case: file-local). */
  type: string;
  value: number;
}

/** A Plan 9 386 a.out ready to boot. */
export interface Program {
  /** The a.out bytes. */
  readonly image: Uint8Array;
  /** The process's name (argv[0] and /proc/N/text's default). */
  readonly name: string;
  readonly symbols: readonly Symbol[];
  /** The address of a symbol ('·' may stand for '.'); throws when there is none. */
  addr(symbol: string): number;
}

export interface AssembleOptions {
  /** File name for messages and for resolving #include "x" (default 'prog.s'). */
  file?: string;
  /** Entry symbol: default _main if defined, else the first TEXT symbol. */
  entry?: string;
  /** Directories searched for #include after the source's own (go tool asm -I). */
  include?: readonly string[];
  /** Predefined macros (go tool asm -D NAME=VALUE); a value of '' or true defines NAME as 1. */
  defines?: Readonly<Record<string, string | true>>;
  /** Package for names written with a leading '·' (default main). */
  pkg?: string;
}

/** Thrown for source that does not assemble or a file that is not an a.out; `errors` lists each problem. */
export class ProgramError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(errors.join('\n'));
    this.name = 'ProgramError';
  }
}

/**
 * The directory holding sys_plan9_386.s, the package's Plan 9 system-call
 * stubs: searched for #include after the source's own directory and
 * `include`, so `#include "sys_plan9_386.s"` works anywhere. This module
 * is one level down (api/ in the sources, dist/ bundled), as asm/ is.
 */
export const stubsDir = fileURLToPath(new URL('../asm/', import.meta.url));

function program(image: Uint8Array, name: string): Program {
  // Decoded when first asked for: running a program does not need them.
  let symbols: Symbol[] | undefined;
  const syms = (): Symbol[] => (symbols ??= parseAout(image).syms.map((s) => ({ name: s.name, type: s.type, value: s.value >>> 0 })));
  return {
    image,
    name,
    get symbols() {
      return syms();
    },
    addr(symbol: string): number {
      const want = symbol.replace(/·/g, '.');
      const s = syms().find((x) => x.name === want);
      if (!s) throw new Error(`${name}: no symbol '${symbol}'`);
      return s.value;
    },
  };
}

/** Assemble Plan 9-syntax 386 source into a program. Throws ProgramError listing file:line: messages. */
export function assemble(source: string, o: AssembleOptions = {}): Program {
  const file = o.file ?? 'prog.s';
  const r = asm(source, {
    file,
    entry: o.entry,
    pkg: o.pkg,
    include: [...(o.include ?? []), stubsDir],
    defines: o.defines,
    readFile: (p) => readFileSync(p, 'utf8'),
  });
  if (!r.ok || !r.aout) throw new ProgramError(r.errors);
  return program(r.aout, basename(file).replace(/\.s$/, ''));
}

/**
 * A program from a.out bytes, or from a file: an a.out, or a .s file
 * (assembled). Throws ProgramError naming what a file that is not an
 * a.out is (ELF, empty, a directory, ...).
 */
export function load(from: Uint8Array | string, o: AssembleOptions & { name?: string } = {}): Program {
  if (typeof from !== 'string') {
    const why = notAout(from);
    if (why) throw new ProgramError([`${o.name ?? 'image'}: ${why}`]);
    return program(from, o.name ?? 'a.out');
  }
  if (from.endsWith('.s')) return assemble(readSource(from), { ...o, file: from });
  return program(readAout(from), o.name ?? basename(from));
}

/** A Plan 9 386 a.out's bytes from a file, or a ProgramError naming what the file is. */
export function readAout(path: string): Uint8Array {
  const bytes = readBinary(path);
  const why = notAout(bytes);
  if (why) throw new ProgramError([`${path}: ${why}`]);
  return bytes;
}

function readSource(path: string): string {
  return new TextDecoder().decode(readBinary(path));
}

/** A file's bytes, or a ProgramError in Plan 9 words (never Node's errno text). */
export function readBinary(path: string): Uint8Array {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new ProgramError([`${path}: ${errtext(e)}`]);
  }
  if (st.isDirectory()) throw new ProgramError([`${path}: is a directory, not a Plan 9 a.out`]);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ProgramError([`${path}: ${errtext(e)}`]);
  }
}
