// The report of a run that stopped with processes blocked for good: no
// process can run, no timer is pending and no host input can come, so
// nothing will ever wake them. Each one says which call it waits in and on
// what (the fd's file, the child it awaits, the rendezvous tag), as a
// 'blocked' proc trace event and as a line the CLI prints.

import type { Plan9 } from './kernel.ts';
import type { Proc } from './proc.ts';
import { systab } from './systab.ts';

/** 'pid 3 (cat) pwrite on #|/data1' for every process still blocked. */
export function deadlockreport(k: Plan9): string[] {
  const out: string[] = [];
  for (const p of k.procs.values()) {
    if (!p.alive || p.state !== 'Wakeme') continue;
    const line = `pid ${p.pid} (${p.text}) ${waitingon(p)}`;
    k.trace.procev(p, 'blocked', line);
    out.push(line);
  }
  return out;
}

function waitingon(p: Proc): string {
  const sc = systab[p.scallnr];
  if (!sc) return 'blocked';
  const a = p.sysargs;
  // An fd first (read, write, pread, pwrite...): its file.
  if (sc.sig.startsWith('f') || sc.sig.startsWith('Vf')) {
    const fd = a[sc.sig.startsWith('V') ? 1 : 0]! | 0;
    const c = p.fgrp?.fd[fd];
    return `${sc.name} on fd ${fd}${c ? ` (${c.path})` : ''}`;
  }
  switch (sc.name) {
    case 'await': return `await for a child (${p.nchild} running)`;
    case 'rendezvous': return `rendezvous on tag 0x${(a[0]! >>> 0).toString(16)}`;
    case 'semacquire':
    case 'tsemacquire': return `${sc.name} on 0x${(a[0]! >>> 0).toString(16)}`;
    default: return sc.name;
  }
}
