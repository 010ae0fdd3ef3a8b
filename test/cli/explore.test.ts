// p9emu explore as a user meets it: progress on stderr, outcomes grouped
// by exit strings, then told apart by output; the runs shared out over
// worker processes, or split into shards and merged, give the serial report.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;

beforeAll(() => {
  execFileSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
});

function p9emu(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('node', [join(root, 'bin/p9emu'), 'explore', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, P9EMU_EXPLORE_PROFILE: '' } });
}

/** Its stdout, after checking it ran to status 0. */
function out(...args: string[]): string {
  const r = p9emu(...args);
  expect(r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('explore: '))).toEqual([]);
  expect(r.status).toBe(0);
  return r.stdout;
}

const interrupt = ['test/prog/interrupt.s', '--note', 'interrupt'];

describe('p9emu explore', () => {
  it('says on stderr how many runs are done, and groups outcomes by exit strings', () => {
    const r = p9emu(...interrupt);
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual(['explore: 0/5 runs', 'explore: 1/5 runs', 'explore: 2/5 runs', 'explore: 3/5 runs', 'explore: 4/5 runs', 'explore: 5/5 runs']);
    expect(r.stdout).toMatch(/^3 distinct outcomes, 3 sets of exit strings:\n1:"interrupt"\n  1\. stdout [0-9a-f]{12}  after syscall 1 \(1 run\)\n     reproduce: p9emu run .*@syscall:1 test\/prog\/interrupt\.s\n1:"interrupted"\n  2\. stdout [0-9a-f]{12}  after syscall 2-4 \(3 runs\)\n/m);
  });

  it('reports the same outcomes in the same order run in turn, shared with a worker process, and as two shards merged', () => {
    // 17 runs of the demo, 15 outcomes; two of them span both shards.
    const demo = ['demo:after', '--pid', '2', '--note', 'interrupt', '--every', '6'];
    const serial = out(...demo, '--jobs', '1');
    expect(serial).toMatch(/^102 system calls; .*\(17 runs, seed 0\)\n/);
    expect(serial).toContain('after syscall 43-49 (2 runs)');
    const parallel = out(...demo, '--jobs', '2', '--json');
    const dir = mkdtempSync(join(tmpdir(), 'p9emu-explore-'));
    const shard = (i: number, jobs: string): string => {
      const f = join(dir, `shard${i}.json`);
      writeFileSync(f, out(...demo, '--shard', `${i}/2`, '--jobs', jobs));
      return f;
    };
    const files = [shard(1, '2'), shard(0, '1')];
    expect(out('--merge', ...files)).toBe(serial);
    // The merged JSON is the parallel run's, and the merged text the serial's: all three agree.
    expect(out('--merge', ...files, '--json')).toBe(parallel);
    expect(JSON.parse(parallel).outcomes).toHaveLength(15);
  }, 120_000);

  it('says what each lane did with P9EMU_EXPLORE_PROFILE=1', () => {
    const r = spawnSync('node', [join(root, 'bin/p9emu'), 'explore', ...interrupt, '--jobs', '2'], { cwd: root, encoding: 'utf8', env: { ...process.env, P9EMU_EXPLORE_PROFILE: '1' } });
    expect(r.status).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => !/^explore: \d+\/5 runs$/.test(l) && l !== '');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^explore: the note-free run from \d+ to \d+ ms, CPU \d+ ms; the points done at \d+ ms$/);
    expect(lines[1]).toMatch(/^explore: this process: (no runs|\d+ runs( \(\d+ taken back from workers\))? from \d+ to \d+ ms, CPU \d+ ms \(first 5 \d+ ms each, last 5 \d+\), idle \d+ ms)$/);
    expect(lines[2]).toMatch(/^explore: worker 1: ready at \d+ ms \(started at -?\d+, \d+ ms of CPU\), (no runs|\d+ runs from)/);
    const runs = lines.slice(1).map((l) => Number(/(\d+) runs/.exec(l)?.[1] ?? 0));
    expect(runs[0]! + runs[1]!).toBe(5);
  });

  it('refuses shards that are missing, repeated, of another exploration, or not shards at all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p9emu-explore-'));
    const write = (name: string, text: string): string => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const s0 = write('s0', out(...interrupt, '--shard', '0/2'));
    const s1 = write('s1', out(...interrupt, '--shard', '1/2'));
    const other = write('other', out(...interrupt, '--seed', '1', '--shard', '1/2'));
    const part = JSON.parse(readFileSync(s1, 'utf8'));
    const cut = write('cut', JSON.stringify({ ...part, runs: part.runs.slice(1) }));
    const fails = (files: string[], message: string): void => {
      const r = p9emu('--merge', ...files);
      expect([r.status, r.stderr, r.stdout]).toEqual([1, `p9emu: ${message}\n`, '']);
    };
    fails([s0], 'shard 1/2 missing');
    fails([s0, s0, s1], `${s0} and ${s0} are both shard 0/2`);
    fails([s0, other], `${other} and ${s0} are shards of different explorations`);
    fails([s0, cut], `${cut}: shard 1/2 lacks runs (1 of 2)`);
    fails([s0, write('text', 'hello\n')], `${join(dir, 'text')}: not an explore shard (not JSON)`);
    fails([s0, write('json', '{"format":"p9emu explore shard 1"}')], `${join(dir, 'json')}: not an explore shard (p9emu explore shard 1)`);
    fails([s0, join(dir, 'none')], `${join(dir, 'none')}: file does not exist`);
    expect(out('--merge', s1, s0)).toBe(out(...interrupt, '--jobs', '1'));
  }, 60_000);

  it('takes --jobs N ≥ 1, --shard I/N with I < N, and nothing but files with --merge', () => {
    const usage = (args: string[], message: string): void => {
      const r = p9emu(...args);
      expect([r.status, r.stderr]).toEqual([2, `p9emu explore: ${message}\n`]);
    };
    usage([...interrupt, '--jobs', '0'], "--jobs: '0' is not a whole number ≥ 1");
    // The launcher has forked the worker by then: it ends with the command.
    usage([...interrupt, '--jobs', '2', '--every', 'x'], "--every: 'x' is not a whole number ≥ 1");
    usage([...interrupt, '--shard', '2/2'], "--shard: '2/2' is not I/N with 0 ≤ I < N");
    usage([...interrupt, '--shard', '1'], "--shard: '1' is not I/N with 0 ≤ I < N");
    usage(['--merge'], '--merge: no shard FILE given');
    usage(['--merge', 'a.json', '--jobs', '2'], '--merge takes only shard files and --json, not --jobs');
  });
});
