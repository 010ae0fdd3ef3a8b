import { describe, expect, it } from 'vitest';
import { lookupcmd, parsecmd, quote, tokenize } from '../../emu/port/parse.ts';
import { numfield, readnum, readstr } from '../../emu/port/readnum.ts';
import { errof, text } from '../kit/kernelkit.ts';

describe('quote', () => {
  it.each([
    ['plain', false, 'plain'], ['', false, "''"], ['a b', false, "'a b'"], ["it's", false, "'it''s'"],
    ['plain', true, "'plain'"],
  ])('quotes %j (always=%s) as %s', (s, always, want) => {
    expect(quote(s, always)).toBe(want);
  });
});

describe('tokenize and lookupcmd', () => {
  it('splits on blanks and honours quotes', () => {
    expect(tokenize("  kill  'a b' 'it''s'\n")).toEqual(['kill', 'a b', "it's"]);
  });

  it('drops one trailing newline', () => {
    expect(parsecmd(new TextEncoder().encode('kill\n')).f).toEqual(['kill']);
  });

  const tab = [{ index: 1, cmd: 'kill', narg: 1 }, { index: 2, cmd: 'pri', narg: 2 }, { index: 3, cmd: 'trace', narg: 0 }];
  const cmd = (s: string) => lookupcmd(parsecmd(new TextEncoder().encode(s)), tab);

  it('finds the verb and checks the count', () => {
    expect(cmd('pri 5').index).toBe(2);
    expect(cmd('trace a b c').index).toBe(3);
    expect(errof(() => cmd('pri'))).toBe('wrong #args in control message "pri"');
    expect(errof(() => cmd("nope 'x y'"))).toBe('unknown control message "nope \'x y\'"');
  });
});

describe('readnum and readstr', () => {
  it('formats a 12-byte field', () => {
    expect(numfield(42)).toBe('         42 ');
    expect(text(readnum(42, 100, 0))).toBe('         42 ');
    expect(text(readnum(42, 3, 10))).toBe('2 ');
    expect(readnum(42, 3, 12)).toHaveLength(0);
  });

  it('reads a string at an offset', () => {
    expect(text(readstr('hello', 3, 1))).toBe('ell');
    expect(readstr('hello', 3, 5)).toHaveLength(0);
  });
});
