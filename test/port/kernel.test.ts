import { describe, expect, it } from 'vitest';
import { NOW, TestKernel } from '../kit/kernelkit.ts';
import { namec } from '../../emu/port/chan.ts';
import { newpipe } from '../../emu/port/devpipe.ts';
import { MAFTER } from '../../emu/port/union.ts';
import { ORDWR } from '../../emu/port/dat.ts';

/** What a fresh kernel names: a bind's mount id, a pipe's qid path, a /tmp file's qid path and mtime. */
function names(k: TestKernel) {
  const p = k.proc();
  const pipe = newpipe(p)[0].qid.path;
  const c = namec(p, '/tmp/f', 'create', ORDWR, 0o666);
  const root = namec(p, '/tmp', 'stat');
  const id = p.pgrp.mount(namec(p, '/env', 'bind'), namec(p, '/tmp', 'mount'), MAFTER);
  return { id, pipe, tmp: c.qid.path, mtime: root.dev.stat(p, root).mtime };
}

describe('the kernel', () => {
  it('numbers mounts, pipes and /tmp files per kernel, so two runs in one process agree', () => {
    const a = names(new TestKernel());
    expect(names(new TestKernel())).toEqual(a);
    expect(a.id).toBeGreaterThan(0);
  });

  it("dates /tmp's root by the kernel's clock (the virtual one under --deterministic)", () => {
    expect(names(new TestKernel()).mtime).toBe(Math.floor(NOW / 1e9));
  });
});
