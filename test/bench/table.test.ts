// npm run bench's rows: printed as they come, each figure marked against its target.
import { describe, expect, it } from 'vitest';
import { meets, Table } from '../../bench/table.ts';

describe('the bench table', () => {
  it('marks a figure ok or MISSED against its target, the ratio for × targets', () => {
    expect(meets('≤ 1.5×', 0.8)).toBe(true);
    expect(meets('≥ 0.9×', 0.85)).toBe(false);
    expect(meets('≤ 150', 151)).toBe(false);
    const lines: string[] = [];
    const t = new Table((s) => lines.push(s));
    t.row(['syscall round trip (ns)', '231', '293', '0.79×', '≤ 1.5×']);
    t.row(['Go hello, start to exit, CLI (ms)', '160', 'node -e 0: 27', '', '≤ 150']);
    t.row(['process start to exit, null.s (ms)', '1.8', '', '', '']);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^syscall round trip \(ns\) +231 +293 +0\.79× +≤ 1\.5× +ok\n$/);
    expect(lines[1]).toMatch(/ +≤ 150 +MISSED\n$/);
    expect(lines[2]).toMatch(/^process start to exit, null\.s \(ms\) +1\.8\n$/);
  });
});
