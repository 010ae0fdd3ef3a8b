// `p9emu core FILE`: the post-mortem view of a core file that
// `p9emu run --core FILE` wrote (emu/debug/core.ts).

import { readFileSync } from 'node:fs';
import { ArgCursor } from './argv.ts';
import { UsageError, usageStatus } from './program.ts';
import { parseAout } from '../emu/aout.ts';
import { CoreError, readCore } from '../emu/debug/core.ts';
import { Debugsyms, formatPostMortem, postmortem } from '../emu/debug/postmortem.ts';
import { CoreTarget } from '../emu/debug/coretarget.ts';
import { gdbAddress, gdbServer } from './launch.ts';

export const usage = `usage: p9emu core [--gdb [HOST:]PORT] FILE

Print the post-mortem view of core FILE, written by 'p9emu run --core FILE':
the note the process died of, its registers, pc as symbol+offset, a
backtrace and the code around pc.

  --gdb [HOST:]PORT  then serve the core to gdb ('target remote :PORT'; PORT 0
                     picks a free one): the dead process is the one thread,
                     stopped on its note; registers and memory are the core's.
                     The symbols for gdb are written to a file named on stderr.`;

export async function coreMain(argv: string[]): Promise<number> {
  let file: string | undefined;
  let gdb: { host: string; port: number } | undefined;
  try {
    for (const c = new ArgCursor(argv); !c.done; c.i++) {
      const a = c.word;
      if (a === '-h' || a === '--help') {
        process.stdout.write(usage + '\n');
        return 0;
      }
      if (a === '--gdb') {
        gdb = gdbAddress(c.value(a));
        continue;
      }
      if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
      if (file !== undefined) throw new UsageError(`unexpected argument ${a}`);
      file = a;
    }
    if (file === undefined) throw new UsageError('no FILE given');
  } catch (e) {
    return usageStatus('core', e);
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new Error(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file does not exist' : (e as Error).message}`);
  }
  try {
    const { corpse, image } = readCore(bytes);
    process.stdout.write(await formatPostMortem(postmortem(corpse, new Debugsyms(parseAout(image)))));
    if (gdb) {
      const g = await gdbServer('p9emu', { image, name: corpse.text }, gdb);
      g.serve(new CoreTarget(corpse));
      await g.closed;
      g.close();
    }
    return 0;
  } catch (e) {
    if (e instanceof CoreError) throw new Error(`${file}: ${e.message}`);
    throw e;
  }
}
