// The scenario of issue 3: a small Plan 9 system in which init (the shell)
// starts Go programs A and B in its note group, with the 2012 runtime
// before or after commit ccdca2c, and what became of every process and
// every note. The programs are the guest sources under runtime/.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assemble } from '../../asm/asm.ts';
import { arch386, spawn } from '../386/main.ts';
import { pc } from '../conf.ts';
import type { Machine } from '../cpu/cpu.ts';
import { boot, type Plan9 } from '../port/kernel.ts';
import { BufferConsole } from '../port/console.ts';
import type { Sink, TraceCategory, TraceEvent } from '../trace/trace.ts';
import { MEMDEFAULT, PROCSDEFAULT } from '../port/vmem.ts';

export type Variant = 'before' | 'after' | 'fault';
export const VARIANTS: readonly Variant[] = ['before', 'after', 'fault'];

export interface DemoProc {
  pid: number;
  program: string;
  /** M index within its Go program (0 = main M); null for init. */
  m: number | null;
  status: string;
}

export interface DemoNote {
  /** Posting process; the kernel's own notes (faults) name the faulting process. */
  from: number | null;
  to: number;
  msg: string;
  /** What the receiver did: continues (NCONT), dies (NDFLT or no handler), exits (exits from the handler), dropped, pending. */
  action: 'continues' | 'dies' | 'exits' | 'dropped' | 'pending';
}

export interface DemoResult {
  variant: Variant;
  procs: DemoProc[];
  notes: DemoNote[];
  stdout: string;
  deadlock: boolean;
  ms: number;
}

/** The runtime/ directory, from the sources (emu/demo/) or the bundle (dist/). */
export function runtimeDir(): string {
  for (const rel of ['../../runtime/', '../runtime/']) {
    const d = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(d + 'init.s')) return d;
  }
  throw new Error('p9emu demo: cannot find the runtime/ directory');
}

/** Runtime files assembled in this process: explore runs the demo once per point, and its three programs took 16-24 ms to assemble each time (load 14). */
const assembled = new Map<string, Uint8Array>();

/** runtime/REL assembled (or SRC, as if it were that file); a copy each time. */
export function assembleRuntime(rel: string, src?: string): Uint8Array {
  const known = src === undefined ? assembled.get(rel) : undefined;
  if (known) return known.slice();
  const file = runtimeDir() + rel;
  const r = assemble(src ?? readFileSync(file, 'utf8'), { file, readFile: (p) => readFileSync(p, 'utf8') });
  if (!r.ok || !r.aout) throw new Error(r.errors.join('\n'));
  if (src === undefined) assembled.set(rel, r.aout.slice());
  return r.aout;
}

export const PROGRAMS: Record<Variant, { a: string; b: string }> = {
  before: { a: 'before/a.s', b: 'before/b.s' },
  after: { a: 'after/a.s', b: 'after/b.s' },
  fault: { a: 'fault/a.s', b: 'after/b.s' },
};

/** The variant's programs assembled, by runtime file: what an explore worker process is sent, so that it need not assemble them too. */
export function demoPrograms(v: Variant): Record<string, Uint8Array> {
  return Object.fromEntries(['init.s', PROGRAMS[v].a, PROGRAMS[v].b].map((rel) => [rel, assembleRuntime(rel)]));
}

/** Programs assembled by another process (demoPrograms), taken as this one's. */
export function knownPrograms(ps: Record<string, Uint8Array>): void {
  for (const [rel, aout] of Object.entries(ps)) assembled.set(rel, aout.slice());
}

export interface DemoOptions {
  machine: Machine;
  trace?: { cats: readonly TraceCategory[]; sink: Sink };
  /** After boot, before init exists (--deterministic, injection). */
  onkernel?: (k: Plan9) => void;
}

export async function runDemo(variant: Variant, o: DemoOptions): Promise<DemoResult> {
  const t0 = performance.now();
  const cons = new BufferConsole('');
  const k = boot(
    { flavor: '4e', console: cons, root: null, env: {}, ncpu: 1, sysname: 'p9emu', user: 'glenda', mem: MEMDEFAULT, nproc: PROCSDEFAULT },
    o.machine,
    arch386,
    pc,
  );
  const events: TraceEvent[] = [];
  k.trace.listen(['sys', 'notes', 'proc'], (e) => events.push(e));
  if (o.trace) k.trace.listen(o.trace.cats, o.trace.sink);
  o.onkernel?.(k);
  const init = spawn(k, assembleRuntime('init.s'), { name: 'init' });
  spawn(k, assembleRuntime(PROGRAMS[variant].a), { name: 'A', parent: init, noteid: init.noteid });
  spawn(k, assembleRuntime(PROGRAMS[variant].b), { name: 'B', parent: init, noteid: init.noteid });
  try {
    await k.run();
  } finally {
    k.shutdown();
  }
  const r = summarize(variant, events);
  const deadlock = r.procs.some((p) => p.status === 'running');
  return { ...r, deadlock, stdout: Buffer.concat(cons.out).toString('utf8'), ms: Math.round(performance.now() - t0) };
}

function exitstr(detail: string): string {
  return detail === "''" ? '' : (JSON.parse(detail) as string);
}

/** Processes and notes from the kernel's event stream. */
export function summarize(variant: Variant, events: readonly TraceEvent[]): { variant: Variant; procs: DemoProc[]; notes: DemoNote[] } {
  const procs = new Map<number, DemoProc>();
  const nextm = new Map<string, number>();
  for (const e of events) {
    if (e.kind !== 'proc') continue;
    if (e.what === 'exec') {
      const program = JSON.parse(e.detail) as string;
      procs.set(e.pid, { pid: e.pid, program, m: program === 'init' ? null : 0, status: 'running' });
    } else if (e.what === 'rfork') {
      const child = Number(/child=(\d+)/.exec(e.detail)?.[1]);
      const parent = procs.get(e.pid);
      if (!parent || !child) continue;
      const m = (nextm.get(parent.program) ?? 0) + 1;
      nextm.set(parent.program, m);
      procs.set(child, { pid: child, program: parent.program, m, status: 'running' });
    } else if (e.what === 'exits') {
      const p = procs.get(e.pid);
      if (p) p.status = exitstr(e.detail);
    }
  }
  const notes: DemoNote[] = [];
  events.forEach((e, i) => {
    if (e.kind !== 'note' || (e.what !== 'post' && e.what !== 'drop')) return;
    const n: DemoNote = { from: e.from ?? null, to: e.pid, msg: e.msg, action: e.what === 'drop' ? 'dropped' : 'pending' };
    if (e.what === 'post') Object.assign(n, fate(events, i, e.pid, e.msg));
    notes.push(n);
  });
  return { variant, procs: [...procs.values()].sort((a, b) => a.pid - b.pid), notes };
}

/** Follow a posted note to its receiver's reaction. */
function fate(events: readonly TraceEvent[], i: number, pid: number, msg: string): Pick<DemoNote, 'msg' | 'action'> {
  let delivered = false;
  let text = msg;
  for (let j = i + 1; j < events.length; j++) {
    const e = events[j]!;
    if (e.pid !== pid) continue;
    if (!delivered) {
      if (e.kind === 'note' && e.what === 'deliver' && e.msg.startsWith(msg)) {
        delivered = true;
        text = e.msg;
      } else if (e.kind === 'proc' && e.what === 'exits') {
        return { msg: text, action: exitstr(e.detail).startsWith(msg) ? 'dies' : 'exits' };
      }
      continue;
    }
    if (e.kind === 'note' && e.what === 'noted') return { msg: text, action: e.mode === 0 ? 'continues' : 'dies' };
    if (e.kind === 'proc' && e.what === 'exits') return { msg: text, action: 'exits' };
  }
  return { msg: text, action: 'pending' };
}

/** The --json object of one variant. */
export function demoJson(r: DemoResult): object {
  return { variant: r.variant, procs: r.procs, notes: r.notes };
}

function procLine(p: DemoProc): string {
  const who = p.m === null ? p.program : `${p.program} m${p.m}`;
  return `${String(p.pid).padStart(3)}  ${who.padEnd(7)} ${JSON.stringify(p.status)}`;
}

function noteLine(n: DemoNote): string {
  return `${n.from ?? 'kernel'} -> ${n.to}  ${JSON.stringify(n.msg)}: ${n.action}`;
}

/** One variant as text lines. */
export function demoText(r: DemoResult): string[] {
  return [
    `${r.variant}:`,
    'pid  program status',
    ...r.procs.map(procLine),
    '',
    'notes (from -> to  text: what the receiver did):',
    ...(r.notes.length ? r.notes.map(noteLine) : ['(none)']),
  ];
}

/** Two variants side by side. */
export function sideBySide(a: string[], b: string[]): string {
  const w = Math.max(...a.map((l) => l.length)) + 4;
  const n = Math.max(a.length, b.length);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(((a[i] ?? '').padEnd(w) + (b[i] ?? '')).trimEnd());
  return out.join('\n') + '\n';
}
