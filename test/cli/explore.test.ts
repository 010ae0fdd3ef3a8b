// p9emu explore as a user meets it: progress on stderr, outcomes grouped
// by exit strings, then told apart by output.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;

beforeAll(() => {
  execFileSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
});

describe('p9emu explore', () => {
  it('says on stderr how many runs are done, and groups outcomes by exit strings', () => {
    const r = spawnSync('node', [join(root, 'bin/p9emu'), 'explore', 'test/prog/interrupt.s', '--note', 'interrupt'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual(['explore: 0/5 runs', 'explore: 1/5 runs', 'explore: 2/5 runs', 'explore: 3/5 runs', 'explore: 4/5 runs', 'explore: 5/5 runs']);
    expect(r.stdout).toMatch(/^3 distinct outcomes, 3 sets of exit strings:\n1:"interrupt"\n  1\. stdout [0-9a-f]{12}  after syscall 1 \(1 run\)\n     reproduce: p9emu run .*@syscall:1 test\/prog\/interrupt\.s\n1:"interrupted"\n  2\. stdout [0-9a-f]{12}  after syscall 2-4 \(3 runs\)\n/m);
  });
});
