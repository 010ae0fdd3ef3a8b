// `p9emu asm FILE.s [-o OUT] [--json] [--entry SYM]`: assemble a Plan 9-syntax
// 386 source file into a Plan 9 a.out. Argument parsing and output only;
// the work is asm/asm.ts.

import { ArgCursor } from './argv.ts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assembleFile } from '../asm/asm.ts';
import { stubsDir } from '../api/program.ts';
import { hosterr } from '../emu/hosterr.ts';

export const usage = `usage: p9emu asm FILE.s [-o OUT] [-I DIR] [-D NAME[=VALUE]] [--json] [--entry SYM] [--pkg PKG]

Assemble FILE.s (Go/Plan 9 assembler syntax, 386) into a Plan 9 a.out.
#include "x" looks beside the including file, then in each -I DIR, then
in p9emu's own directory of stubs (sys_plan9_386.s).
  -o OUT        output file (default: FILE without .s, plus .out; e.g. hello.s -> hello.out)
  -I DIR        search DIR for #include files (repeatable), as go tool asm -I
  -D NAME[=VAL] define NAME (as VAL, default 1) before the source (repeatable)
  --json        print {"symbols":[{name,type,value,size,hex}]} on one line
  --entry SYM   entry symbol (default _main if defined, else the first TEXT)
  --pkg PKG     package for names written with a leading · (default main)
Errors are printed as file:line: message; the exit status is then 1.`;

interface Flags {
  file?: string;
  out?: string;
  json: boolean;
  entry?: string;
  pkg?: string;
  include: string[];
  defines: Record<string, string | true>;
}

function parseArgs(argv: string[]): Flags | string {
  const f: Flags = { json: false, include: [], defines: {} };
  for (const c = new ArgCursor(argv); !c.done; c.i++) {
    const a = c.word;
    const value = (): string => c.value(a);
    try {
      if (a === '-o') f.out = value();
      else if (a === '--json') f.json = true;
      else if (a === '--entry') f.entry = value();
      else if (a === '--pkg') f.pkg = value();
      else if (a === '-I' || (a.startsWith('-I') && a.length > 2)) f.include.push(a === '-I' ? value() : a.slice(2));
      else if (a === '-D' || (a.startsWith('-D') && a.length > 2)) {
        const d = a === '-D' ? value() : a.slice(2);
        const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(d);
        if (!m) return `-D: '${d}' is not NAME or NAME=VALUE`;
        f.defines[m[1]!] = m[2] ?? true;
      }
      else if (a.startsWith('-')) return `unknown flag ${a}`;
      else if (f.file === undefined) f.file = a;
      else return `unexpected argument ${a}`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (f.file === undefined) return 'missing FILE.s';
  return f;
}

/** Default output name: hello.s → hello.out, next to the source. */
export function defaultOutput(file: string): string {
  const dir = path.dirname(file);
  const base = path.basename(file).replace(/\.s$/, '');
  return path.join(dir, `${base}.out`);
}

export async function asmMain(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  const f = parseArgs(argv);
  if (typeof f === 'string') {
    process.stderr.write(`p9emu asm: ${f}\n${usage}\n`);
    return 2;
  }
  const r = assembleFile(f.file!, { entry: f.entry, pkg: f.pkg, include: [...f.include, stubsDir], defines: f.defines });
  if (!r.ok || !r.aout) {
    for (const e of r.errors) process.stderr.write(e + '\n');
    return 1;
  }
  const out = f.out ?? defaultOutput(f.file!);
  try {
    fs.writeFileSync(out, r.aout, { mode: 0o755 });
  } catch (e) {
    process.stderr.write(`p9emu: ${hosterr(e as NodeJS.ErrnoException, out)}\n`);
    return 1;
  }
  if (f.json) {
    const symbols = r.symbols.map((s) => (s.hex === undefined ? { name: s.name, type: s.type, value: s.value, size: s.size } : { name: s.name, type: s.type, value: s.value, size: s.size, hex: s.hex }));
    process.stdout.write(JSON.stringify({ symbols }) + '\n');
  }
  return 0;
}
