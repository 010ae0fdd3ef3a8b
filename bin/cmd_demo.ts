// p9emu demo: the 2012 Go runtime's Plan 9 note and exit path, before and
// after commit ccdca2c, run on the kernel model (emu/demo/demo.ts).

import { ArgCursor } from './argv.ts';
import { unicornMachine } from '../emu/cpu/machine.ts';
import { demoJson, demoText, runDemo, sideBySide, VARIANTS, type Variant } from '../emu/demo/demo.ts';
import { instrument } from '../emu/instrument.ts';
import { newInstrumentArgs, optionsHelp, takeInstrumentOption, toInstrumentation, checkInstrument } from './instrument_opts.ts';
import { UsageError } from './program.ts';
import { assembleRuntime, PROGRAMS } from '../emu/demo/demo.ts';

export const usage = `usage: p9emu demo [before|after|fault] [--json] [--trace LIST]

Boot a small Plan 9 system: init (a shell that survives "interrupt")
starts Go programs A (3 Ms, runs longest, exits 0) and B (2 Ms, calls
exit(3) early) in one note group, linked with the 2012 runtime:
  before  the parent of commit ccdca2c: B's exit interrupts the note group
  after   the commit: only B's other M is told ("gointr") and exits 3
  fault   after, with a worker M of A dereferencing nil
With no variant, before and after side by side. For each process: pid,
program, M index, exit string; then every note in order.

options:
  --json         {"variant","procs":[{pid,program,m,status}],"notes":[{from,to,msg,action}]}
                 (an array of them with no variant)
  -h, --help     show this help
${optionsHelp}
(With no variant, text traces go to stderr with each line prefixed [variant].)`;

export async function demoMain(argv: string[]): Promise<number> {
  let json = false;
  const instr = newInstrumentArgs();
  const variants: Variant[] = [];
  try {
    for (const c = new ArgCursor(argv); !c.done; c.i++) {
      const a = c.word;
      const val = (): string => c.value(a);
      if (a === '-h' || a === '--help') {
        process.stdout.write(usage + '\n');
        return 0;
      } else if (a === '--json') json = true;
      else if (takeInstrumentOption(a, val, instr)) continue;
      else if ((VARIANTS as readonly string[]).includes(a)) variants.push(a as Variant);
      else return bad(`unknown argument '${a}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) return bad(e.message);
    throw e;
  }
  if (variants.length > 1) return bad('at most one variant');
  const which: Variant[] = variants.length ? variants : ['before', 'after'];
  try {
    checkInstrument(instr, assembleRuntime(PROGRAMS[which[0]!].a));
  } catch (e) {
    if (e instanceof UsageError) return bad(e.message);
    throw e;
  }
  const results = [];
  for (const v of which) {
    const o = toInstrumentation(instr);
    if (o.trace && !variants.length && o.trace.out === null) {
      o.trace.out = (s) => process.stderr.write(s.replace(/^(?=.)/gm, `[${v}] `));
    }
    const ins = await instrument(o, [assembleRuntime(PROGRAMS[v].a), assembleRuntime(PROGRAMS[v].b)]);
    try {
      results.push(await runDemo(v, { machine: unicornMachine(), trace: ins.trace, onkernel: ins.onkernel }));
    } finally {
      ins.close();
    }
  }
  if (json) {
    const objs = results.map(demoJson);
    process.stdout.write(JSON.stringify(variants.length ? objs[0] : objs) + '\n');
  } else if (results.length === 1) {
    process.stdout.write(demoText(results[0]!).join('\n') + '\n');
  } else {
    process.stdout.write(sideBySide(demoText(results[0]!), demoText(results[1]!)));
  }
  return results.some((r) => r.deadlock) ? 1 : 0;
}

function bad(msg: string): number {
  process.stderr.write(`p9emu demo: ${msg}\n${usage}\n`);
  return 2;
}
