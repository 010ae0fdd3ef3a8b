// emu/aoutsym.ts and the loader's use of it: every symbol type 8l and Go
// ≤1.4's linker write, z/Z path entries resolved through the f table, the
// pc/sp and pc/line tables, and damaged tables (no symbols, one warning,
// the program still runs).

import { describe, expect, it } from 'vitest';
import { buildAout, HDRSZ, parseAout, UTZERO } from '../../emu/aout.ts';
import { decodesyms, encodesyms, pcvalue, type AoutSym } from '../../emu/aoutsym.ts';
import { runImage } from '../kit/runprog.ts';

// _main: PUSHL $0 twice (exits's argument and a return address), MOVL $EXITS, AX, INT $64.
const text = Uint8Array.from([0x6a, 0x00, 0x6a, 0x00, 0xb8, 0x08, 0, 0, 0, 0xcd, 0x40, 0xc3]);

// Every type letter, as 8l (T t D d B b a p m f z Z) and Go ≤1.4 (L l) write them.
const syms: AoutSym[] = [
  { name: '/', type: 'f', value: 1 },
  { name: 'usr', type: 'f', value: 2 },
  { name: 'glenda', type: 'f', value: 3 },
  { name: 'x.c', type: 'f', value: 4 },
  { name: 'u.h', type: 'f', value: 5 },
  { name: '/usr/glenda/x.c', type: 'z', value: 1, path: [1, 2, 3, 4] },
  { name: 'u.h', type: 'z', value: 3, path: [5] },
  { name: '', type: 'z', value: 9, path: [] },
  { name: '/usr/glenda', type: 'Z', value: 0, path: [1, 2, 3] },
  { name: '_main', type: 'T', value: 0x1020 },
  { name: '.frame', type: 'm', value: 8 },
  { name: 'argc', type: 'p', value: 4 },
  { name: 'i', type: 'a', value: 4 },
  { name: 'helper', type: 't', value: 0x1024 },
  { name: 'runtime·leaf', type: 'L', value: 0x1026 },
  { name: 'main·leaf', type: 'l', value: 0x1028 },
  { name: 'x', type: 'D', value: 0x2000 },
  { name: 'y', type: 'd', value: 0x2004 },
  { name: 'z', type: 'B', value: 0x2008 },
  { name: 'w', type: 'b', value: 0x200c },
];

// pc/line: line 10 at 0x1020, +2 lines over 4 bytes; pc/sp: +8 at 0x1022.
const pctab = Uint8Array.from([0, 0, 0, 0, 10, 129 + 3, 2]);
const sptab = Uint8Array.from([129 + 2, 2]);

const image = (over: Partial<Parameters<typeof buildAout>[0]> = {}) =>
  buildAout({ text, data: new Uint8Array(16), bss: 16, entry: UTZERO + HDRSZ, syms, sptab, pctab, ...over });

describe('a.out symbol table', () => {
  it('reads every symbol type, z/Z paths through the f table, and the tables after', () => {
    const a = parseAout(image());
    expect(a.symwarn).toBe('');
    expect(a.syms).toEqual(syms);
    expect(a.spsz).toBe(2);
    expect(a.pcsz).toBe(7);
    expect([...a.sptab]).toEqual([...sptab]);
    expect([...a.pctab]).toEqual([...pctab]);
  });

  it('writes z entries as a.out(6) says: a zero byte, big-endian indexes, a zero pair', () => {
    const b = encodesyms([{ name: '', type: 'z', value: 1, path: [0x102, 3] }]);
    expect([...b]).toEqual([0, 0, 0, 1, 0xfa, 0, 1, 2, 0, 3, 0, 0]);
  });

  it('turns an f named .frame into m, and reads old fixed-length names (type byte without 0x80)', () => {
    const f = encodesyms([{ name: '.frame', type: 'f', value: 12 }]);
    const old = Uint8Array.from([0, 0, 0x10, 0x20, 'T'.charCodeAt(0), ...Buffer.from('main\0\0\0\0'), 0, 0, 0]);
    const both = new Uint8Array([...f, ...old, ...encodesyms([{ name: 'x', type: 'D', value: 4 }])]);
    expect(decodesyms(both)).toEqual([
      { name: '.frame', type: 'm', value: 12 },
      { name: 'main', type: 'T', value: 0x1020 },
      { name: 'x', type: 'D', value: 4 },
    ]);
  });

  it('decodes pc/line and pc/sp tables as libmach pc2line and pc2sp do', () => {
    expect(pcvalue(pctab, 0x1020, 0x1020, 1)).toBe(10);
    expect(pcvalue(pctab, 0x1020, 0x1024, 1)).toBe(10);
    expect(pcvalue(pctab, 0x1020, 0x1025, 1)).toBe(12);
    expect(pcvalue(sptab, 0x1020, 0x1021, 4)).toBe(0);
    expect(pcvalue(sptab, 0x1020, 0x1022, 4)).toBe(0);
    expect(pcvalue(sptab, 0x1020, 0x1023, 4)).toBe(8);
    expect(pcvalue(sptab, 0x1020, 0x1100, 4)).toBeUndefined();
    expect(pcvalue(sptab, 0x1020, 0x100, 4)).toBeUndefined();
  });

  describe('damaged tables: no symbols, one warning, the program runs', () => {
    const good = image();
    const symoff = HDRSZ + text.length + 16;
    const withByte = (i: number, v: number) => {
      const b = good.slice();
      b[i] = v;
      return b;
    };
    const withWord = (i: number, v: number, b: Uint8Array = good.slice()) => {
      new DataView(b.buffer).setUint32(i * 4, v, false);
      return b;
    };
    const withSize = (b: Uint8Array, syms: number) => withWord(4, syms, b);
    const zoff = symoff + syms.slice(0, 5).reduce((n, s) => n + 5 + s.name.length + 1, 0);
    const cases: [string, Uint8Array, RegExp][] = [
      ['a file cut short inside the table', good.subarray(0, zoff + 8), /symbol table \(\d+ bytes\) extends beyond end of file/],
      ['a z entry without its zero pair', withWord(4, zoff - symoff + 5 + 1 + 8 + 5 + 3), /unterminated path symbol/],
      ['a truncated entry', withWord(4, 3), /truncated symbol entry at offset 0/],
      ['a name without its NUL', withWord(4, 6), /unterminated symbol name at offset 5/],
      ['a table past the end', withWord(4, 1 << 20), /symbol table \(1048576 bytes\) extends beyond end of file/],
      ['pc tables past the end', withWord(7, 1 << 20), /pc\/sp tables extend beyond end of file/],
      ['a fixed-length name cut short', withSize(withByte(symoff + 4, 0x03), 12), /truncated fixed-length symbol name at offset 5/],
    ];
    for (const [what, bytes, warn] of cases) {
      it(what, async () => {
        const a = parseAout(bytes);
        expect(a.symwarn).toMatch(warn);
        expect(a.pctab.length).toBe(0);
        // Only damage after the symbols keeps them.
        expect(a.syms).toEqual(what === 'pc tables past the end' ? syms : []);
        const r = await runImage(bytes);
        expect(r.exitstr).toBe('');
        expect(r.stderr.match(/p9emu: warning: /g)).toHaveLength(1);
        expect(r.stderr).toMatch(warn);
      });
    }
  });
});
