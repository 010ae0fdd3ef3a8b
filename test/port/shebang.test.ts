// exec's reading of a script's first line (emu/port/shebang.ts).
import { describe, expect, it } from 'vitest';
import { scriptargv, shebang } from '../../emu/port/shebang.ts';

const b = (s: string) => new TextEncoder().encode(s);

describe('shebang', () => {
  it('splits the first line on blanks', () => {
    expect(shebang(b('#!/bin/rc -e\tx\necho\n'))).toEqual(['/bin/rc', '-e', 'x']);
  });
  it('is null for anything not starting #!', () => {
    expect(shebang(b('# comment\n'))).toBeNull();
    expect(shebang(b('#'))).toBeNull();
    expect(shebang(new Uint8Array([0, 0, 1, 0xeb]))).toBeNull();
  });
  it('is empty (exec header invalid) without a newline in 256 bytes, or without an interpreter', () => {
    expect(shebang(b('#!/bin/rc' + ' '.repeat(300) + '\n'))).toEqual([]);
    expect(shebang(b('#!  \n'))).toEqual([]);
  });
  it('keeps at most 32 words', () => {
    expect(shebang(b('#!/bin/x ' + 'a '.repeat(40) + '\n'))!.length).toBe(32);
  });
  it('gives argv as [interp name, its args, the script, the rest]', () => {
    expect(scriptargv(['/bin/rc', '-e'], '/bin/s', ['s', '1', '2'])).toEqual(['rc', '-e', '/bin/s', '1', '2']);
  });
});
