// Stop conditions for Guest.runUntil: what the user asks for, set up as
// the debugger control layer's breakpoints, system-call catches, note
// stops and instruction budget (emu/debug/control.ts), and the control
// layer's stops turned back into the API's Stop.

import type { Control, StopReason } from '../emu/debug/control.ts';
import { systab, sysnum } from '../emu/port/systab.ts';
import type { Program } from './program.ts';
import type { RunResult } from './shapes.ts';

/** Where runUntil stops; `pid` (where given) narrows it to one process. */
export type Until =
  /** A system call, by name ('open'), number (14) or any ('*'), at enter (default: it has not run, pc is at its INT $64) or exit (its result in AX). */
  | { syscall: string | number; when?: 'enter' | 'exit'; pid?: number }
  /** Before the instruction at an address runs. */
  | { pc: number; pid?: number }
  /** Before the instruction at a symbol of the program runs. */
  | { symbol: string; pid?: number }
  /** A note about to be delivered: the whole text, or a RegExp it matches. */
  | { note: string | RegExp; pid?: number }
  /** After this many more instructions, counting every process. */
  | { insns: number };

/** Why runUntil returned: the machine is stopped (every process held) at `pc` of `pid`, or the run is over. */
export type Stop =
  | { reason: 'syscall'; pid: number; pc: number; when: 'enter' | 'exit'; name: string; num: number; /** At exit: the result (AX). */ ret?: number }
  | { reason: 'pc'; pid: number; pc: number; /** The symbol asked for, when the condition named one. */ symbol?: string }
  /** The note is delivered when the machine goes on. */
  | { reason: 'note'; pid: number; pc: number; note: string }
  | { reason: 'insns'; pid: number; pc: number; insns: number }
  | { reason: 'exit'; result: RunResult };

/** The conditions as the control layer takes them. */
export interface Armed {
  conds: readonly Until[];
  /** Breakpoint addresses added (removed when the conditions change). */
  bps: number[];
}

/** A condition's system call number, or '*'; throws for a name or number that is no call. */
function callOf(which: string | number): number | '*' {
  if (which === '*') return '*';
  const n = typeof which === 'number' ? which : sysnum[which];
  if (n === undefined || systab[n] === undefined) throw new Error(`runUntil: no system call '${which}'`);
  return n;
}

function noteMatches(want: string | RegExp, note: string): boolean {
  return typeof want === 'string' ? want === note : want.test(note);
}

/** Check the conditions before arming anything (a bad one throws, nothing changes). */
export function checkUntil(prog: Program, conds: readonly Until[]): void {
  for (const u of conds) {
    if ('syscall' in u) callOf(u.syscall);
    else if ('symbol' in u) prog.addr(u.symbol);
    else if ('insns' in u && !(Number.isInteger(u.insns) && u.insns > 0)) throw new Error('runUntil: insns is a whole number above 0');
  }
}

/** Set the control layer's stops to exactly `conds`, undoing `prev`. */
export function arm(c: Control, prog: Program, conds: readonly Until[], prev: Armed | null): Armed {
  for (const a of prev?.bps ?? []) c.removeBreakpoint(a);
  const bps: number[] = [];
  for (const u of conds) {
    if ('pc' in u || 'symbol' in u) {
      const a = 'pc' in u ? u.pc >>> 0 : prog.addr(u.symbol);
      c.addBreakpoint(a);
      bps.push(a);
    }
  }
  const calls = conds.filter((u): u is Extract<Until, { syscall: unknown }> => 'syscall' in u);
  c.syscalls = calls.length === 0 ? null : (p, when) => calls.some((u) => {
    const n = callOf(u.syscall);
    return (u.when ?? 'enter') === when && (n === '*' || n === p.scallnr) && (u.pid === undefined || u.pid === p.pid);
  });
  const notes = conds.filter((u): u is Extract<Until, { note: unknown }> => 'note' in u);
  c.notes = notes.length === 0 ? null : (p, msg) => notes.some((u) => noteMatches(u.note, msg) && (u.pid === undefined || u.pid === p.pid));
  const budget = conds.find((u): u is Extract<Until, { insns: number }> => 'insns' in u);
  c.stopAfter(budget?.insns ?? 0);
  return { conds, bps };
}

/**
 * The API's Stop for a control-layer stop, or null when it is not one the
 * conditions asked for (a breakpoint of another pid): then the caller goes on.
 */
export function toStop(c: Control, prog: Program, armed: Armed, r: StopReason): Stop | null {
  const pc = (pid: number) => c.regs(pid).pc;
  switch (r.kind) {
    case 'breakpoint': {
      const u = armed.conds.find((x) => ('pc' in x ? x.pc >>> 0 === r.addr : 'symbol' in x && prog.addr(x.symbol) === r.addr)
        && (!('pid' in x) || x.pid === undefined || x.pid === r.pid));
      if (!u) return null;
      return { reason: 'pc', pid: r.pid, pc: r.addr, ...('symbol' in u ? { symbol: u.symbol } : {}) };
    }
    case 'syscall': {
      const name = systab[r.num]?.name ?? `sys${r.num}`;
      const s: Stop = { reason: 'syscall', pid: r.pid, pc: pc(r.pid), when: r.when, name, num: r.num };
      return r.when === 'exit' ? { ...s, ret: c.regs(r.pid).ax | 0 } : s;
    }
    case 'note': return { reason: 'note', pid: r.pid, pc: pc(r.pid), note: r.note };
    case 'count': return { reason: 'insns', pid: r.pid, pc: pc(r.pid), insns: r.n };
    default: return null;
  }
}
