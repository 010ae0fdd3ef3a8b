// p9emu abi: check the register and stack conventions of system-call stubs.

import { readFileSync } from 'node:fs';
import { assemble } from '../asm/asm.ts';
import { abiTable, checkImage, isGoBinary } from '../emu/abi/abi.ts';
import { ProgramError, readAout, readBinary, stubsDir } from '../api/program.ts';
import type { Convention } from '../emu/abi/conventions.ts';

export const usage = `usage: p9emu abi FILE.s|A.OUT [--symbol NAME] [--convention c|go] [--callers] [--json]

For each TEXT symbol that reaches INT $64, run it alone on a fresh CPU
(random registers, known argument words at FP, canaries around the frame,
a kernel stand-in that records what the trap read and returns a known
value) and report: the call number in AX against the symbol's name, where
each argument the kernel read came from, where the result went, the
registers changed and read before written, and the stack balance at RET.

Conventions: c (the 2012 runtime: result in AX, BX SI DI BP kept) or go
(Go ABI0: result in ret+N(FP)). By default a Go-built a.out and a .s file
that uses NOSPLIT or textflag.h are go, anything else c; file-local
symbols (name<>) are c. In a Go-built a.out only the stubs that execute
INT $64 themselves are checked (--callers: their callers too).
Exit status 1 when any stub breaks its convention.

options:
  --symbol NAME       check only NAME (runtime·open or runtime.open)
  --convention C      c or go
  --callers           in a Go a.out, also the functions that call a stub
  --json              the reports as a JSON array
  -h, --help          show this help`;

function bad(msg: string): number {
  process.stderr.write(`p9emu abi: ${msg}\n`);
  return 2;
}

export async function abiMain(argv: string[]): Promise<number> {
  let file: string | undefined;
  let symbol: string | undefined;
  let conv: Convention | undefined;
  let json = false;
  let callers = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') {
      process.stdout.write(usage + '\n');
      return 0;
    } else if (a === '--json') json = true;
    else if (a === '--callers') callers = true;
    else if (a === '--symbol') {
      symbol = argv[++i];
      if (symbol === undefined) return bad('--symbol needs a value');
    }
    else if (a === '--convention') {
      const c = argv[++i];
      if (c !== 'c' && c !== 'go') return bad(`--convention: '${c}' is not c or go`);
      conv = c;
    } else if (a.startsWith('-')) return bad(`unknown option ${a}`);
    else if (file === undefined) file = a;
    else return bad(`unexpected argument '${a}'`);
  }
  if (file === undefined) return bad('no FILE given');
  let image: Uint8Array;
  let direct = false;
  if (file.endsWith('.s')) {
    const src = new TextDecoder().decode(readBinary(file));
    const r = assemble(src, { file, allowUndefined: true, readFile: (p) => readFileSync(p, 'utf8'), include: [stubsDir] });
    if (!r.ok || !r.aout) throw new ProgramError(r.errors);
    image = r.aout;
    conv ??= /^\s*TEXT\b.*\bNOSPLIT\b|^#include\s+"textflag\.h"/m.test(src) ? 'go' : 'c';
  } else {
    image = readAout(file);
    const go = isGoBinary(image);
    conv ??= go ? 'go' : 'c';
    direct = go && !callers;
  }
  const reports = await checkImage(image, { symbol, convention: conv, direct });
  if (symbol !== undefined && reports.length === 0) return bad(`${symbol}: no such symbol reaching INT $64`);
  process.stdout.write(json ? JSON.stringify(reports) + '\n' : abiTable(reports));
  return reports.some((r) => r.violations.length > 0) ? 1 : 0;
}
