// 8l line numbers (emu/debug/aoutlines.ts, libmach fileline/fline) and
// their DWARF for gdb (emu/debug/dwarfline.ts).
import { describe, expect, it } from 'vitest';
import { parseAout } from '../../emu/aout.ts';
import { Aoutlines } from '../../emu/debug/aoutlines.ts';
import { lineSections } from '../../emu/debug/dwarfline.ts';
import { LINETAB_ROWS, linetabAout } from '../kit/linetab.ts';

describe('8l line tables', () => {
  const a = parseAout(linetabAout());

  it('give each pc its file and line through the include history', () => {
    const t = Aoutlines.of(a)!;
    for (const [pc, file, line] of LINETAB_ROWS) expect([pc, t.line(pc)]).toEqual([pc, { file, line }]);
    expect(t.line(0x1030)).toBeNull();  // past the table
    expect(t.rows()).toEqual([
      { pc: 0x1020, file: '/src/main.c', line: 4 },
      { pc: 0x1024, file: '/inc/u.h', line: 4 },
      { pc: 0x1028, file: '/src/main.c', line: 10 },
    ]);
  });

  it('become a .debug_line with both files; an a.out without them has none', () => {
    const secs = lineSections(a)!;
    expect(secs.map((s) => s.name)).toEqual(['.debug_info', '.debug_abbrev', '.debug_line']);
    const text = Buffer.from(secs[2]!.data).toString('latin1');
    expect(text).toContain('/src/main.c\0');
    expect(text).toContain('/inc/u.h\0');
    expect(lineSections({ ...a, pctab: new Uint8Array(0) })).toBeNull();
  });
});
