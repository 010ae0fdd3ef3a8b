// Kernels for port/ unit tests: the real kernel (port/kernel.ts) with the
// 386 half, on fake CPUs over JS memory (no libunicorn), a console in
// memory and fixed clocks. Each test process gets a plain data segment, so
// a test can place a string and call a system call directly:
// sysopen(p, [k.str(p, '/dev/pid'), OREAD]). No CPU runs.

import type { Flavor } from '../../emu/port/dat.ts';
import type { HostRoot } from '../../emu/port/kernel.ts';
import type { Sysfn } from '../../emu/port/sysarg.ts';
import type { Proc } from '../../emu/port/proc.ts';
import { arch386 } from '../../emu/386/main.ts';
import { pc } from '../../emu/conf.ts';
import { fakeMachine } from '../../emu/cpu/machine.ts';
import { BufferConsole } from '../../emu/port/console.ts';
import { newegrp } from '../../emu/port/devenv.ts';
import { isKernelError } from '../../emu/port/error.ts';
import { Fgrp } from '../../emu/port/fgrp.ts';
import { Plan9 } from '../../emu/port/kernel.ts';
import { Sleep } from '../../emu/port/rendez.ts';
import { dropsyschan } from '../../emu/port/syschan.ts';
import { Segment } from '../../emu/port/segment.ts';
import { MEMDEFAULT, PROCSDEFAULT } from '../../emu/port/vmem.ts';

/** The data segment every test process gets, and its size. */
export const DATA = 0x10000;
export const DATASIZE = 0x10000;

/** Fixed clocks, so outputs are reproducible. */
export const NOW = 1_700_000_000_123_456_789;
/** NOW to the nanosecond, which a double cannot hold: what bintime, time and nsec must give. */
export const NOWNS = 1_700_000_000_123_456_789n;
export const UPTIME = 5_000_000_000;

export interface KitOptions {
  flavor?: Flavor;
  input?: string;
  eof?: boolean;
  env?: Record<string, string>;
  root?: HostRoot | null;
}

/** The real kernel on fake CPUs, with helpers to make processes and put data in their memory. */
export class TestKernel extends Plan9 {
  readonly console: BufferConsole;
  /** Every note posted, in order, whether queued or not (from the kernel's note events). */
  readonly posted: { pid: number; msg: string; flag: number; ok: boolean }[] = [];
  /** Bump allocator over each process's data segment. */
  private readonly brk = new Map<Proc, number>();

  constructor(o: KitOptions = {}) {
    const console = new BufferConsole(o.input ?? '', o.eof ?? true);
    const config = {
      flavor: o.flavor ?? '9front', console, root: o.root ?? null,
      env: o.env ?? {}, ncpu: 2, sysname: 'gnot', user: 'glenda', mem: MEMDEFAULT, nproc: PROCSDEFAULT,
    } as const;
    super(config, fakeMachine(), arch386, pc);
    this.console = console;
    this.clock = { now: () => NOW, nsec: () => NOWNS, uptime: () => UPTIME };
    this.random = (n) => new Uint8Array(n).map((_, i) => (i * 37 + 11) & 0xff);
    this.trace.listen(['notes'], (e) => {
      if (e.kind === 'note' && (e.what === 'post' || e.what === 'drop')) {
        this.posted.push({ pid: e.pid, msg: e.msg, flag: e.flag ?? 0, ok: e.what === 'post' });
      }
    });
  }

  /** A running process with its own fds, the boot name space and environment, and a data segment. */
  proc(text = 'test', parent: Proc | null = null): Proc {
    const p = this.newproc(text);
    p.state = 'Running';
    p.as.attach(new Segment('data', DATA, DATA + DATASIZE, this.machine.alloc(DATASIZE), 3));
    p.fgrp = new Fgrp();
    p.pgrp = parent?.pgrp ?? this.newpgrp();
    p.egrp = parent?.egrp ?? newegrp(this.config.env);
    if (parent) { p.ppid = parent.pid; p.noteid = parent.noteid; }
    this.brk.set(p, DATA);
    return p;
  }

  /** Room for n bytes in p's data segment (zeroed). */
  alloc(p: Proc, n: number): number {
    const a = this.brk.get(p)!;
    this.brk.set(p, a + ((n + 7) & ~7));
    return a;
  }

  /** A NUL-terminated string in p's memory. */
  str(p: Proc, s: string): number {
    return this.bytes(p, new TextEncoder().encode(s + '\0'));
  }

  bytes(p: Proc, b: Uint8Array): number {
    const a = this.alloc(p, b.length);
    p.as.write(a, b);
    return a;
  }
}

/** Run a system call; the result, or the errstr it fails with, or 'sleep' when it would block. */
export function call(fn: Sysfn, p: Proc, args: number[]): number | string {
  const a = [...args, 0, 0, 0, 0, 0].slice(0, 5).map((x) => x >>> 0);
  // As trap.ts runs a call: the RPC journal replays from the start, and goes when the call completes.
  p.rpcnext = 0;
  try {
    const r = fn(p, a);
    p.rpclog.length = 0;
    dropsyschan(p);
    return r;
  } catch (e) {
    if (e instanceof Sleep) return 'sleep';
    p.rpclog.length = 0;
    dropsyschan(p);
    if (isKernelError(e)) return e.errstr;
    throw e;
  }
}

/** The errstr a throwing function fails with (for device-level tests). */
export function errof(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isKernelError(e)) return e.errstr;
    if (e instanceof Sleep) return 'sleep';
    throw e;
  }
  return 'no error';
}

export function text(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}
