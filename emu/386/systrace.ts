// Syscall enter/exit trace events (9front port/syscallfmt.c's job, as
// data). trap.ts calls these only when a sink listens to 'sys'; the
// decoded entry is kept per process until the call returns, so a call
// that blocks and reruns keeps its entry time and arguments.

import type { Proc } from '../port/proc.ts';
import type { SysArg } from '../trace/event.ts';
import { systab } from '../port/systab.ts';
import { decodeArgs, decodeOut } from './sysargs.ts';
import { sidetable } from '../port/sidetab.ts';

interface Entry {
  num: number;
  name: string;
  sig: string;
  pc: number;
  t0: number;
  args: SysArg[];
}

const entries = sidetable<Proc, Entry>();

/** INT $64 reached: decode the arguments (strings and in-buffers now, before the call changes them). */
export function sysenter(up: Proc): void {
  const k = up.kernel;
  const sc = systab[up.scallnr];
  const e: Entry = {
    num: up.scallnr,
    name: sc?.name ?? `sys${up.scallnr}`,
    sig: sc?.sig ?? '',
    pc: up.cpu.reg('pc'),
    t0: k.trace.now(),
    args: sc ? decodeArgs(up, sc.sig, up.sysargs) : [],
  };
  entries.set(up, e);
  k.trace.emit({ kind: 'sysenter', pid: up.pid, text: up.text, num: e.num, name: e.name, pc: e.pc, args: e.args, t0: e.t0 });
}

/** The call returned `ret` (its errstr set when -1). */
export function sysexit(up: Proc, ret: number, injected = false): void {
  const k = up.kernel;
  const e = entries.get(up);
  if (!e) return;
  entries.delete(up);
  decodeOut(up, e.sig, e.args, ret);
  k.trace.emit({
    kind: 'sys', pid: up.pid, text: up.text, num: e.num, name: e.name, pc: e.pc, args: e.args,
    ret: ret | 0, err: ret === -1 ? up.errstr : '', t0: e.t0, t1: k.trace.now(),
    ...(injected ? { injected } : {}),
  });
}
