// The fuzzer's short fixed-seed campaign (npm run fuzz): mutated a.outs,
// random code and random system calls end in a Plan 9 outcome or a
// one-line refusal, never an internal error, a host crash or a late kill.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate } from '../../fuzz/gen.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('fuzz', () => {
  it('makes the same case from the same kind, seed and index', () => {
    for (const kind of ['aout', 'code', 'syscall'] as const) {
      expect(generate(kind, 7, 3)).toEqual(generate(kind, 7, 3));
      expect(generate(kind, 7, 3)).not.toEqual(generate(kind, 7, 4));
    }
  });

  it('runs 100 cases of each kind (seed 1) with no bad outcome', () => {
    const out = mkdtempSync(join(tmpdir(), 'p9fuzz-'));
    try {
      const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'),
        ['fuzz/fuzz.ts', '--kind', 'all', '--cases', '100', '--seed', '1', '--timeout', '1000', '--out', out],
        { cwd: root, encoding: 'utf8' });
      const lines = r.stdout.trim().split('\n');
      for (const kind of ['aout', 'code', 'syscall']) {
        expect(lines).toContainEqual(expect.stringMatching(
          new RegExp(`^fuzz ${kind}: 100 cases, seed 1: plan9 \\d+, error \\d+, internal 0, crash 0, late 0$`)));
      }
      // Mutated a.outs meet both answers: a refusal and a run.
      expect(lines.find((l) => l.startsWith('fuzz aout'))).toMatch(/plan9 [1-9]\d*, error [1-9]/);
      expect(r.status).toBe(0);
      expect(readdirSync(out)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 900_000);
});
