// Pages of host code near library code (libsym.ts codePage), for mends
// that call them with a rel32 from inside libunicorn.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codePage, freeNear, libbytes, libsym } from '../../emu/cpu/libsym.ts';
import { unicorn } from '../../emu/cpu/unicorn_ffi.ts';

const REL32 = 0x7fff0000n;
const dist = (a: bigint, b: bigint) => (a > b ? a - b : b - a);

function mappings(): Array<[bigint, bigint]> {
  return readFileSync('/proc/self/maps', 'utf8').split('\n').filter((l) => l !== '')
    .map((l) => l.slice(0, l.indexOf(' ')).split('-').map((x) => BigInt('0x' + x)) as [bigint, bigint]);
}

describe.runIf(process.platform === 'linux' && process.arch === 'x64')('codePage near library code', () => {
  const L = unicorn();
  const near = libsym(L, 'translator_loop_x86_64')!;

  it('lists free pages within a rel32 of the address, nearest first', () => {
    const pages = freeNear(near);
    expect(pages.length).toBeGreaterThan(0);
    const maps = mappings();
    for (const p of pages) {
      expect(p % 4096n).toBe(0n);
      expect(dist(p, near) < REL32).toBe(true);
      expect(maps.some(([a, b]) => p + 4096n > a && p < b)).toBe(false);
    }
    for (let i = 1; i < pages.length; i++) expect(dist(pages[i]!, near) >= dist(pages[i - 1]!, near)).toBe(true);
  });

  it('gives a page holding the code, within a rel32 of the address', () => {
    const code = Uint8Array.of(0x31, 0xc0, 0xc3);
    const page = codePage(L, code, near);
    expect(page).not.toBeNull();
    expect(dist(page!, near) < REL32).toBe(true);
    expect([...libbytes(L, page!, 3)]).toEqual([...code]);
  });
});
