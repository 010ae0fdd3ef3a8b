// gdb's `monitor` commands (qRcmd): the kernel's view of the machine, which
// gdb itself has no words for.

import type { Debuggee } from './gdbstub.ts';

const HELP = `p9emu monitor commands:
  ps        the process table: pid, state, program, pending notes
  notes     the note queue of the current thread
  ns        the name space (mount table) of the current thread
  help      this text
`;

/** The output of monitor command `cmd` with `pid` the current thread. */
export function monitor(c: Debuggee, pid: number, cmd: string): string {
  const [word] = cmd.trim().split(/\s+/);
  switch (word) {
    case 'ps':
      return c.procs().map((p) => `${String(p.pid).padStart(6)} ${p.state.padEnd(9)} ${p.text}${p.notes.length ? `  notes: ${p.notes.map((n) => JSON.stringify(n)).join(' ')}` : ''}\n`).join('');
    case 'notes': {
      const p = c.proc(pid);
      if (!p) return `no process ${pid}\n`;
      const q = p.notes.map((n, i) => `${i}: ${JSON.stringify(n.msg)} flag ${n.flag}\n`).join('');
      const last = p.lastnote ? `last delivered: ${JSON.stringify(p.lastnote.msg)}\n` : '';
      return `pid ${pid}: ${p.notes.length} queued${p.notified ? ', in its note handler' : ''}\n${q}${last}`;
    }
    case 'ns': {
      const p = c.proc(pid);
      if (!p?.pgrp) return `no process ${pid}\n`;
      let out = '';
      for (const [path, ms] of [...p.pgrp.mnt].sort(([a], [b]) => a.localeCompare(b))) {
        for (const m of ms) out += `${path.padEnd(16)} #${m.to.dev.dc}${m.to.path === path ? '' : ` ${m.to.path}`}\n`;
      }
      return out;
    }
    case 'help':
    case undefined:
      return HELP;
    default:
      return `unknown monitor command '${word}'\n${HELP}`;
  }
}
