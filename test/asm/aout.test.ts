// emu/aout.ts: building and parsing Plan 9 386 a.out files.

import { describe, expect, it } from 'vitest';
import { buildAout, HDRSZ, I_MAGIC, parseAout, UTZERO } from '../../emu/aout.ts';
import { assemble } from '../../asm/asm.ts';

const image = () => ({
  text: Uint8Array.from([0xb8, 0x08, 0, 0, 0, 0xcd, 0x40, 0xc3]),
  data: Uint8Array.from([1, 2, 3, 4]),
  bss: 12,
  entry: UTZERO + HDRSZ,
  syms: [
    { name: '_main', type: 'T', value: 0x1020 },
    { name: 'x', type: 'D', value: 0x2000 },
    { name: 'tmp', type: 'b', value: 0x2004 },
  ],
});

describe('a.out', () => {
  it('round-trips header, segments and symbols through buildAout and parseAout', () => {
    const img = image();
    const bytes = buildAout(img);
    expect([...bytes.subarray(0, 4)]).toEqual([0, 0, 1, 0xeb]);
    const a = parseAout(bytes);
    expect(a.magic).toBe(I_MAGIC);
    expect([...a.text]).toEqual([...img.text]);
    expect([...a.data]).toEqual([...img.data]);
    expect(a.bss).toBe(12);
    expect(a.entry).toBe(0x1020);
    expect(a.syms).toEqual(img.syms);
  });

  it('writes the symbol table in the classic format: big-endian value, type|0x80, NUL-terminated name', () => {
    const bytes = buildAout({ ...image(), syms: [{ name: 'ab', type: 'T', value: 0x1020 }] });
    const symStart = HDRSZ + 8 + 4;
    expect([...bytes.subarray(symStart)]).toEqual([0, 0, 0x10, 0x20, 'T'.charCodeAt(0) | 0x80, 0x61, 0x62, 0]);
    expect(new DataView(bytes.buffer).getUint32(16, false)).toBe(8); // syms size in the header
  });

  it('rejects malformed files with one-line messages naming the problem', () => {
    const good = buildAout(image());
    const withWord = (i: number, v: number) => {
      const b = good.slice();
      new DataView(b.buffer).setUint32(i * 4, v, false);
      return b;
    };
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, 20), /truncated header: 20 bytes, need 32/],
      [withWord(0, 0x107), /bad magic 0x107/],
      [withWord(1, 1000), /text \(1000 bytes\) extends beyond end of file/],
      [withWord(2, 1000), /data \(1000 bytes\) extends beyond end of file/],
      [withWord(5, 0x1000), /entry 0x1000 outside text \[0x1020, 0x1028\)/],
      [withWord(5, 0x1028), /entry 0x1028 outside text/],
    ];
    for (const [bytes, msg] of cases) {
      expect(() => parseAout(bytes)).toThrow(msg);
      try {
        parseAout(bytes);
      } catch (e) {
        expect((e as Error).message).not.toContain('\n');
      }
    }
  });

  it('DATA strings are bytes as in Go: \\x and octal escapes one byte each, a literal rune its UTF-8', () => {
    const r = assemble('TEXT _main(SB),7,$0\n\tRET\nDATA s+0(SB)/8, $"\\xb8\\x07·\\101"\nGLOBL s(SB), $8\nDATA c+0(SB)/4, $\'·\'\nGLOBL c(SB), $4\n', { file: 'd.s' });
    expect(r.errors).toEqual([]);
    expect(r.symbols.find((x) => x.name === 's')!.hex).toBe('b807c2b741000000');
    expect(r.symbols.find((x) => x.name === 'c')!.hex).toBe('b7000000');
  });

  it('lays out an assembled program: code at 0x1020, data on the next page, bss after data, entry _main', () => {
    const src = [
      '#include "textflag.h"',
      'TEXT helper(SB),NOSPLIT,$0',
      '\tRET',
      'TEXT _main(SB),NOSPLIT,$0',
      '\tMOVL\tcounter(SB), AX',
      '\tMOVL\t$msg(SB), BX',
      '\tCALL\thelper(SB)',
      '\tRET',
      'DATA msg+0(SB)/8, $"hi"',
      'GLOBL msg(SB), RODATA, $8',
      'GLOBL counter(SB), NOPTR, $4',
    ].join('\n');
    const r = assemble(src, { file: 'p.s' });
    expect(r.errors).toEqual([]);
    const a = parseAout(r.aout!);
    const sym = (n: string) => r.symbols.find((s) => s.name === n)!;
    expect(sym('helper')).toMatchObject({ type: 'T', value: 0x1020, size: 1 });
    expect(sym('_main')).toMatchObject({ type: 'T', value: 0x1021 });
    expect(sym('msg')).toMatchObject({ type: 'D', value: 0x2000, size: 8, hex: '6869000000000000' });
    expect(sym('counter')).toMatchObject({ type: 'B', value: 0x2008, size: 4 });
    expect(a.entry).toBe(0x1021);
    expect(a.bss).toBe(4);
    expect([...a.data]).toEqual([0x68, 0x69, 0, 0, 0, 0, 0, 0]);
    // MOVL counter(SB), AX (8b 05 abs32); MOVL $msg(SB), BX (bb imm32); CALL helper (e8 rel32 = 0x1020 - 0x1031); RET
    expect(sym('_main').hex).toBe('8b0508200000' + 'bb00200000' + 'e8efffffff' + 'c3');
    // Each function's .frame (an m symbol, as 8l writes): frame $0 plus the return address.
    expect(a.syms.map((s) => `${s.type} ${s.name}`)).toEqual(['T helper', 'm .frame', 'T _main', 'm .frame', 'D msg', 'B counter', 'T etext', 'D edata', 'B end']);
    expect(a.syms.filter((s) => s.type === 'm').map((s) => s.value)).toEqual([4, 4]);
    expect(a.syms.find((s) => s.name === 'end')!.value).toBe(0x200c);
  });
});
