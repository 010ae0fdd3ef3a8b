// The text files of /proc/N (9front and 4e port/devproc.c procread):
// status, segment, fd, ns, args and wait, each in its kernel's format.
// docs/proc.md lists them with examples.

import { cputimes } from './cputime.ts';
import type { Proc, Waitmsg } from './proc.ts';
import type { Segment } from './segment.ts';
import { fdprint } from './devdup.ts';
import { quote } from './parse.ts';
import { sysctab } from './syscallfmt.ts';
import { MAFTER, MBEFORE, MCREATE } from './union.ts';
import { profiled } from './profile.ts';

const KNAMELEN = 28;
const NUMSIZE = 12;
/** /proc/N/status is this long in both kernels (2*KNAMELEN+12+9*NUMSIZE). */
export const STATSIZE = 2 * KNAMELEN + 12 + 9 * NUMSIZE;

/**
 * The state word ps shows: Stopped, Broken, Moribund, the system call a
 * process is in (9front psstate = sysctab[scallnr] during a call: Pread,
 * Await, Rendez, Sleep…), else the scheduler's state.
 */
export function psstate(up: Proc, p: Proc): string {
  if (p.state === 'Stopped' || p.psstate) return p.psstate || p.state;
  const inside = p.state === 'Wakeme' || (p === up && p.scallnr >= 0);
  return (inside && sysctab(p.scallnr)) || p.state;
}

/** Memory in KiB as ps counts it: 9front every segment, 4e all but the stack. */
function memkb(p: Proc): number {
  if (!p.as) return 0;
  const segs = p.kernel.flavor === '4e' ? p.as.segs.filter((s) => s.type !== 'stack') : p.as.segs;
  return Math.floor(segs.reduce((n, s) => n + (s.top - s.base), 0) / 1024);
}

/**
 * 9front: "%-27s %-27s %-11s" and nine "%11lud", blank-separated, then a
 * newline. 4e: text, user and state at columns 0, 28, 56 of a blank-filled
 * buffer, then nine "%11lud " fields (readnum), no newline. Both STATSIZE
 * bytes: user, system and real time, the children's three, memory in KiB,
 * base and current priority.
 */
export function statustext(up: Proc, p: Proc): string {
  const nums = [...cputimes(p), memkb(p), p.basepri, p.basepri].map((v) => String(Math.floor(v)).padStart(11));
  const state = psstate(up, p);
  if (up.kernel.flavor === '4e') {
    const col = (s: string, w: number) => s.padEnd(w).slice(0, w);
    return col(p.text, KNAMELEN) + col(p.user, KNAMELEN) + col(state, 12) + nums.map((n) => n + ' ').join('');
  }
  return `${p.text.padEnd(27)} ${p.user.padEnd(27)} ${state.padEnd(11)} ` + nums.join(' ') + '\n';
}

/** Plan 9's segment names (portdat.h SG_TEXT…): "memory" segattach segments are SG_BSS. */
const SNAME: Record<Segment['type'], string> = {
  text: 'Text', data: 'Data', bss: 'Bss', stack: 'Stack', shared: 'Shared', memory: 'Bss',
};

/** The order of p->seg[]: SSEG, TSEG, DSEG, BSEG, then the attached ones. */
const SLOT: Record<string, number> = { stack: 0, text: 1, data: 2, bss: 3 };

/**
 * One line a segment: 9front "%-6s %c%c %8p %8p %4ld", 4e "%-6s %c%c
 * %.8lux %.8lux %4ld" (name, R for read-only, P when profiled, base, top,
 * sharers). acid finds the stack's top in the first line.
 */
export function segmenttext(p: Proc): string {
  const segs = [...(p.as?.segs ?? [])].sort((a, b) => (SLOT[a.type] ?? 4) - (SLOT[b.type] ?? 4));
  const nine = p.kernel.flavor === '9front';
  const addr = (v: number) => (nine ? v.toString(16).padStart(8) : v.toString(16).padStart(8, '0'));
  return segs.map((s) => {
    const ro = s.type === 'text' || (s.attr & 0x20) !== 0 ? 'R' : ' ';
    const prof = profiled(s) ? 'P' : ' ';
    return `${SNAME[s.type].padEnd(6)} ${ro}${prof} ${addr(s.base)} ${addr(s.top)} ${String(s.users.size).padStart(4)}\n`;
  }).join('');
}

/** The current directory, then one line per open fd (9front readfd1, 4e procfds: qid.vers padded to the widest). */
export function fdtext(p: Proc): string {
  const fds = p.fgrp?.fd ?? [];
  const w = p.kernel.flavor === '4e' ? Math.max(0, ...fds.map((c) => (c ? String(c.qid.vers).length : 0))) : 0;
  let s = p.dot + '\n';
  fds.forEach((c, fd) => { if (c) s += fdprint(c, fd, w); });
  return s;
}

function mflag(flag: number): string {
  let s = '';
  if (flag & MAFTER) s += 'a';
  if (flag & MBEFORE) s += 'b';
  if (flag & MCREATE) s += 'c';
  return s ? '-' + s : '';
}

/**
 * The name space as bind and mount commands, then "cd DIR" (9front
 * readns1 quotes with %q; 4e prints bare strings). A union's members
 * before the directory itself were bound -b, those after it -a.
 */
export function nstext(p: Proc): string {
  const q = p.kernel.flavor === '9front' ? (s: string) => quote(s) : (s: string) => s;
  let out = '';
  for (const [old, ms] of p.pgrp?.mnt ?? []) {
    const self = ms.findIndex((m) => m.to.path === old && m.to.dev.dc !== 'M');
    ms.forEach((m, i) => {
      if (i === self) return;
      const order = self < 0 ? 0 : i < self ? MBEFORE : MAFTER;
      const flag = mflag(order | m.flag);
      if (m.to.dev.dc === 'M') {
        const over = (m.to.aux as { m?: { c?: { path?: string } } } | undefined)?.m?.c?.path ?? '#M';
        out += `mount ${flag} ${q(over)} ${q(old)}\n`;
      } else {
        out += `bind ${flag} ${q(m.to.path)} ${q(old)}\n`;
      }
    });
  }
  return out + `cd ${q(p.dot)}\n`;
}

/** How much of argv exec keeps for /proc/N/args (9front sysexec: 128 bytes, cut at a rune). */
const NARGS = 128;

/** argv as exec kept it, each %q-quoted, blank-separated; 9front "TEXT [ARGS]" once written. */
export function argstext(p: Proc): string {
  if (p.argstext !== null) return `${p.text} [${p.argstext}]`;
  const enc = new TextEncoder();
  let b = enc.encode(p.args.map((a) => a + '\0').join(''));
  if (b.length > NARGS) {
    let n = NARGS;
    while (n > 0 && (b[n]! & 0xc0) === 0x80) n--;
    b = b.subarray(0, n);
  }
  const strs = new TextDecoder().decode(b).split('\0');
  if (strs[strs.length - 1] === '') strs.pop();
  return strs.map((s) => quote(s)).join(' ');
}

/** A wait record as await and /proc/N/wait give it: "pid user sys real 'msg'" (times in ms). */
export function waittext(w: Waitmsg): string {
  return `${w.pid} ${w.time[0]} ${w.time[1]} ${w.time[2]} ${quote(w.msg)}`;
}
