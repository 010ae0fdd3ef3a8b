// The 386 machine's kernel entry points and the first process of a run
// (9front pc/main.c userinit): arch386 is what port/kernel.ts's boot()
// takes to trap a new CPU's system calls and to run a process.

import type { Arch, Plan9 } from '../port/kernel.ts';
import type { Proc } from '../port/proc.ts';
import { parseAout } from '../aout.ts';
import { treens } from '../tree/tree.ts';
import { Egrp } from '../port/devenv.ts';
import { Fgrp } from '../port/fgrp.ts';
import { consfd } from '../port/devcons.ts';
import { attachtrap, dispatch } from './trap.ts';
import { BRKMAX, loadaout } from './exec.ts';
import { procregs, regsize, setprocregs } from './procregs.ts';
import { tosaddr } from './mem.ts';

export const arch386: Arch = { attach: attachtrap, dispatch, regsize, procregs, setprocregs, tosaddr };

/**
 * What /env holds before any program runs: the kernel's ksetenv at boot
 * (4e sys/src/9/pc/main.c: cputype, service) and init's objtype
 * (sys/src/cmd/init.c). `--env` adds to it and may override. Go's runtime
 * throws 'getenv before env init' when /env is empty (runtime/env_plan9.go
 * leaves envs nil), which never happens on Plan 9.
 */
export const BOOTENV: Readonly<Record<string, string>> = { cputype: '386', objtype: '386', service: 'terminal' };

export interface SpawnOptions {
  /** argv[0] and the process's text name default to the file's last path element. */
  argv?: readonly string[];
  name?: string;
  /** The process to make parent (for await); none for the first process. */
  parent?: Proc;
  noteid?: number;
  brkmax?: number;
}

/**
 * Start a process running an a.out image, as the first process of a run
 * (or a child of `parent` sharing nothing but its note group). Throws an
 * Error with a one-line message when the image is malformed.
 */
export function spawn(k: Plan9, image: Uint8Array, opts: SpawnOptions = {}): Proc {
  const aout = parseAout(image);
  const name = opts.name ?? 'a.out';
  if (aout.symwarn) k.warn(`${name}: ${aout.symwarn}; no symbols`);
  const p = k.newproc(name);
  try {
    p.fgrp = new Fgrp();
    p.pgrp = k.newpgrp();
    p.egrp = new Egrp();
    for (const [key, v] of Object.entries({ ...BOOTENV, ...k.config.env })) p.egrp.set(key, new TextEncoder().encode(v));
    for (const fd of [0, 1, 2] as const) p.fgrp.fd[fd] = consfd(p, fd);
    if (k.config.tree) {
      const skipped = treens(p, k.config.tree);
      if (skipped.length > 0) k.warn(`/lib/namespace: not bound (p9emu lacks them): ${skipped.join('; ')}`);
    }
    if (opts.parent) {
      p.parent = opts.parent;
      p.ppid = opts.parent.pid;
      opts.parent.nchild++;
    }
    if (opts.noteid !== undefined) p.noteid = opts.noteid;
    loadaout(p, image, aout, opts.argv ?? [name], opts.brkmax ?? BRKMAX);
  } catch (e) {
    k.procs.delete(p.pid);
    p.as.detachAll();
    p.cpu.close();
    throw e;
  }
  k.trace.procev(p, 'exec', JSON.stringify(name), { name });
  k.sched.ready(p);
  return p;
}
