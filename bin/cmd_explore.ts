// p9emu explore: deliver a note at each point of a deterministic run and
// report the distinct outcomes, each with a command that reproduces it.

import { ArgCursor } from './argv.ts';
import { loadProgram, UsageError, usageStatus } from './program.ts';
import { explore, ranges, type Exploration } from '../emu/explore/explore.ts';
import { demoRunner, programRunner } from '../emu/explore/runners.ts';
import { VARIANTS, type Variant } from '../emu/demo/demo.ts';

export const usage = `usage: p9emu explore PROGRAM|demo:VARIANT [ARG...] --note TEXT [options]

Run PROGRAM deterministically once to count its system calls, then once
per point with the note TEXT posted right after that system call
(--post-note PID:TEXT@syscall:N), and report the distinct outcomes (every
process's exit string and a hash of the output), each with a command that
reproduces it. demo:before, demo:after or demo:fault explores the demo.

options:
  --note TEXT        the note to post (required)
  --pid N|self       the process that gets it (default: self, the first process)
  --every-syscall    a point after every system call (the default)
  --every N          a point after every Nth system call
  --seed N           the --deterministic seed (default 0)
  --json             the exploration as JSON
  -h, --help         show this help`;

interface Args {
  target: string;
  args: string[];
  note?: string;
  pid: number | 'self';
  every: number;
  seed: number;
  json: boolean;
}

function parse(argv: string[]): Args {
  const o: Args = { target: '', args: [], pid: 'self', every: 1, seed: 0, json: false };
  const rest: string[] = [];
  for (const c = new ArgCursor(argv); !c.done; c.i++) {
    const a = c.word;
    const val = (): string => c.value(a);
    const num = (v: string, what: string, min: number): number => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new UsageError(`${what}: '${v}' is not a whole number ≥ ${min}`);
      return n;
    };
    if (rest.length === 0 || a.startsWith('--')) {
      switch (a) {
        case '--note': o.note = val(); continue;
        case '--pid': { const v = val(); o.pid = v === 'self' ? 'self' : num(v, '--pid', 1); continue; }
        case '--every-syscall': o.every = 1; continue;
        case '--every': o.every = num(val(), '--every', 1); continue;
        case '--seed': o.seed = num(val(), '--seed', 0); continue;
        case '--json': o.json = true; continue;
        default: if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
      }
    }
    rest.push(a);
  }
  if (rest.length === 0) throw new UsageError('no PROGRAM given');
  if (o.note === undefined) throw new UsageError('--note TEXT is required');
  o.target = rest[0]!;
  o.args = rest.slice(1);
  return o;
}

function q(s: string): string {
  return /^[\w@%+=:,./·-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command that reproduces the run with the note at syscall:n. */
export function reproducer(o: Args, n: number): string {
  const post = `--post-note ${q(`${o.pid}:${o.note}@syscall:${n}`)}`;
  const det = `--deterministic --seed ${o.seed}`;
  return o.target.startsWith('demo:')
    ? `p9emu demo ${o.target.slice(5)} ${det} ${post}`
    : ['p9emu run', det, post, q(o.target), ...o.args.map(q)].join(' ');
}

function exitsText(exits: Record<number, string>): string {
  return Object.entries(exits).map(([pid, s]) => `${pid}:${JSON.stringify(s)}`).join(' ');
}

function report(o: Args, x: Exploration): string {
  const nexits = new Set(x.outcomes.map((g) => exitsText(g.exits))).size;
  const lines = [
    `${x.syscalls} system calls; note ${JSON.stringify(o.note)} to ${o.pid} after every ${o.every === 1 ? '' : `${o.every}th `}one (${Math.ceil(x.syscalls / o.every)} runs, seed ${o.seed})`,
    `without the note: ${exitsText(x.baseline.exits)}  stdout ${x.baseline.stdoutHash}`,
    `${x.outcomes.length} distinct outcome${x.outcomes.length === 1 ? '' : 's'}, ${nexits} set${nexits === 1 ? '' : 's'} of exit strings:`,
  ];
  let last = '';
  x.outcomes.forEach((g, i) => {
    const exits = exitsText(g.exits);
    if (exits !== last) lines.push(exits);
    last = exits;
    lines.push(`  ${i + 1}. stdout ${g.stdoutHash}  after syscall ${ranges(g.points, o.every)} (${g.points.length} run${g.points.length === 1 ? '' : 's'})`);
    lines.push(`     reproduce: ${reproducer(o, g.points[0]!)}`);
  });
  return lines.join('\n') + '\n';
}

/**
 * Runs done of the total on stderr: rewritten in place on a terminal,
 * else a line at the start and at every tenth of the runs.
 */
function progressTo(tty: boolean): (done: number, total: number) => void {
  let shown = -1;
  return (done, total) => {
    if (tty) {
      process.stderr.write(`\rexplore: ${done}/${total} runs${done === total ? '\n' : ''}`);
      return;
    }
    const tenth = total === 0 ? 10 : Math.floor((done * 10) / total);
    if (tenth === shown) return;
    shown = tenth;
    process.stderr.write(`explore: ${done}/${total} runs\n`);
  };
}

export async function exploreMain(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  let o: Args;
  let runner;
  try {
    o = parse(argv);
    if (o.target.startsWith('demo:')) {
      const v = o.target.slice(5);
      if (!(VARIANTS as readonly string[]).includes(v)) throw new UsageError(`${o.target}: the demo variants are ${VARIANTS.join(', ')}`);
      runner = demoRunner(v as Variant);
    } else {
      const prog = loadProgram(o.target);
      runner = programRunner(prog.image, [prog.name, ...o.args], prog.name);
    }
  } catch (e) {
    return usageStatus('explore', e);
  }
  const x = await explore(runner, { note: o.note!, pid: o.pid, every: o.every, seed: o.seed }, progressTo(process.stderr.isTTY === true));
  const withRepro = { ...x, outcomes: x.outcomes.map((g) => ({ ...g, reproduce: reproducer(o, g.points[0]!) })) };
  process.stdout.write(o.json ? JSON.stringify(withRepro) + '\n' : report(o, x));
  return 0;
}
