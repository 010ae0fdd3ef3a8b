// One exploration split across machines: shard I of N runs every Nth point
// (from the Ith) and writes its runs as JSON; merging the N files gives
// back the whole exploration, the same as one machine's.

import { group, pointsOf, type Exploration, type ExploreOptions, type Outcome, type PointRun } from './explore.ts';

export const SHARD_FORMAT = 'p9emu explore shard 1';

export interface Shard {
  format: typeof SHARD_FORMAT;
  /** What was explored (the command line, the p9emu version, a hash of the program): equal in every shard of one exploration. */
  what: Record<string, unknown>;
  o: ExploreOptions;
  index: number;
  count: number;
  syscalls: number;
  baseline: Outcome;
  runs: PointRun[];
}

/** Shard `index` of `count`'s points: every count-th, from the index-th. */
export function shardPoints(points: readonly number[], index: number, count: number): number[] {
  return points.filter((_, j) => j % count === index);
}

/** I/N with 0 ≤ I < N, or null. */
export function parseShardSpec(s: string): { index: number; count: number } | null {
  const m = /^(\d+)\/(\d+)$/.exec(s);
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index < count ? { index, count } : null;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isExits = (x: unknown): boolean => isObject(x) && Object.values(x).every((v) => typeof v === 'string');
const isNat = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;
const isOptions = (o: unknown): boolean => isObject(o) && typeof o.note === 'string' && (o.pid === 'self' || isNat(o.pid))
  && isNat(o.every) && o.every >= 1 && isNat(o.seed);

/** A shard file's text, checked field by field; an Error naming `file` if it is not one. */
export function parseShard(text: string, file: string): Shard {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not an explore shard (not JSON)`);
  }
  const ok = isObject(x) && x.format === SHARD_FORMAT && isObject(x.what) && isOptions(x.o)
    && isNat(x.index) && isNat(x.count) && x.index < x.count && isNat(x.syscalls)
    && isObject(x.baseline) && isExits(x.baseline.exits) && typeof x.baseline.stdoutHash === 'string'
    && Array.isArray(x.runs) && x.runs.every((r) => isObject(r) && isNat(r.n) && isExits(r.exits) && typeof r.stdoutHash === 'string');
  if (!ok) throw new Error(`${file}: not an explore shard (${SHARD_FORMAT})`);
  const s = x as unknown as Shard;
  return { ...s, baseline: { ...s.baseline, points: [] } };
}

/** The shards' runs as one exploration: all N shards of the same one, each once. */
export function merge(shards: readonly { file: string; shard: Shard }[]): { what: Record<string, unknown>; o: ExploreOptions; x: Exploration } {
  const first = shards[0];
  if (!first) throw new Error('no shard files');
  const same = (s: Shard): string => JSON.stringify([s.format, s.what, s.o, s.count, s.syscalls, s.baseline.exits, s.baseline.stdoutHash]);
  const seen = new Map<number, string>();
  for (const { file, shard } of shards) {
    if (same(shard) !== same(first.shard)) throw new Error(`${file} and ${first.file} are shards of different explorations`);
    const other = seen.get(shard.index);
    if (other !== undefined) throw new Error(`${file} and ${other} are both shard ${shard.index}/${shard.count}`);
    seen.set(shard.index, file);
  }
  const { count } = first.shard;
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new Error(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing`);
  const all = pointsOf(first.shard.syscalls, first.shard.o.every);
  for (const { file, shard } of shards) {
    const want = shardPoints(all, shard.index, count);
    if (JSON.stringify(shard.runs.map((r) => r.n)) !== JSON.stringify(want)) throw new Error(`${file}: shard ${shard.index}/${count} lacks runs (${shard.runs.length} of ${want.length})`);
  }
  const runs = shards.flatMap(({ shard }) => shard.runs).sort((a, b) => a.n - b.n);
  const { syscalls, baseline, what, o } = first.shard;
  return { what, o, x: { syscalls, baseline, outcomes: group(runs) } };
}
