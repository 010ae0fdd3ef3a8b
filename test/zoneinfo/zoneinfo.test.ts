// The zoneinfo.zip go_plan9_386_exec binds into $GOROOT/lib/time: the
// stored-zip writer (zip.ts), Go's own zip read back from its source tree
// (zipdata.ts), and the zip made from the host's tzdata (tzdata.ts). Go
// reading them under the kernel is in test/go/zoneinfo.test.ts.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32, zipStore } from '../../bin/zip.ts';
import { unquote, zipdata } from '../../bin/zipdata.ts';
import { TZDIR, tzdatakey, tzdatazip, zonenames } from '../../bin/tzdata.ts';

const enc = new TextEncoder();
const CI = process.env.CI === 'true';

/** The members of a zip as Go's loadTzinfoFromZip finds them: end record, central directory, local headers. */
function members(z: Uint8Array): Map<string, { meth: number; data: Uint8Array; crc: number }> {
  const v = new DataView(z.buffer, z.byteOffset, z.length);
  const end = z.length - 22;
  expect(v.getUint32(end, true)).toBe(0x06054b50);
  const n = v.getUint16(end + 10, true);
  let p = v.getUint32(end + 16, true);
  const out = new Map<string, { meth: number; data: Uint8Array; crc: number }>();
  for (let i = 0; i < n; i++) {
    expect(v.getUint32(p, true)).toBe(0x02014b50);
    const meth = v.getUint16(p + 10, true);
    const crc = v.getUint32(p + 16, true);
    const size = v.getUint32(p + 24, true);
    const namelen = v.getUint16(p + 28, true);
    const xlen = v.getUint16(p + 30, true);
    const fclen = v.getUint16(p + 32, true);
    const off = v.getUint32(p + 42, true);
    const name = new TextDecoder().decode(z.subarray(p + 46, p + 46 + namelen));
    expect(v.getUint32(off, true)).toBe(0x04034b50);
    expect(v.getUint16(off + 8, true)).toBe(meth);
    expect(v.getUint16(off + 26, true)).toBe(namelen);
    const data = off + 30 + namelen + v.getUint16(off + 28, true);
    out.set(name, { meth, crc, data: z.subarray(data, data + size) });
    p += 46 + namelen + xlen + fclen;
  }
  return out;
}

describe('zip.ts', () => {
  it('crc32 is IEEE CRC-32 (check value of "123456789")', () => {
    expect(crc32(enc.encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('stores members uncompressed, with their CRCs, findable as Go finds them', () => {
    const z = zipStore([
      { name: 'Etc/UTC', data: enc.encode('TZif one') },
      { name: 'America/Los_Angeles', data: enc.encode('TZif two, longer') },
    ]);
    const m = members(z);
    expect([...m.keys()]).toEqual(['Etc/UTC', 'America/Los_Angeles']);
    expect(m.get('America/Los_Angeles')).toEqual({ meth: 0, crc: crc32(enc.encode('TZif two, longer')), data: enc.encode('TZif two, longer') });
  });

  it('an empty zip is the end record alone', () => {
    expect(zipStore([])).toEqual(Uint8Array.from([0x50, 0x4b, 5, 6, ...new Array(18).fill(0)]));
  });
});

describe('zipdata.ts', () => {
  it('unquotes what strconv.Quote writes: \\xNN, \\a..\\v, \\\\, \\", \\u, \\U, octal, raw UTF-8', () => {
    const src = enc.encode('x = "PK\\x03\\x04\\a\\b\\f\\n\\r\\t\\v\\\\\\"\\u00e9\\U0001F600\\101é" + rest');
    const r = unquote(src, 4);
    expect([...r.bytes]).toEqual([0x50, 0x4b, 3, 4, 7, 8, 12, 10, 13, 9, 11, 0x5c, 0x22, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80, 0x41, 0xc3, 0xa9]);
    expect(String.fromCharCode(src[r.end]!)).toBe(' ');
  });

  it('joins the pieces of const zipdata as generate_zipdata.go lays them out', () => {
    const src = enc.encode('package tzdata\n\nconst zipdata = "PK\\x05" +\n\t"\\x06ab" +\n\t"c"\n');
    expect(new TextDecoder().decode(zipdata(src))).toBe('PK\x05\x06abc');
  });

  it('refuses a bad escape and an unterminated literal', () => {
    expect(() => zipdata(enc.encode('const zipdata = "\\xZZ"'))).toThrow(/bad escape/);
    expect(() => zipdata(enc.encode('const zipdata = "abc\n'))).toThrow(/unterminated/);
  });
});

describe.skipIf(!existsSync(join(TZDIR, 'America/Los_Angeles')) && !CI)('tzdata.ts (the host zone files)', () => {
  it('lists zones by their tz names, without posix/, right/, localtime or posixrules', () => {
    const names = zonenames();
    expect(names).toContain('America/Los_Angeles');
    expect(names).toContain('Etc/UTC');
    expect(names.some((n) => /^(posix|right)\//.test(n) || n === 'localtime' || n === 'posixrules')).toBe(false);
  });

  it('zips every TZif file, stored, and nothing else; the key depends on the tree only', () => {
    const m = members(tzdatazip());
    expect(m.get('America/Los_Angeles')?.meth).toBe(0);
    expect(new TextDecoder().decode(m.get('America/Los_Angeles')!.data.subarray(0, 4))).toBe('TZif');
    expect(m.has('zone.tab')).toBe(false);
    expect(m.has('tzdata.zi')).toBe(false);
    for (const { data, crc } of m.values()) expect(crc32(data)).toBe(crc);
    expect(tzdatakey()).toBe(tzdatakey());
  });
});
