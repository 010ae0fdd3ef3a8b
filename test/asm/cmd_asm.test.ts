// bin/cmd_asm.ts: the `p9emu asm` command.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { asmMain, defaultOutput } from '../../bin/cmd_asm.ts';
import { parseAout } from '../../emu/aout.ts';

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cmdasm-'));

describe('p9emu asm', () => {
  it('prints the symbols as one line of JSON with --json and writes the a.out', async () => {
    const dir = tmp();
    const src = path.join(dir, 'notify.s');
    fs.writeFileSync(src, 'TEXT runtime·notify(SB),7,$0\n\tMOVL\t$28, AX\n\tINT\t$64\n\tRET\n');
    const outFile = path.join(dir, 'a.out');
    expect(await asmMain([src, '-o', outFile, '--json'])).toBe(0);
    expect(out.join('')).toBe('{"symbols":[{"name":"runtime.notify","type":"T","value":4128,"size":8,"hex":"b81c000000cd40c3"}]}\n');
    expect(parseAout(fs.readFileSync(outFile)).entry).toBe(4128);
  });

  it('writes FILE.out next to FILE.s when -o is absent', async () => {
    const dir = tmp();
    const src = path.join(dir, 'hello.s');
    fs.writeFileSync(src, 'TEXT _main(SB),4,$0\n\tRET\n');
    expect(defaultOutput(src)).toBe(path.join(dir, 'hello.out'));
    expect(await asmMain([src])).toBe(0);
    expect(fs.existsSync(path.join(dir, 'hello.out'))).toBe(true);
    expect(out).toEqual([]);
  });

  it('prints errors to stderr and returns 1', async () => {
    const dir = tmp();
    const src = path.join(dir, 'bad.s');
    fs.writeFileSync(src, 'TEXT _main(SB),4,$0\n\tBOGUS\n\tRET\n');
    expect(await asmMain([src])).toBe(1);
    expect(err.join('')).toBe(`${src}:2: unknown instruction BOGUS\n`);
    expect(fs.existsSync(path.join(dir, 'bad.out'))).toBe(false);
  });

  it('honours --entry and explains usage with --help', async () => {
    const dir = tmp();
    const src = path.join(dir, 'two.s');
    fs.writeFileSync(src, 'TEXT a(SB),4,$0\n\tRET\nTEXT b(SB),4,$0\n\tRET\n');
    expect(await asmMain([src, '--entry', 'b'])).toBe(0);
    expect(parseAout(fs.readFileSync(path.join(dir, 'two.out'))).entry).toBe(0x1021);
    expect(await asmMain(['--help'])).toBe(0);
    expect(out.join('')).toContain('usage: p9emu asm FILE.s');
    expect(await asmMain([])).toBe(2);
  });
  it('searches -I directories for #include and predefines -D macros, as go tool asm', async () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'inc'));
    fs.writeFileSync(path.join(dir, 'inc', 'num.h'), '#define CALLNUM NUM\n');
    const src = path.join(dir, 'd.s');
    fs.writeFileSync(src, '#include "num.h"\nTEXT f(SB),7,$0\n\tMOVL\t$CALLNUM, AX\n#ifdef EXTRA\n\tINT\t$3\n#endif\n\tRET\n');
    const o = path.join(dir, 'd.out');
    expect(await asmMain([src, '-o', o, '-I', path.join(dir, 'inc'), '-DNUM=28', '-D', 'EXTRA', '--json'])).toBe(0);
    expect(JSON.parse(out.join('')).symbols[0].hex).toBe('b81c000000cd03c3');
    expect(await asmMain([src, '-o', o])).toBe(1);
    expect(err.join('')).toMatch(/cannot find num\.h/);
    expect(await asmMain([src, '-D', '1x'])).toBe(2);
  });
});
