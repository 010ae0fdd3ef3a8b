// /proc/N/watchpt (9front port/devproc.c readwatchpt, writewatchpt; pc/
// devarch.c setupwatchpts; pc/trap.c debugexc): a process's hardware
// watchpoints, one "rwx ADDR LEN" line each, checked as 9front's 386 kernel
// checks them and raised as its debug registers raise them: an access by
// the process posts "sys: watchpoint N" (N the line's index; "0,2" when
// one instruction hit several) with the Ureg's trap 1 (VectorDE). A data
// watchpoint (rw-, -w-) is a trap, as on the 386: the access is made and
// pc is the next instruction's. An execute one (--x) is a fault: pc is the
// watched instruction's, not yet run, and as 9front sets no resume flag it
// fires again there until the watchpoint goes.
//
// The debug registers are Unicorn hooks on the process's CPU (emu/cpu/
// codehook.ts), added only while it has watchpoints, between runs: memory
// hooks on the watched bytes, and for data watchpoints a hook on every
// instruction that stops the CPU after the accessing one; for --x, a hook
// on its address. A process given any runs in instruction-count slices
// from then on, where a stop from a hook is exact (emu/cpu/exitreq.ts);
// the switch retranslates all its code once. A process never given
// watchpoints pays one test of p.watch per run. As in 9front, exec clears
// the debug registers (procsetup) but not the list; an rfork child starts
// with none. The kernel's own accesses for a system call (its arguments,
// copyin, copyout) hit the debug registers too, as on a PC: debugexc posts
// the note from kernel mode, and it goes out as the call returns, with the
// call's Ureg (trap 64, pc after the INT).

import type { Proc } from './proc.ts';
import type { RunOptions } from '../cpu/cpu.ts';
import { addCodeHook, addMemHook, addPcHook, canHookCode } from '../cpu/codehook.ts';
import { error } from './error.ts';

interface Watchpt {
  type: string;  // "rwx" with '-' for each kind not watched
  addr: number;
  len: number;
}

/** A process's watchpoints and the hooks that stand for its debug registers. */
export class Watch {
  list: Watchpt[] = [];
  /** The debug registers hold the list (exec clears them). */
  armed = false;
  /** The hooks do not yet match the list: set them up before the next run. */
  dirty = false;
  /** Bit i: watchpoint i was hit by the instruction that just ran (or is about to, --x). */
  hit = 0;
  readonly hooks = new Map<string, () => void>();
}

/** Addresses a watchpoint may cover: user space (9front USTKTOP). */
const USTKTOP = 0xdffff000;
/** The trap number of the debug exception (9front pc/io.h VectorDE). */
export const VectorDE = 1;
/** Instructions per run of a watched process when the scheduler slices by time (about a 1 ms slice). */
const WATCHQUANTUM = 200_000;

const p8 = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');

export function watchtext(p: Proc): string {
  return (p.watch?.list ?? []).map((w) => `${w.type} ${p8(w.addr)} ${p8(w.len)}\n`).join('');
}

/** strtoull(s, &e, 0) that must use all of s. */
function num(s: string): number | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const v = s.length > 1 && s[0] === '0' && !/[xX]/.test(s) ? parseInt(s, 8) : Number(s);
  return v <= 0xffffffff ? v : undefined;
}

/** Replace the list (offset 0) or add to it; a bad line changes nothing. Returns the bytes taken. */
export function writewatch(p: Proc, data: Uint8Array, off: number): number {
  const text = new TextDecoder().decode(data);
  const end = text.lastIndexOf('\n') + 1;
  const add: Watchpt[] = [];
  for (const line of text.slice(0, end).split('\n').slice(0, -1)) {
    if (line.length > 255) error('line too long');
    const f = line.trim().split(/[ \t]+/).filter((x) => x !== '');
    if (f.length === 0) continue;
    if (f.length !== 3) error('wrong number of fields');
    const kinds = new Set<string>();
    for (const ch of f[0]!) {
      if (!'rwx-'.includes(ch) || (ch !== '-' && kinds.has(ch))) error('invalid type');
      kinds.add(ch);
    }
    const addr = num(f[1]!) ?? error('invalid address');
    const len = num(f[2]!);
    if (len === undefined || len > 0x100000000 - addr) error('invalid length');
    if (addr + len > USTKTOP) error('bad address');
    add.push({ type: ['r', 'w', 'x'].map((k) => (kinds.has(k) ? k : '-')).join(''), addr, len });
  }
  const old = off !== 0 ? p.watch?.list ?? [] : [];
  // Nothing new and nothing replaced: the registers stay as they are (writewatchpt).
  if (add.length === 0 && old.length === (p.watch?.list.length ?? 0)) return end;
  const all = [...old, ...add];
  setupwatchpts(all);
  const w = (p.watch ??= new Watch());
  w.list = all;
  w.armed = all.length > 0;
  w.dirty = true;
  // A process writing its own watchpt is on its CPU: stop it so that the hooks are in place before it goes on.
  if (p.kernel.sched.current === p) p.cpu.stop();
  return end;
}

/**
 * What the 386 debug registers can hold (9front pc/devarch.c
 * setupwatchpts): four watchpoints, each rw-, -w- or --x, 1, 2 or 4 bytes
 * (8 on CPUs that have it; p9emu's does not), aligned to their length.
 */
function setupwatchpts(wp: readonly Watchpt[]): void {
  if (wp.length > 4) error('there are four watchpoints.');
  for (const w of wp) {
    if (w.type === '--x') {
      if (w.len !== 1) error('length must be 1 on breakpoints');
    } else if (w.type !== 'rw-' && w.type !== '-w-') {
      error('type must be rw-, -w- or --x');
    }
    if (w.len !== 1 && w.len !== 2 && w.len !== 4) error('length must be 1,2,4');
    if ((w.addr & (w.len - 1)) !== 0) error('address must be aligned according to length');
  }
}

/** exec (9front procsetup): the debug registers are cleared; the list stays readable. */
export function watchexec(p: Proc): void {
  const w = p.watch;
  if (!w) return;
  w.armed = false;
  w.hit = 0;
  w.dirty = true;
}

/** Before a run of p: its hooks as its list says, and the run sliced by instructions while it has any. */
export function watchrun(p: Proc, opts: RunOptions): RunOptions {
  const w = p.watch!;
  if (w.dirty) sync(p, w);
  // Once watched, always: switching the CPU between slicing by time and by instructions retranslates all its code.
  if (opts.quantum || opts.count) return opts;
  return { quantum: WATCHQUANTUM };
}

/** After a run: the note for the watchpoints hit, if any ("sys: watchpoint 0,2"). */
export function watchnote(p: Proc): string | null {
  const w = p.watch;
  if (!w || w.hit === 0) return null;
  const hit = w.list.flatMap((_, i) => (w.hit & (1 << i) ? [i] : []));
  w.hit = 0;
  return `sys: watchpoint ${hit.join(',')}`;
}

/** A system call's read or write of [a, a+size) in p's memory: its hits go out as the call returns (trap.ts finish). */
export function watchkernel(p: Proc, a: number, size: number, write: boolean): void {
  const w = p.watch;
  if (w !== null && size > 0) w.hit |= covering(w, a >>> 0, size, write ? 'w' : 'r');
}

/** Which armed watchpoints of these kinds cover any of [a, a+size). */
function covering(w: Watch, a: number, size: number, kind: 'r' | 'w' | 'x'): number {
  if (!w.armed) return 0;
  let m = 0;
  w.list.forEach((x, i) => {
    if (x.type.includes(kind) && a < x.addr + x.len && a + size > x.addr) m |= 1 << i;
  });
  return m;
}

/** Add and drop hooks to match the list; a stale hook finds nothing to match and does nothing. */
function sync(p: Proc, w: Watch): void {
  w.dirty = false;
  if (!canHookCode(p.cpu)) return;
  const want = new Map<string, () => () => void>();
  const code = p.as.code();
  for (const x of w.armed ? w.list : []) {
    if (x.type === '--x') {
      want.set(`x:${x.addr}`, () => addPcHook(p.cpu, x.addr, (pc) => {
        const m = covering(w, pc, 1, 'x');
        if (m === 0) return;
        w.hit |= m;
        p.cpu.stop();
      }));
      continue;
    }
    const kinds = { read: x.type[0] === 'r', write: true };
    // An access starting up to 15 bytes below the range (an SSE store) may cover it.
    want.set(`${x.type}:${x.addr}:${x.len}`, () => addMemHook(p.cpu, Math.max(0, x.addr - 15), x.addr + x.len - 1, kinds, (write, a, size) => {
      w.hit |= covering(w, a, size, write ? 'w' : 'r');
    }, code));
    // The stop comes before the next instruction: the access has been made, as the 386's data breakpoints trap.
    want.set('next', () => addCodeHook(p.cpu, 1, 0, () => {
      if (w.hit !== 0) p.cpu.stop();
    }, code));
  }
  for (const [key, remove] of w.hooks) {
    if (want.has(key)) continue;
    remove();
    w.hooks.delete(key);
  }
  for (const [key, add] of want) if (!w.hooks.has(key)) w.hooks.set(key, add());
}
