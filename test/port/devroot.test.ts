import { describe, expect, it } from 'vitest';
import { TestKernel } from '../kit/kernelkit.ts';
import { ls } from '../kit/devkit.ts';

describe('#/', () => {
  it("holds the kernel's root directories, 9front's with rc and shr; no usr (a tree's /usr must show through)", () => {
    const dirs = (flavor: '4e' | '9front') => ls(new TestKernel({ flavor }).proc('ls'), '#/').sort();
    expect(dirs('4e')).toEqual(['bin', 'dev', 'env', 'fd', 'mnt', 'n', 'net', 'net.alt', 'proc', 'root', 'srv', 'tmp']);
    expect(dirs('9front')).toEqual(['bin', 'dev', 'env', 'fd', 'mnt', 'n', 'net', 'net.alt', 'proc', 'rc', 'root', 'shr', 'srv', 'tmp']);
  });
});
