import { describe, expect, it } from 'vitest';
import { TestKernel, errof, text } from '../kit/kernelkit.ts';
import { ls } from '../kit/devkit.ts';
import { newpipe, PIPEQSIZE } from '../../emu/port/devpipe.ts';
import { cclose } from '../../emu/port/chan.ts';
import { NUser } from '../../emu/port/dat.ts';
import type { Chan } from '../../emu/port/dev.ts';

function setup() {
  const k = new TestKernel();
  const p = k.proc();
  const [a, b] = newpipe(p);
  const w = (c: Chan, s: string | Uint8Array) => c.dev.write(p, c, typeof s === 'string' ? Buffer.from(s) : s, 0);
  const r = (c: Chan, n = 100) => text(c.dev.read(p, c, n, 0));
  return { k, p, a, b, w, r };
}

describe('#|', () => {
  it('carries data both ways', () => {
    const { a, b, w, r } = setup();
    w(a, 'to data1');
    w(b, 'to data');
    expect(r(b)).toBe('to data1');
    expect(r(a)).toBe('to data');
  });

  it('keeps write boundaries: a read returns bytes of one write', () => {
    const { a, b, w, r } = setup();
    w(a, 'one');
    w(a, 'two');
    expect(r(b)).toBe('one');
    expect(r(b, 2)).toBe('tw');
    expect(r(b)).toBe('o');
  });

  it('a read of an empty pipe blocks', () => {
    const { b, r } = setup();
    expect(errof(() => r(b))).toBe('sleep');
  });

  it('a writer that fills the queue waits', () => {
    const { a, w } = setup();
    w(a, new Uint8Array(PIPEQSIZE));
    expect(errof(() => w(a, 'more'))).toBe('sleep');
  });

  it('reads what is left after the other end closes, then EOF, and fails on the fourth EOF', () => {
    const { p, a, b, w, r } = setup();
    w(a, 'last');
    cclose(p, a);
    expect(r(b)).toBe('last');
    expect([r(b), r(b), r(b)]).toEqual(['', '', '']);
    expect(errof(() => r(b))).toBe('i/o on hungup channel');
  });

  it('a write with no reader posts "sys: write on closed pipe" and fails', () => {
    const { k, p, a, b, w } = setup();
    cclose(p, b);
    expect(errof(() => w(a, 'x'))).toBe('i/o on hungup channel');
    expect(p.notes).toEqual([{ msg: 'sys: write on closed pipe', flag: NUser }]);
    expect(k.posted).toHaveLength(1);
  });

  it('stays open while another reference is held', () => {
    const { p, a, b, w, r } = setup();
    b.ref++;
    cclose(p, b);
    w(a, 'still');
    expect(r(b)).toBe('still');
  });

  it('lists data and data1 with what each has to read', () => {
    const { p } = setup();
    expect(ls(p, '#|')).toEqual(['data', 'data1']);
  });

  it('stat gives the unread length', () => {
    const { p, a, b, w } = setup();
    w(a, 'abc');
    expect(b.dev.stat(p, b)).toMatchObject({ name: 'data1', length: 3 });
  });
});
