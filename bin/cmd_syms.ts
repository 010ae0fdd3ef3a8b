// `p9emu syms PROGRAM [-o OUT]`: write a Plan 9 a.out's symbols as an ELF
// file for gdb's `symbol-file` (emu/debug/elfsyms.ts).

import { writeFileSync } from 'node:fs';
import { ArgCursor } from './argv.ts';
import { loadProgram, UsageError, usageStatus } from './program.ts';
import { parseAout } from '../emu/aout.ts';
import { aoutToElf } from '../emu/debug/elfsyms.ts';
import { lineSections } from '../emu/debug/dwarfline.ts';

export const usage = `usage: p9emu syms PROGRAM [-o OUT] [--entry SYM]

Write the symbols of PROGRAM (a Plan 9 386 a.out, or a .s file assembled
first) as an ELF file that gdb loads with 'symbol-file OUT': the text and
data at their addresses, text symbols as functions and data symbols as
objects, with sizes, and for Go binaries the line table of their pclntab
(DWARF .debug_line). OUT defaults to PROGRAM's name plus .elf.`;

export async function symsMain(argv: string[]): Promise<number> {
  let out: string | undefined;
  let entry: string | undefined;
  let file: string | undefined;
  try {
    for (const c = new ArgCursor(argv); !c.done; c.i++) {
      const a = c.word;
      if (a === '-h' || a === '--help') {
        process.stdout.write(usage + '\n');
        return 0;
      }
      if (a === '-o') out = c.value(a);
      else if (a === '--entry') entry = c.value(a);
      else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
      else if (file === undefined) file = a;
      else throw new UsageError(`unexpected argument ${a}`);
    }
    if (file === undefined) throw new UsageError('no PROGRAM given');
  } catch (e) {
    return usageStatus('syms', e);
  }
  const prog = loadProgram(file, { entry });
  const dest = out ?? `${file.replace(/\.s$/, '')}.elf`;
  const a = parseAout(prog.image);
  writeFileSync(dest, aoutToElf(a, lineSections(a) ?? []));
  return 0;
}
