// /proc/N/watchpt (9front port/devproc.c readwatchpt, writewatchpt; pc/
// devarch.c setupwatchpts): a process's hardware watchpoints, one "rwx
// ADDR LEN" line each. The list is kept and checked as 9front's 386 kernel
// checks it; p9emu does not yet raise the debug exception ("sys:
// watchpoint N") when one is hit (machine-wide watchpoints are
// emu/debug/control.ts's).

import type { Proc } from './proc.ts';
import { error } from './error.ts';

interface Watchpt {
  type: string;  // "rwx" with '-' for each kind not watched
  addr: number;
  len: number;
}

const lists = new WeakMap<Proc, Watchpt[]>();

/** Addresses a watchpoint may cover: user space (9front USTKTOP). */
const USTKTOP = 0xdffff000;

const p8 = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');

export function watchtext(p: Proc): string {
  return (lists.get(p) ?? []).map((w) => `${w.type} ${p8(w.addr)} ${p8(w.len)}\n`).join('');
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
  const all = [...(off !== 0 ? lists.get(p) ?? [] : []), ...add];
  setupwatchpts(all);
  lists.set(p, all);
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
