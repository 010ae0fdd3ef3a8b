// p9emu explore: deliver a note at each point of a deterministic run and
// report the distinct outcomes, each with a command that reproduces it.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { ArgCursor } from './argv.ts';
import { loadProgram, UsageError, usageStatus } from './program.ts';
import { version } from './version.ts';
import { baseline, group, ranges, runAll, serially, type Exploration, type ExploreOptions } from '../emu/explore/explore.ts';
import { runnerFor, type Target } from '../emu/explore/runners.ts';
import { clock, pool } from '../emu/explore/pool.ts';
import { laneProfile } from '../emu/explore/profile.ts';
import { merge, parseShard, parseShardSpec, shardPoints, SHARD_FORMAT, type Shard } from '../emu/explore/shard.ts';
import { demoPrograms, VARIANTS, type Variant } from '../emu/demo/demo.ts';

export const usage = `usage: p9emu explore PROGRAM|demo:VARIANT [ARG...] --note TEXT [options]
       p9emu explore --merge FILE... [--json]

Run PROGRAM deterministically once to count its system calls, then once
per point with the note TEXT posted right after that system call
(--post-note PID:TEXT@syscall:N), and report the distinct outcomes (every
process's exit string and a hash of the output), each with a command that
reproduces it. demo:before, demo:after or demo:fault explores the demo.
The runs share out over --jobs worker processes; --shard splits one
exploration across machines, and --merge joins the shards' files into
the report one machine would have printed.

options:
  --note TEXT        the note to post (required)
  --pid N|self       the process that gets it (default: self, the first process)
  --every-syscall    a point after every system call (the default)
  --every N          a point after every Nth system call
  --seed N           the --deterministic seed (default 0)
  --jobs N           runs at once, each in a worker process; 1 runs them in
                     turn in this one (default: the number of CPUs,
                     ${availableParallelism()} here, fewer when the runs are too short to pay
                     for starting the processes or other work keeps CPUs busy)
  --shard I/N        run only shard I of N (0 ≤ I < N: every Nth point from
                     the Ith) and write its runs to stdout as JSON, for --merge
  --merge FILE...    report the exploration from the files of all N shards
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
  /** Unset: lanesFor(). */
  jobs?: number;
  shard?: { index: number; count: number };
}

/** What a report shows. */
type Shown = Pick<Args, 'target' | 'args' | 'note' | 'pid' | 'every' | 'seed' | 'json'>;

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
        case '--jobs': o.jobs = num(val(), '--jobs', 1); continue;
        case '--shard': {
          const v = val();
          o.shard = parseShardSpec(v) ?? undefined;
          if (!o.shard) throw new UsageError(`--shard: '${v}' is not I/N with 0 ≤ I < N`);
          continue;
        }
        case '--merge': throw new UsageError('--merge takes only shard files and --json');
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
export function reproducer(o: Pick<Args, 'target' | 'args' | 'note' | 'pid' | 'seed'>, n: number): string {
  const post = `--post-note ${q(`${o.pid}:${o.note}@syscall:${n}`)}`;
  const det = `--deterministic --seed ${o.seed}`;
  return o.target.startsWith('demo:')
    ? `p9emu demo ${o.target.slice(5)} ${det} ${post}`
    : ['p9emu run', det, post, q(o.target), ...o.args.map(q)].join(' ');
}

/** 2nd, 3rd, 4th, 11th, 21st. */
export function ordinal(n: number): string {
  const teen = Math.floor(n / 10) % 10 === 1;
  return `${n}${teen ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

function exitsText(exits: Record<number, string>): string {
  return Object.entries(exits).map(([pid, s]) => `${pid}:${JSON.stringify(s)}`).join(' ');
}

function report(o: Shown, x: Exploration): string {
  const nexits = new Set(x.outcomes.map((g) => exitsText(g.exits))).size;
  const lines = [
    `${x.syscalls} system calls; note ${JSON.stringify(o.note)} to ${o.pid} after every ${o.every === 1 ? '' : `${ordinal(o.every)} `}one (${Math.ceil(x.syscalls / o.every)} runs, seed ${o.seed})`,
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

/**
 * The runs a worker process pays for, as guessed from the note-free run
 * (its time times the points): the default --jobs makes a lane per CPU,
 * but only one for each WORKER_MS of them, so a short exploration stays in
 * this process. A worker costs ~0.15 s of CPU to start (node, the bundle,
 * koffi and Unicorn) and its JIT warms up anew, and a single lane already
 * keeps 1.1-1.4 CPUs busy (V8's compiler and collector threads): on 2 CPUs
 * the demo's runs (~1 s in all) ran at 0.81-0.95× with --jobs 2, the Go
 * goroutines fixture's (~11 s) at 1.62× (bench/explore.ts). The guess
 * runs cold, 2-4× a later run's time: 2.5 s for the demo, 48 s for the
 * fixture.
 */
const WORKER_MS = 4000;

/**
 * Lanes for `ms` of runs: also no more than the CPUs the 1-minute load
 * average leaves idle (this process's own run counts one), as beside other
 * work Linux gives one session's processes one share of the CPUs
 * (autogroup), which more lanes only split, each with its own start to pay:
 * `--jobs 2` ran at 0.5-0.7× the speed of `--jobs 1` at load average 7-8 on
 * 2 CPUs (docs/startup.md).
 */
export function lanesFor(ms: number, cpus = availableParallelism(), load = loadavg()[0]!): number {
  return Math.max(1, Math.min(cpus, Math.floor(ms / WORKER_MS), Math.round(cpus + 1 - load)));
}

/** The target as plain data (for worker processes), from the command line. */
function targetOf(o: Args): Target {
  if (o.target.startsWith('demo:')) {
    const v = o.target.slice(5);
    if (!(VARIANTS as readonly string[]).includes(v)) throw new UsageError(`${o.target}: the demo variants are ${VARIANTS.join(', ')}`);
    return { kind: 'demo', variant: v as Variant, programs: demoPrograms(v as Variant) };
  }
  const prog = loadProgram(o.target);
  return { kind: 'program', image: prog.image, argv: [prog.name, ...o.args], name: prog.name };
}

/** What a shard explored: the same command line, p9emu and program in every shard of one exploration. */
function whatOf(o: Args, t: Target): Shard['what'] {
  const program = t.kind === 'program' ? createHash('sha256').update(t.image).digest('hex') : undefined;
  return { target: o.target, args: o.args, p9emu: version(), program };
}

function write(o: Shown, x: Exploration): void {
  const withRepro = { ...x, outcomes: x.outcomes.map((g) => ({ ...g, reproduce: reproducer(o, g.points[0]!) })) };
  process.stdout.write(o.json ? JSON.stringify(withRepro) + '\n' : report(o, x));
}

/** p9emu explore --merge FILE... [--json] */
function mergeMain(argv: string[]): number {
  const files = argv.filter((a) => a !== '--merge' && a !== '--json');
  const bad = files.find((a) => a.startsWith('-'));
  if (bad !== undefined || files.length === 0) {
    return usageStatus('explore', new UsageError(bad !== undefined ? `--merge takes only shard files and --json, not ${bad}` : '--merge: no shard FILE given'));
  }
  const { what, o, x } = merge(files.map((file) => ({ file, shard: parseShard(readFileSync(file, 'utf8'), file) })));
  const args = what.args;
  if (typeof what.target !== 'string' || !Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw new Error(`${files[0]}: not an explore shard (${SHARD_FORMAT})`);
  write({ ...o, target: what.target, args, json: argv.includes('--json') }, x);
  return 0;
}

export async function exploreMain(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  if (argv.includes('--merge')) return mergeMain(argv);
  let o: Args;
  let target: Target;
  try {
    o = parse(argv);
    target = targetOf(o);
  } catch (e) {
    return usageStatus('explore', e);
  }
  const eo: ExploreOptions = { note: o.note!, pid: o.pid, every: o.every, seed: o.seed };
  const runner = runnerFor(target);
  // With --jobs, the workers start while the note-free run runs.
  let workers = o.jobs !== undefined && o.jobs > 1 ? pool(target, eo, o.jobs, runner) : null;
  const t0 = performance.now();
  const c0 = clock();
  const b = await baseline(runner, eo);
  const c1 = clock();
  const points = o.shard ? shardPoints(b.points, o.shard.index, o.shard.count) : b.points;
  if (o.jobs === undefined) {
    const lanes = Math.min(lanesFor(points.length * (performance.now() - t0)), points.length);
    if (lanes > 1) workers = pool(target, eo, lanes, runner);
  }
  let runs;
  try {
    runs = await runAll(b, points, workers?.runPoints ?? serially(runner, eo), progressTo(process.stderr.isTTY === true));
  } finally {
    await workers?.close();
  }
  if (process.env.P9EMU_EXPLORE_PROFILE === '1') {
    const at = (t: number) => (t - performance.timeOrigin).toFixed(0);
    process.stderr.write(`explore: the note-free run from ${at(c0.now)} to ${at(c1.now)} ms, CPU ${(c1.cpuMs - c0.cpuMs).toFixed(0)} ms; the points done at ${at(clock().now)} ms\n`);
    if (workers) process.stderr.write(laneProfile(workers.lanes));
  }
  if (o.shard) {
    const shard: Shard = { format: SHARD_FORMAT, what: whatOf(o, target), o: eo, ...o.shard, syscalls: b.syscalls, baseline: b.baseline, runs };
    process.stdout.write(JSON.stringify(shard) + '\n');
    return 0;
  }
  write(o, { syscalls: b.syscalls, baseline: b.baseline, outcomes: group(runs) });
  return 0;
}
