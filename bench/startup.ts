// The CLI Go hello against `node -e 0`, and against itself under other
// settings, timed in turn in the same run (docs/startup.md):
//   npx tsx bench/startup.ts [--runs N] [VAR=value[,VAR=value...] ...]
// Each argument is one more variant of the hello, with those environment
// variables set (e.g. P9EMU_PREEMPT=worker). Prints, per row, the least
// and the median wall and CPU times (ms; CPU: user + system, all threads)
// and the ratios to `node -e 0`'s. On a busy machine the CPU times are the
// steadier figures.

import { fixture } from '../test/go/gobuild.ts';
import { goHelloCli, nodeStart, spread, type Spread } from './go.ts';
import { type Timed } from './spawn.ts';

const argv = process.argv.slice(2);
const at = argv.indexOf('--runs');
const runs = at >= 0 ? Number(argv.splice(at, 2)[1]) : 20;
if (!Number.isInteger(runs) || runs < 1) throw new Error('bench/startup: --runs wants a count');

const bin = fixture('hello');
/** With these variables set for the one run. */
function withEnv(vars: string, f: () => Timed): Timed {
  const saved = { ...process.env };
  for (const kv of vars.split(',')) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new Error(`bench/startup: not VAR=value: ${kv}`);
    process.env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  try {
    return f();
  } finally {
    process.env = saved;
  }
}

const rows: [string, () => Timed][] = [
  ['node -e 0', nodeStart],
  ['p9emu run hello', () => goHelloCli(bin)],
  ...argv.map((v): [string, () => Timed] => [`p9emu run hello, ${v}`, () => withEnv(v, () => goHelloCli(bin))]),
];
const times: Timed[][] = rows.map(() => []);
for (let i = 0; i < runs; i++) rows.forEach(([, f], j) => times[j]!.push(f()));
const base = spread(times[0]!);
const f = (x: number) => x.toFixed(1).padStart(7);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
console.log(`${runs} runs each, in turn: the least and the median (ms), and each over node -e 0's`);
const head = ['least', 'median', '×', '×'];
console.log(`${'wall, then CPU:'.padEnd(44)} ${head.map((h, i) => h.padStart(i < 2 ? 7 : 6)).join(' ')}  ${head.map((h, i) => h.padStart(i < 2 ? 7 : 6)).join(' ')}`);
rows.forEach(([name], j) => {
  const s: Spread = spread(times[j]!);
  console.log(`${name.padEnd(44)} ${f(s.ms)} ${f(s.msMedian)}  ${ratio(s.ms, base.ms).padStart(6)} ${ratio(s.msMedian, base.msMedian).padStart(6)}  ${f(s.cpuMs)} ${f(s.cpuMsMedian)}  ${ratio(s.cpuMs, base.cpuMs).padStart(6)} ${ratio(s.cpuMsMedian, base.cpuMsMedian).padStart(6)}`);
});
