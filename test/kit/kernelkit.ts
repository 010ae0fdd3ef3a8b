// A minimal kernel for port/ unit tests: a process table, notes queued by
// the real pushnote, a console in memory, and processes whose memory is a
// plain data segment, so a test can place a string and call a system call
// directly: sysopen(p, [k.str(p, '/dev/pid'), OREAD]). No CPU runs.

import type { Cpu, HostAlloc, HostMem } from '../../emu/cpu/cpu.ts';
import type { Flavor } from '../../emu/port/dat.ts';
import type { Kernel, KernelConfig, HostRoot } from '../../emu/port/kernel.ts';
import type { Sysfn } from '../../emu/port/sysarg.ts';
import { BufferConsole } from '../../emu/port/console.ts';
import { NExit } from '../../emu/port/dat.ts';
import { newegrp } from '../../emu/port/devenv.ts';
import { isKernelError } from '../../emu/port/error.ts';
import { Fgrp } from '../../emu/port/fgrp.ts';
import { pushnote } from '../../emu/port/note.ts';
import { newpgrp } from '../../emu/port/pgrp.ts';
import { Proc } from '../../emu/port/proc.ts';
import { Sleep } from '../../emu/port/rendez.ts';
import { Sched } from '../../emu/port/sched.ts';
import { AddressSpace, Segment } from '../../emu/port/segment.ts';

/** Host memory as a plain ArrayBuffer. */
export const arrayAlloc: HostAlloc = (size): HostMem => ({ size, bytes: new Uint8Array(size), handle: null, free() {} });

/** A CPU that only accepts mappings: the kernel reads guest memory itself. */
const nocpu = { map() {}, unmap() {}, protect() {} } as unknown as Cpu;

/** The data segment every test process gets, and its size. */
export const DATA = 0x10000;
export const DATASIZE = 0x10000;

/** Fixed clocks, so outputs are reproducible. */
export const NOW = 1_700_000_000_123_456_789;
export const UPTIME = 5_000_000_000;

export interface KitOptions {
  flavor?: Flavor;
  input?: string;
  eof?: boolean;
  env?: Record<string, string>;
  root?: HostRoot | null;
}

export class TestKernel {
  readonly procs = new Map<number, Proc>();
  readonly sched: Sched;
  readonly config: KernelConfig;
  readonly console: BufferConsole;
  /** Every note posted, in order, whether queued or not. */
  readonly posted: { pid: number; msg: string; flag: number; ok: boolean }[] = [];
  private npid = 0;
  /** Bump allocator over each process's data segment. */
  private readonly brk = new Map<Proc, number>();

  constructor(o: KitOptions = {}) {
    this.console = new BufferConsole(o.input ?? '', o.eof ?? true);
    this.config = {
      flavor: o.flavor ?? '9front', console: this.console, root: o.root ?? null,
      env: o.env ?? {}, ncpu: 2, sysname: 'gnot', user: 'glenda',
    };
    this.sched = new Sched(() => this.now(), () => this.procs.values());
  }

  get flavor(): Flavor { return this.config.flavor; }
  get kernel(): Kernel { return this as unknown as Kernel; }
  now(): number { return NOW; }
  uptime(): number { return UPTIME; }
  random(n: number): Uint8Array { return new Uint8Array(n).map((_, i) => (i * 37 + 11) & 0xff); }
  readonly sysbefore = null;
  readonly sysafter = null;

  postnote(p: Proc, msg: string, flag: number): boolean {
    const ok = pushnote(p, msg, flag);
    this.posted.push({ pid: p.pid, msg, flag, ok });
    return ok;
  }

  pgrpnote(noteid: number, msg: string, flag: number, except: Proc | null): void {
    for (const p of this.procs.values()) if (p !== except && p.noteid === noteid && p.alive) this.postnote(p, msg, flag);
  }

  killproc(p: Proc): void {
    p.procctl = 'exitme';
    this.postnote(p, 'sys: killed', NExit);
  }

  /** A running process with its own fds, the boot name space and environment, and a data segment. */
  newproc(text = 'test', parent: Proc | null = null): Proc {
    const p = new Proc(this.kernel, ++this.npid, text);
    p.state = 'Running';
    p.user = this.config.user;
    p.as = new AddressSpace(nocpu);
    p.as.attach(new Segment('data', DATA, DATA + DATASIZE, arrayAlloc(DATASIZE), 3));
    p.fgrp = new Fgrp();
    p.pgrp = parent?.pgrp ?? newpgrp(this.config);
    p.egrp = parent?.egrp ?? newegrp(this.config.env);
    if (parent) { p.ppid = parent.pid; p.noteid = parent.noteid; }
    this.procs.set(p.pid, p);
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
  try {
    return fn(p, a);
  } catch (e) {
    if (isKernelError(e)) return e.errstr;
    if (e instanceof Sleep) return 'sleep';
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
