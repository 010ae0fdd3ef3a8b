import { describe, expect, it } from 'vitest';
import { TestKernel, errof } from '../kit/kernelkit.ts';
import { ls, open, read } from '../kit/devkit.ts';
import { OREAD, ORCLOSE, OWRITE } from '../../emu/port/dat.ts';

function setup() {
  const k = new TestKernel();
  const p = k.proc();
  p.fgrp.newfd(open(p, '/dev/null', OREAD));
  p.fgrp.newfd(open(p, '/dev/cons', OWRITE));
  return { k, p };
}

describe('#d', () => {
  it('lists each fd and its ctl file', () => {
    expect(ls(setup().p, '/fd')).toEqual(['0', '0ctl', '1', '1ctl']);
  });

  it('opening /fd/N gives another reference to the same Chan', () => {
    const { p } = setup();
    const c = open(p, '/fd/0');
    expect(c).toBe(p.fgrp.fd[0]);
    expect(c.ref).toBe(2);
  });

  it('checks the open mode against the fd', () => {
    const { p } = setup();
    expect(errof(() => open(p, '/fd/0', OWRITE))).toBe("inappropriate use of fd: '/fd/0'");
    expect(errof(() => open(p, '/fd/1', OREAD | ORCLOSE))).toBe("permission denied: '/fd/1'");
  });

  it('Nctl describes the fd', () => {
    expect(read(setup().p, '/fd/1ctl')).toMatch(/^ {2}1 w {2}c {4}0 \([0-9a-f]{16} 0 00\) +0 +0 \/dev\/cons\n$/);
  });

  it('a closed fd is not there', () => {
    expect(errof(() => open(setup().p, '/fd/7'))).toBe("file does not exist: '/fd/7'");
  });
});
