// npm run fuzz -- --kind aout|code|syscall|all --cases N --seed S
//                 [--timeout MS] [--out DIR] [--batch N]
//
// Runs generated inputs (gen.ts) under the real machine and classifies
// each outcome:
//   plan9     the guest ran to a Plan 9 outcome (exit, note, kill, error)
//   error     p9emu refused the input with a one-line error (bad a.out)
//   internal  a host exception: contained (an 'internal error' line) or not
//   crash     the host process died (a native abort, a signal)
//   late      --timeout took more than 1 s past its time, in wall time and
//             in the CPU time p9emu used (a host too busy to run it is not
//             p9emu being late)
// Cases run in a child process, many per child, under --deterministic
// (the same case, the same run); a child that dies is a crash of the case
// it was running, and a new child goes on from the next. Every bad outcome
// leaves its a.out in DIR and prints the command that reproduces it.

import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, KINDS, type Kind } from './gen.ts';
import { run } from '../emu/run.ts';
import { unicornMachine } from '../emu/cpu/machine.ts';
import { BufferConsole } from '../emu/port/console.ts';
import { deterministic } from '../emu/det/deterministic.ts';

export type Outcome = 'plan9' | 'error' | 'internal' | 'crash' | 'late';
const OUTCOMES: readonly Outcome[] = ['plan9', 'error', 'internal', 'crash', 'late'];
const BAD: ReadonlySet<Outcome> = new Set(['internal', 'crash', 'late']);

export interface CaseResult {
  kind: Kind;
  index: number;
  outcome: Outcome;
  detail: string;
  ms: number;
}

/** Run one case in this process. */
export async function runCase(kind: Kind, seed: number, index: number, timeoutMs: number): Promise<CaseResult> {
  const image = generate(kind, seed, index);
  const cons = new BufferConsole('');
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let outcome: Outcome, detail: string;
  try {
    const r = await run(image, {
      machine: unicornMachine(),
      console: cons,
      name: `${kind}${index}`,
      timeoutMs,
      onkernel: (k) => void deterministic(k),
    });
    const ms = performance.now() - t0;
    // Late is p9emu's own doing: CPU time past the deadline. On a shared
    // host a starved process is late by the wall clock without running.
    const c = process.cpuUsage(c0);
    const cpums = (c.user + c.system) / 1000;
    if (r.internal.length > 0) [outcome, detail] = ['internal', r.internal.map((e) => `${e.call}: ${e.message}`).join('; ')];
    else if (r.timedout && ms > timeoutMs + 1000 && cpums > timeoutMs + 1000) {
      [outcome, detail] = ['late', `killed after ${Math.round(ms)} ms (${Math.round(cpums)} ms of CPU)`];
    }
    else [outcome, detail] = ['plan9', r.timedout ? 'timeout' : r.deadlock ? 'deadlock' : r.exitstr];
  } catch (e) {
    // A refusal is one line from an Error we throw on purpose; anything else escaped the kernel.
    const err = e instanceof Error ? e : new Error(String(e));
    const oneline = !err.message.includes('\n') && (err.constructor === Error || err.name === 'Error' || err.name === 'ExecError');
    [outcome, detail] = [oneline ? 'error' : 'internal', `${err.name}: ${err.message.split('\n')[0]}`];
  }
  return { kind, index, outcome, detail, ms: Math.round(performance.now() - t0) };
}

interface Args {
  kinds: Kind[];
  cases: number;
  seed: number;
  timeoutMs: number;
  out: string;
  batch: number;
}

function parse(argv: string[]): Args {
  const a: Args = { kinds: [...KINDS], cases: 100, seed: 1, timeoutMs: 2000, out: 'fuzz-out', batch: 200 };
  for (let i = 0; i < argv.length; i++) {
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`fuzz: ${argv[i - 1]} needs a value`);
      return x;
    };
    const num = (s: string): number => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 0) throw new Error(`fuzz: '${s}' is not a whole number`);
      return n;
    };
    switch (argv[i]) {
      case '--kind': {
        const k = v();
        if (k !== 'all' && !KINDS.includes(k as Kind)) throw new Error(`fuzz: --kind ${k}: aout, code, syscall or all`);
        a.kinds = k === 'all' ? [...KINDS] : [k as Kind];
        break;
      }
      case '--cases': a.cases = num(v()); break;
      case '--seed': a.seed = num(v()); break;
      case '--timeout': a.timeoutMs = num(v()); break;
      case '--out': a.out = v(); break;
      case '--batch': a.batch = Math.max(1, num(v())); break;
      default: throw new Error(`fuzz: unknown option ${argv[i]}`);
    }
  }
  return a;
}

const self = fileURLToPath(import.meta.url);

/** One child: cases [from, to) of kind; each result a JSON line; 'start i' before each. */
async function worker(kind: Kind, seed: number, from: number, to: number, timeoutMs: number): Promise<void> {
  for (let i = from; i < to; i++) {
    process.stdout.write(`start ${i}\n`);
    process.stdout.write(`${JSON.stringify(await runCase(kind, seed, i, timeoutMs))}\n`);
  }
}

/** Run cases [from, to) in children; a dead child is a crash of the case it started last. */
async function campaign(kind: Kind, a: Args, report: (r: CaseResult) => void): Promise<void> {
  let next = 0;
  while (next < a.cases) {
    const to = Math.min(a.cases, next + a.batch);
    let started = -1;
    let tail = '';
    const child = spawn(process.execPath, [...process.execArgv, self, '--worker', kind, String(a.seed), String(next), String(to), String(a.timeoutMs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    child.stdout.on('data', (d: Buffer) => {
      const lines = (tail + d.toString()).split('\n');
      tail = lines.pop()!;
      for (const l of lines) {
        if (l.startsWith('start ')) started = Number(l.slice(6));
        else if (l.startsWith('{')) {
          const r = JSON.parse(l) as CaseResult;
          started = -1;
          next = r.index + 1;
          report(r);
        }
      }
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) => child.on('close', (c, s) => res([c, s])));
    if (started >= 0) {
      const why = signal ?? `exit ${code}`;
      const last = stderr.trim().split('\n').filter(Boolean).at(-1) ?? '';
      report({ kind, index: started, outcome: 'crash', detail: `${why}: ${last}`, ms: 0 });
      next = started + 1;
    } else if (code !== 0 && next < to) {
      throw new Error(`fuzz: worker failed outside a case (${signal ?? code}): ${stderr.trim().split('\n').at(-1)}`);
    }
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--worker') {
    const [kind, seed, from, to, t] = argv.slice(1);
    await worker(kind as Kind, Number(seed), Number(from), Number(to), Number(t));
    return 0;
  }
  const a = parse(argv);
  let bad = 0;
  const counts = new Map<string, number>();
  for (const kind of a.kinds) {
    const summary = (n: number): string =>
      `fuzz ${kind}: ${n} cases, seed ${a.seed}: ` + OUTCOMES.map((o) => `${o} ${counts.get(`${kind} ${o}`) ?? 0}`).join(', ') + '\n';
    let done = 0;
    await campaign(kind, a, (r) => {
      counts.set(`${kind} ${r.outcome}`, (counts.get(`${kind} ${r.outcome}`) ?? 0) + 1);
      // A long campaign says how far it got.
      if (++done % 1000 === 0 && done < a.cases) process.stdout.write(summary(done));
      if (!BAD.has(r.outcome)) return;
      bad++;
      mkdirSync(a.out, { recursive: true });
      const file = join(a.out, `${kind}-${a.seed}-${r.index}.out`);
      writeFileSync(file, generate(kind, a.seed, r.index));
      process.stdout.write(`${r.outcome}: ${kind} case ${r.index}: ${r.detail}\n  reproduce: node bin/p9emu run --deterministic --timeout ${a.timeoutMs / 1000} ${file}\n`);
    });
    process.stdout.write(summary(a.cases));
  }
  return bad > 0 ? 1 : 0;
}

if (process.argv[1] === self) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
}
