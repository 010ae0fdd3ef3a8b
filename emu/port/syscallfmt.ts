// The text of /proc/N/syscall (9front port/syscallfmt.c syscallfmt and
// sysretfmt): one line per traced system call, its entry part written
// when the process stops at the call and its exit part (" = ret ...\n")
// when it stops on the way back. ratrace prints these as they come.
//
// Numbers follow Plan 9's print verbs: %p is bare hex, %#p and %#ux hex
// with 0x, %d %ld signed, %lud unsigned.

import type { Proc } from './proc.ts';
import { systab } from './systab.ts';

/** 9front's sysctab: the call's name as ps shows it (mksystab: capitalized, Sysr1 is Running, Rendezvous Rendez). */
export function sysctab(nr: number): string | undefined {
  const name = systab[nr]?.name;
  if (name === undefined) return undefined;
  switch (name) {
    case 'sysr1': return 'Running';
    case 'rendezvous': return 'Rendez';
    case 'brk_': return 'Brk';
    case 'nsec': return '_nsec';
  }
  return name.startsWith('_') ? name : name[0]!.toUpperCase() + name.slice(1);
}

/** Calls in 9front's table (sys.h ends at _NSEC, 53). */
const NSYSCALL = 54;

const hex = (v: number): string => (v >>> 0).toString(16);
/** %#p, %#ux: 0 prints 0x0. */
const xp = (v: number): string => '0x' + hex(v);
const d = (v: number): string => String(v | 0);
const u = (v: number): string => String(v >>> 0);
const vlong = (lo: number, hi: number): bigint => BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));

/** fmtuserstring: ADDR/"string" (NUL-terminated, at most 64 KiB), 0/"" for nil. */
function ustr(up: Proc, a: number, suffix: string): string {
  if (a === 0) return `0/""${suffix}`;
  const s = up.as.str(a, 1 << 16) ?? readto(up, a);
  return `${xp(a)}/"${s}"${suffix}`;
}

/** What is readable of an unterminated string: up to the end of its segment. */
function readto(up: Proc, a: number): string {
  const s = up.as.seg(a);
  if (!s) return '';
  return new TextDecoder().decode(up.as.read(a, Math.min(s.top - a, 1 << 16)));
}

/** fmtrwdata: " ADDR/"data"" with bytes outside '!'..'~' as '.'; "0x0" for nil. */
function rwdata(up: Proc, a: number, n: number, suffix: string): string {
  if (a === 0) return `0x0${suffix}`;
  let t = '';
  if (n > 0 && up.as.okaddr(a, n, false)) {
    for (const c of up.as.read(a, n)) t += c > 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return ` ${xp(a)}/"${t}"${suffix}`;
}

/** The argv strings of exec, each after a blank, up to the nil. */
function argv(up: Proc, a: number): string {
  let s = '';
  for (let i = 0; up.as.okaddr(a + 4 * i, 4, false); i++) {
    const p = up.as.u32(a + 4 * i);
    if (p === 0) break;
    s += ' ' + ustr(up, p, '');
  }
  return s;
}

/** The entry part: "PID TEXT Name PC args" (9front syscallfmt). */
export function syscallfmt(up: Proc, nr: number, pc: number, a: readonly number[]): string {
  const [a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0] = a;
  let s = `${up.pid} ${up.text} `;
  s += nr >= NSYSCALL ? ` ${u(nr)} ` : `${sysctab(nr) ?? 'huh?'} `;
  s += `${hex(pc)} `;
  switch (nr) {
    case 0: return s + xp(a0);
    case 1: case 3: case 8: case 25: return s + ustr(up, a0, '');
    case 2: return s + ustr(up, a0, ' ') + ustr(up, a1, ' ') + xp(a2);
    case 4: case 29: return s + d(a0);
    case 5: return s + `${d(a0)} ${d(a1)}`;
    case 6: return s + `${u(a0)} `;
    case 7: return s + ustr(up, a0, '') + argv(up, a1);
    case 9: case 11: case 27: return s + `${d(a0)} ${xp(a1)}`;
    case 10: return s + d(a0) + ustr(up, a1, '');
    case 12: case 34: return s + `${xp(a0)} ${xp(a1)}`;
    case 13: return s + `${d(a0)} ` + ustr(up, a1, ' ') + `${xp(a2)} ` + ustr(up, a3, '');
    case 14: return s + ustr(up, a0, ' ') + xp(a1);
    case 16: return s + `${d(a0)} ${d(a1)} ${d(a2)}`;
    case 17: return s + d(a0);
    case 18: case 26: return s + ustr(up, a0, ' ') + xp(a1);
    case 19: return s + xp(a0);
    case 21: case 24: case 28: case 31: case 36: case 53: return s + xp(a0);
    case 22: return s + ustr(up, a0, ' ') + `${xp(a1)} ${xp(a2)}`;
    case 23: case 43: case 45: return s + `${d(a0)} ${xp(a1)} ${u(a2)}`;
    case 30: return s + `${d(a0)} ` + ustr(up, a1, ' ') + `${xp(a2)} ${u(a3)}`;
    case 32: case 33: return s + `${xp(a0)} ${u(a1)}`;
    case 35: return s + ustr(up, a0, ' ') + ustr(up, a1, '');
    case 37: case 38: case 52: return s + `${xp(a0)} ${d(a1)}`;
    case 39: return s + `${xp(a0)} ${d(a1)} 0x${BigInt.asUintN(64, vlong(a2, a3)).toString(16)} ${d(a4)}`;
    case 40: return s + `${d(a0)} ${d(a1)} ` + ustr(up, a2, ' ') + u(a3);
    case 42: case 44: return s + ustr(up, a0, ' ') + `${xp(a1)} ${u(a2)}`;
    case 41: case 47: return s + `${xp(a0)} ${u(a1)}`;
    case 46: return s + `${d(a0)} ${d(a1)} ` + ustr(up, a2, ' ') + `${xp(a3)} ` + ustr(up, a4, '');
    case 15: return s + `${d(a0)} ${xp(a1)} ${d(a2)}`;
    case 50: return s + `${d(a0)} ${xp(a1)} ${d(a2)} ${vlong(a3, a4)}`;
    case 20: return s + `${d(a0)} ` + rwdata(up, a1, Math.min(a2 | 0, 64), ' ') + d(a2);
    case 51: return s + `${d(a0)} ` + rwdata(up, a1, Math.min(a2 | 0, 64), ' ') + `${d(a2)} ${vlong(a3, a4)}`;
    default: return s;
  }
}

/**
 * The exit part: " = RET ERR START STOP\n" with what the call filled in
 * for the reading calls (9front sysretfmt). err is the call's error
 * string, or "" quoted when it did not fail; the times are ns.
 */
export function sysretfmt(up: Proc, nr: number, a: readonly number[], ret: number, err: string, start: number, stop: number): string {
  const [a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0] = a;
  const r = ret | 0;
  let e = '""';
  let s: string;
  switch (nr) {
    case 7: case 12: case 30: case 34:
      if (r === -1) e = err;
      s = ` = ${xp(ret)}`;
      break;
    case 47:
      if (r > 0) s = ustr(up, a0, ' ') + `${u(a1)} = ${r}`;
      else {
        s = `${xp(a0)}/"" ${u(a1)} = ${r}`;
        e = err;
      }
      break;
    case 1: case 41: case 23: {
      const buf = nr === 23 ? a1 : a0;
      const l = nr === 1 ? 64 : nr === 23 ? a2 : a1;
      if (r > 0) s = ustr(up, buf, ' ') + `${u(l)} = ${r}`;
      else {
        s = `"" ${u(l)} = ${r}`;
        e = err;
      }
      break;
    }
    case 15: case 50:
      if (r > 0) s = rwdata(up, a1, Math.min(r, 64), '');
      else {
        s = '/""';
        e = err;
      }
      s += ` ${d(a2)}`;
      if (nr === 50) s += ` ${vlong(a3, a4)}`;
      s += ` = ${r}`;
      break;
    default:
      if (r === -1) e = err;
      s = ` = ${r}`;
  }
  return `${s} ${e} ${BigInt(Math.round(start))} ${BigInt(Math.round(stop))}\n`;
}
