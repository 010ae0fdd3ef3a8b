// The text view: system calls in the layout of Plan 9's ratrace (9front
// port/syscallfmt.c: "pid text Name pc args = ret errstr start stop"),
// other events as one short line each.

import type { SysArg, SysEnterEvent, SysEvent, TraceEvent } from './event.ts';

const NOTED = ['NCONT', 'NDFLT', 'NSAVE', 'NRSTR'];

/** sysctab's spelling (9front port/mksystab): Open, Pwrite, _errstr, Brk, Rendez. */
export function ratraceName(name: string): string {
  if (name === 'sysr1') return 'Running';
  if (name === 'rendezvous') return 'Rendez';
  if (name.startsWith('_')) return name;
  const n = name.endsWith('_') ? name.slice(0, -1) : name;
  return n.charAt(0).toUpperCase() + n.slice(1);
}

/** %#p: 0x-prefixed hex, plain 0 for nil. */
function ptr(v: number): string {
  return v === 0 ? '0' : `0x${(v >>> 0).toString(16)}`;
}

/** fmtrwdata's view of data: printable ASCII above space, '.' for the rest. */
function dotted(data: string): string {
  let out = '';
  for (let i = 0; i < data.length; i++) {
    let c = data[i]!;
    if (c === '\\') {
      const next = data[i + 1];
      if (next === '\\') i++;
      else if (next === 'x') {
        i += 3;
        c = '.';
      }
    }
    out += c > ' ' && c < '\x7f' ? c : '.';
  }
  return out;
}

function argText(a: SysArg): string {
  switch (a.t) {
    case 'str': return a.out ? ptr(a.v) : a.v === 0 ? '0/""' : `${ptr(a.v)}/"${a.s ?? ''}"`;
    case 'omode': case 'rfork': return `0x${a.v.toString(16)}`;
    case 'ptr': return ptr(a.v);
    case 'buf': return a.dir === 'in' ? (a.v === 0 ? '0x0' : ` ${ptr(a.v)}/"${dotted(a.data ?? '')}"`) : ptr(a.v);
    default: return String(a.v);
  }
}

/** What the call wrote, after the entry text (sysretfmt): out-buffers and out-strings, and the words after them. */
function outText(args: readonly SysArg[], ret: number): string {
  const i = args.findIndex((a) => (a.t === 'buf' && a.dir === 'out') || (a.t === 'str' && a.out));
  if (i < 0) return '';
  const a = args[i]!;
  const head = a.t === 'buf'
    ? (ret > 0 ? `${ptr(a.v)}/"${dotted(a.data ?? '')}"` : '/""')
    : `${ptr(a.v)}/"${a.t === 'str' ? a.s ?? '' : ''}"`;
  return ' ' + [head, ...args.slice(i + 1).map(argText)].join(' ');
}

function enterText(e: SysEnterEvent | SysEvent): string {
  return `${e.pid} ${e.text} ${ratraceName(e.name)} ${(e.pc >>> 0).toString(16)} ${e.args.map(argText).join(' ')}`;
}

function exitText(e: SysEvent): string {
  const err = e.ret === -1 ? e.err : '""';
  return `${outText(e.args, e.ret)} = ${e.ret} ${err} ${e.t0} ${e.t1}`;
}

/** A call in the short form the kernel tests read: open(0x2000/"/dev/cons", 0x0). */
export function callText(e: SysEnterEvent | SysEvent): string {
  return `${e.name}(${e.args.map((a) => argText(a).trim()).join(', ')})`;
}

function otherText(ev: Exclude<TraceEvent, SysEnterEvent | SysEvent>): string {
  switch (ev.kind) {
    case 'note': {
      const extra =
        ev.what === 'deliver' ? ` ureg=0x${(ev.ureg ?? 0).toString(16)} pc=0x${(ev.pc ?? 0).toString(16)}`
        : ev.what === 'noted' ? ` ${NOTED[ev.mode ?? 1] ?? `mode=${ev.mode}`}`
        : ev.from !== undefined ? ` from ${ev.from}` : '';
      return `${ev.pid} note ${ev.what} "${ev.msg}"${extra}`;
    }
    case 'proc':
      return `${ev.pid} ${ev.what} ${ev.detail}`;
    case 'fault':
      return `${ev.pid} fault ${ev.note} pc=0x${ev.pc.toString(16)}`;
    case 'insn': {
      const regs = ev.regs ? '\t; ' + Object.entries(ev.regs).map(([r, v]) => `${r}=${(v >>> 0).toString(16)}`).join(' ') : '';
      return `${ev.pid} ${ev.pc.toString(16).padStart(8, '0')} ${ev.bytes.padEnd(14)} ${ev.asm.padEnd(32)} ${ev.sym}${regs}`.trimEnd();
    }
  }
}

/**
 * ratrace's behaviour: a call's entry and exit share a line unless another
 * process's event comes between them; then the entry is printed alone and
 * the exit follows later on a line of its own, prefixed with the pid.
 */
export class TextFormatter {
  private pending = new Map<number, SysEnterEvent>();

  /** The lines (without newlines) an event produces. */
  lines(ev: TraceEvent): string[] {
    const out: string[] = [];
    for (const [pid, e] of this.pending) {
      if (pid === ev.pid) continue;
      out.push(enterText(e));
      this.pending.delete(pid);
    }
    if (ev.kind === 'sysenter') {
      this.pending.set(ev.pid, ev);
    } else if (ev.kind === 'sys') {
      const head = this.pending.has(ev.pid) ? enterText(ev) : `${ev.pid} ...`;
      this.pending.delete(ev.pid);
      out.push(head + exitText(ev));
    } else {
      out.push(otherText(ev));
    }
    return out;
  }

  /** Entries of calls still running when the trace ends. */
  flush(): string[] {
    const out = [...this.pending.values()].map(enterText);
    this.pending.clear();
    return out;
  }
}
