import { describe, expect, it } from 'vitest';
import { convD2M, convM2D, dirpack, sizeD2M, statcheck, STATFIXLEN, unpackdirs } from '../../emu/port/stat.ts';
import { errof } from '../kit/kernelkit.ts';
import type { Dir } from '../../emu/port/dat.ts';

const dir: Dir = {
  type: 0x63, dev: 7, qid: { type: 0x80, vers: 3, path: 0x1122334455n },
  mode: 0x800001ed, atime: 1000, mtime: 2000, length: 42,
  name: 'bin', uid: 'glenda', gid: 'sys', muid: 'bootes',
};

describe('stat(5) messages', () => {
  it('STATFIXLEN is 49 bytes', () => {
    expect(STATFIXLEN).toBe(49);
  });

  it('lays out the fields little-endian with counted strings', () => {
    const b = convD2M(dir, 1000);
    expect(b.length).toBe(sizeD2M(dir));
    expect(b.length).toBe(49 + 3 + 6 + 3 + 6);
    const v = new DataView(b.buffer);
    expect(v.getUint16(0, true)).toBe(b.length - 2);
    expect(v.getUint16(2, true)).toBe(0x63);
    expect(v.getUint32(4, true)).toBe(7);
    expect(b[8]).toBe(0x80);
    expect(v.getUint32(9, true)).toBe(3);
    expect(v.getBigUint64(13, true)).toBe(0x1122334455n);
    expect(v.getUint32(21, true)).toBe(0x800001ed);
    expect(v.getBigUint64(33, true)).toBe(42n);
    expect(v.getUint16(41, true)).toBe(3);
    expect(new TextDecoder().decode(b.subarray(43, 46))).toBe('bin');
  });

  it('round-trips through convM2D', () => {
    expect(convM2D(convD2M(dir, 1000))).toEqual({ ...dir, qid: { ...dir.qid, path: 0x1122334455 } });
  });

  it('a short buffer still gets the size, and nothing else', () => {
    const b = convD2M(dir, 10);
    expect(b.length).toBe(2);
    expect(b[0]! | (b[1]! << 8)).toBe(sizeD2M(dir) - 2);
    expect(convD2M(dir, 1)).toHaveLength(0);
  });

  it('statcheck accepts exactly one entry', () => {
    const b = convD2M(dir, 1000);
    expect(statcheck(b)).toBe(true);
    expect(statcheck(b.subarray(0, b.length - 1))).toBe(false);
    const bad = b.slice();
    bad[41] = 200;  // name count running past the end
    expect(statcheck(bad)).toBe(false);
  });

  it('convM2D rejects a truncated entry', () => {
    expect(convM2D(convD2M(dir, 1000).subarray(0, 50))).toBeNull();
  });
});

describe('dirpack', () => {
  const dirs = ['a', 'bb', 'ccc'].map((name) => ({ ...dir, name }));
  const size = (i: number) => sizeD2M(dirs[i]!);

  it('returns whole entries that fit', () => {
    expect(unpackdirs(dirpack(dirs, size(0) + size(1) + 5, 0)).map((d) => d.name)).toEqual(['a', 'bb']);
  });

  it('continues from the offset a previous read ended at', () => {
    expect(unpackdirs(dirpack(dirs, 1000, size(0))).map((d) => d.name)).toEqual(['bb', 'ccc']);
    expect(dirpack(dirs, 1000, size(0) + size(1) + size(2))).toHaveLength(0);
  });

  it('fails when not even one entry fits', () => {
    expect(errof(() => dirpack(dirs, 10, 0))).toBe('i/o count too small');
  });
});
