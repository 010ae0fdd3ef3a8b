// p9emu run: run a Plan 9 386 a.out (or a .s file, assembled first) with
// the host's stdin/stdout/stderr as its console.

import { loadProgram, UsageError, usageStatus } from './program.ts';
import { gdbAddress, launch } from './launch.ts';
import { ArgCursor } from './argv.ts';
import { istree, treeflavor, treeexec } from '../emu/tree/tree.ts';
import type { Flavor } from '../emu/port/dat.ts';
import { checkInstrument, newInstrumentArgs, optionsHelp, takeInstrumentOption, type InstrumentArgs } from './instrument_opts.ts';
import { notDirectory } from '../api/options.ts';
import { mark } from './startup.ts';

export const usage = `usage: p9emu run [options] PROGRAM [ARG...]

Run PROGRAM, a Plan 9 386 a.out or a Plan 9-syntax .s file (assembled
first; entry _main if defined, else the first TEXT symbol), under the
Plan 9 kernel model. Its stdout and stderr are the host's, byte for byte.
The exit code is 0 for an empty exit string, N for a decimal exit string
1-255, and 1 otherwise; a non-empty exit string is also printed to stderr
as 'p9emu: exits: STRING'. A run that went wrong exits 70 (an internal
error was contained), 125 (deadlock) or 124 (--timeout), with a line
saying so.

options:
  --kernel K       4e (default: Plan 9 4th edition, as in 2012) or 9front
  --entry SYM      entry symbol for a .s PROGRAM
  --env K=V        set /env/K (repeatable)
  --root DIR       bind the host directory DIR at / (read-only); a Plan 9
                   tree (DIR/lib/namespace and DIR/386/bin) is booted instead:
                   its lib/namespace builds the name space (/bin is
                   /386/bin and /rc/bin), PROGRAM is looked up in it, and
                   without --kernel the tree's kernel is picked and printed
  --rw             allow writes under --root (else they fail: permission denied)
  --cpus N         processors reported by /dev/sysstat (default 1)
  --timeout SECS   kill every process after SECS seconds of wall time (a runaway guest)
  --post-mortem    print the post-mortem view (registers, backtrace, code at pc) of every
                   process that ends, not only of those a sys: trap note kills
  --core FILE      write the first process killed by a note (with --post-mortem: the first
                   to end) to FILE; 'p9emu core FILE' shows it again
  --gdb [HOST:]PORT  stop before the first instruction and wait for gdb ('target remote
                   :PORT'; PORT 0 picks a free one); the symbols for gdb are written
                   to an ELF file whose path is printed (docs/debug.md)
  --mem SIZE       guest memory for the whole machine, e.g. 512M or 2G (default 1G):
                   past it exec, brk, segattach and rfork fail
  --procs N        live processes at most (default 256): past it rfork fails
  -h, --help       show this help
${optionsHelp}`;

export interface RunArgs {
  instr: InstrumentArgs;
  flavor: Flavor;
  /** --kernel was given. */
  kernelset: boolean;
  entry?: string;
  env: Record<string, string>;
  root: string | null;
  rw: boolean;
  ncpu: number;
  timeoutMs?: number;
  gdb?: { host: string; port: number };
  postMortem: boolean;
  core?: string;
  mem?: number;
  procs?: number;
  program: string;
  args: string[];
}

export function newRunArgs(): RunArgs {
  return { instr: newInstrumentArgs(), flavor: '4e', kernelset: false, env: {}, root: null, rw: false, ncpu: 1, postMortem: false, program: '', args: [] };
}

function parse(argv: string[]): RunArgs {
  const o = newRunArgs();
  const c = new ArgCursor(argv);
  parseOptions(c, o);
  if (c.done) throw new UsageError('no PROGRAM given');
  o.program = c.word;
  o.args = c.rest();
  return o;
}

/** The options at c, into o; c stops at the first word that is not one (or after '--'). */
export function parseOptions(c: ArgCursor, o: RunArgs): void {
  const val = (opt: string): string => c.value(opt);
  for (; !c.done; c.i++) {
    const a = c.word;
    if (!a.startsWith('-') || a === '-') break;
    if (a === '--') {
      c.i++;
      break;
    }
    if (takeInstrumentOption(a, () => val(a), o.instr)) continue;
    switch (a) {
      case '--kernel': {
        const k = val(a);
        if (k !== '4e' && k !== '9front') throw new UsageError(`--kernel: '${k}' is not 4e or 9front`);
        o.flavor = k;
        o.kernelset = true;
        break;
      }
      case '--entry': o.entry = val(a); break;
      case '--env': {
        const kv = val(a);
        const eq = kv.indexOf('=');
        if (eq <= 0) throw new UsageError(`--env: '${kv}' is not K=V`);
        o.env[kv.slice(0, eq)] = kv.slice(eq + 1);
        break;
      }
      case '--root': {
        o.root = val(a);
        const why = notDirectory(o.root);
        if (why) throw new UsageError(`--root: ${why}`);
        break;
      }
      case '--rw': o.rw = true; break;
      case '--post-mortem': o.postMortem = true; break;
      case '--core': o.core = val(a); break;
      case '--gdb': o.gdb = gdbAddress(val(a)); break;
      case '--timeout': {
        const secs = Number(val(a));
        if (!(secs > 0) || !Number.isFinite(secs)) throw new UsageError('--timeout: a number of seconds above 0');
        o.timeoutMs = secs * 1000;
        break;
      }
      case '--mem': {
        const m = /^([0-9]+)([KMG]?)$/i.exec(val(a));
        const n = m ? Number(m[1]) * 1024 ** ' KMG'.indexOf((m[2] || ' ').toUpperCase()) : NaN;
        if (!(n >= 1 << 20) || n > 2 ** 32) throw new UsageError('--mem: a size from 1M to 4G (bytes, or with K, M or G)');
        o.mem = n;
        break;
      }
      case '--procs': {
        const n = Number(val(a));
        if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError('--procs: a whole number from 1 to 1000');
        o.procs = n;
        break;
      }
      case '--cpus': {
        const n = Number(val(a));
        if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError('--cpus: a whole number from 1 to 64');
        o.ncpu = n;
        break;
      }
      default:
        throw new UsageError(`unknown option ${a}`);
    }
  }
}

export async function runMain(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  let o: RunArgs;
  let prog;
  let tree = false;
  let argv0: string[] = [];
  try {
    o = parse(argv);
    tree = o.root !== null && istree(o.root);
    if (tree && !o.kernelset) {
      const f = treeflavor(o.root!);
      o.flavor = f.flavor;
      process.stderr.write(`p9emu: kernel ${f.flavor} (${f.why})\n`);
    }
    const ex = tree ? treeexec(o.root!, o.program, o.args) : { file: o.program, argv: null };
    prog = loadProgram(ex.file, { entry: o.entry });
    argv0 = ex.argv ?? [prog.name, ...o.args];
    checkInstrument(o.instr, prog.image);
    mark('program loaded');
  } catch (e) {
    return usageStatus('run', e);
  }
  return launch({
    who: 'p9emu',
    prog,
    o,
    run: {
      argv: argv0,
      env: o.env,
      root: o.root && !tree ? { dir: o.root, writable: o.rw } : null,
      tree: o.root && tree ? { dir: o.root, writable: o.rw } : null,
      ncpu: o.ncpu,
    },
    interrupt: true,
    sayExits: true,
  });
}
