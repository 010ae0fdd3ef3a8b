// An a.out with 8l's line information, built here: the file history of a
// C file /src/main.c that includes /inc/u.h (z symbols over the f-table
// path components, in the shape 8c writes them: the file at line 1, the
// include entered at 2 and left at 12, the file's end at 60), and a pc/line
// table giving composite lines 14, 5 and 20 to the pcs 0x1020, 0x1024 and
// 0x1028. Through libmach's fline those are main.c:4, u.h:4 and main.c:10.
import { buildAout, type AoutSym } from '../../emu/aout.ts';

export const LINETAB_ROWS: readonly [number, string, number][] = [
  [0x1020, '/src/main.c', 4], [0x1023, '/src/main.c', 4],
  [0x1024, '/inc/u.h', 4], [0x1027, '/inc/u.h', 4],
  [0x1028, '/src/main.c', 10], [0x102f, '/src/main.c', 10],
];

export function linetabAout(): Uint8Array {
  const f = ['/', 'src', 'main.c', 'inc', 'u.h'];
  const syms: AoutSym[] = [
    ...f.map((name, i) => ({ name, type: 'f', value: i + 1 })),
    { name: '', type: 'z', value: 1, path: [1, 2, 3] },
    { name: '', type: 'z', value: 2, path: [1, 4, 5] },
    { name: '', type: 'z', value: 12, path: [] },
    { name: '', type: 'z', value: 60, path: [] },
    { name: 'main', type: 'T', value: 0x1020 },
    { name: 'inl', type: 't', value: 0x1024 },
    { name: 'other', type: 'T', value: 0x1028 },
  ];
  // From line 0 at pc 0x101f: +14 (pc 0x1020), 3 more pcs; -9 (0x1024), 3 more; +15 (0x1028), 7 more.
  const pctab = Uint8Array.from([14, 129 + 2, 64 + 9, 129 + 2, 15, 129 + 6]);
  return buildAout({ text: new Uint8Array(16).fill(0x90), data: new Uint8Array(0), bss: 0, entry: 0x1020, syms, pctab });
}
