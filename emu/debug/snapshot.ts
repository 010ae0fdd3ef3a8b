// A snapshot of a stopped machine, and its restore: every CPU's registers,
// every segment's memory, and the kernel's state — the process table,
// fds and channels, name spaces, notes, pipes, /srv, mounts, the
// scheduler's queue and timers, the clock, #c/random, the console's
// buffers — so that the machine, restored, runs on from that point as it
// did the first time (under --deterministic, event for event).
//
// The kernel's state is a graph of JS objects reachable from the kernel.
// A snapshot copies each object's own properties (each array's items, each
// Map's and Set's entries, each byte array's bytes), keeping references
// as they are; restoring writes them back into the same objects. So every
// object keeps its identity and every closure that holds one (hooks, the
// scheduler's dispatch) still sees the machine, and objects made after the
// snapshot simply become unreachable. The side tables (port/sidetab.ts)
// are saved for the objects saved.
//
// Native things are not JS state: the CPUs are made anew on restore (each
// live process's segments mapped again, its registers set, its hooks
// added again through Kernel.cpuhooks), and each segment's host memory is
// saved as its non-zero pages and written back (into new memory if it was
// freed since).

import type { Plan9 } from '../port/kernel.ts';
import type { Proc } from '../port/proc.ts';
import type { Cpu, CpuContext, HostMem } from '../cpu/cpu.ts';
import { Segment } from '../port/segment.ts';
import { sidetables } from '../port/sidetab.ts';
import { readRegs, writeRegs, type AllRegs } from './regs.ts';

const PAGE = 4096;

type Saved =
  | { o: object; props: [string, unknown][] }
  | { o: unknown[]; items: unknown[] }
  | { o: Map<unknown, unknown>; entries: [unknown, unknown][] }
  | { o: Set<unknown>; items: unknown[] }
  | { o: Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array; bytes: Uint8Array };

/** A segment's memory: its non-zero pages up to its top. */
interface SavedMem {
  seg: Segment;
  pages: { off: number; data: Uint8Array }[];
}

/** A live process's CPU: its registers, and in a note handler the x87/SSE state noted will give back. */
interface SavedCpu {
  p: Proc;
  regs: AllRegs;
  fpsave: Uint8Array | null;
}

export interface KernelSnapshot {
  readonly k: Plan9;
  readonly objects: Saved[];
  /** Per side table, what it held for the objects saved. */
  readonly tables: Map<WeakMap<object, unknown>, Map<object, unknown>>;
  readonly mems: SavedMem[];
  readonly cpus: SavedCpu[];
}

/** Scheduler fields that belong to the host, not the machine: its wakeup, the wall-clock limit (--timeout). */
const HOSTKEYS = new Set(['kick', 'limit']);

/** Why k cannot be saved (host state outside the machine), or null. */
export function unsavable(k: Plan9): string | null {
  for (const r of [k.config.root, k.config.tree]) {
    if (r?.writable) return `the host directory ${r.dir} is bound writable at /: host files cannot be saved`;
  }
  if (k.sched.current !== null) return 'the machine is running';
  return null;
}

function live(p: Proc): boolean {
  return p.alive && p.cpu !== undefined;
}

/** Objects backed by native memory (CPUs, their saved contexts, host memory): never walked. */
function native(o: object): boolean {
  const x = o as { free?: unknown; fpstate?: unknown; onSyscall?: unknown };
  return typeof x.free === 'function' || (typeof x.fpstate === 'function' && typeof x.onSyscall === 'function');
}

/** Segment fields that are its host memory (saved as pages). */
const MEMKEYS = new Set(['mem', 'view', 'u32']);

export function snapshot(k: Plan9): KernelSnapshot {
  const why = unsavable(k);
  if (why) throw new Error(`snapshot: ${why}`);
  const procs = [...k.procs.values()].filter(live);
  const segs = new Set(procs.flatMap((p) => p.as.segs));
  const opaque = new Set<unknown>([k.machine, k.arch, k.conf, ...k.conf.devtab]);
  const objects: Saved[] = [];
  const tables: KernelSnapshot['tables'] = new Map(sidetables().map((t) => [t, new Map()]));
  const seen = new Set<unknown>();
  const todo: unknown[] = [k];
  const visit = (v: unknown) => {
    if (v !== null && (typeof v === 'object' || typeof v === 'function') && !seen.has(v) && !opaque.has(v)) todo.push(v);
  };
  while (todo.length > 0) {
    const o = todo.pop() as object;
    if (seen.has(o) || native(o)) continue;
    seen.add(o);
    for (const [t, held] of tables) {
      if (!t.has(o)) continue;
      held.set(o, t.get(o));
      visit(t.get(o));
    }
    if (ArrayBuffer.isView(o)) {
      // Guest memory is reached only through segments (saved as pages); these bytes are kernel state (files in /tmp, pipe blocks).
      if (!(o instanceof DataView)) {
        const v = o as Extract<Saved, { bytes: Uint8Array }>['o'];
        objects.push({ o: v, bytes: new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)) });
      }
      continue;
    }
    if (o instanceof WeakMap || o instanceof WeakSet || o instanceof Promise || Object.isFrozen(o)) continue;
    if (Array.isArray(o)) {
      objects.push({ o, items: [...o] });
      o.forEach(visit);
    } else if (o instanceof Map) {
      objects.push({ o, entries: [...o] });
      for (const [a, b] of o) {
        visit(a);
        visit(b);
      }
    } else if (o instanceof Set) {
      objects.push({ o, items: [...o] });
      o.forEach(visit);
    } else {
      const props = Object.keys(o).filter((key) => !(o === k.sched && HOSTKEYS.has(key))).map((key): [string, unknown] => [key, (o as Record<string, unknown>)[key]]);
      objects.push({ o, props });
      const seg = o instanceof Segment;
      for (const [key, v] of props) if (!seg || !MEMKEYS.has(key)) visit(v);
    }
  }
  return {
    k,
    objects,
    tables,
    mems: [...segs].map((seg) => ({ seg, pages: pages(seg) })),
    cpus: procs.map((p) => ({ p, regs: readRegs(p.cpu), fpsave: p.fpsaved && p.fpsave ? savedFp(p.cpu, p.fpsave) : null })),
  };
}

/** The x87/SSE state in a context saved from cpu (a note handler's interrupted code). */
function savedFp(cpu: Cpu, ctx: CpuContext): Uint8Array {
  const now = cpu.save();
  try {
    cpu.restore(ctx);
    return cpu.fpstate();
  } finally {
    cpu.restore(now);
    now.free();
  }
}

function pages(s: Segment): SavedMem['pages'] {
  const len = s.top - s.base;
  const bytes = s.mem.bytes;
  const resident = s.mem.resident?.(len) ?? null;
  const out: SavedMem['pages'] = [];
  for (let off = 0; off < len; off += PAGE) {
    if (resident && (resident[off / PAGE]! & 1) === 0) continue;
    const page = bytes.subarray(off, Math.min(off + PAGE, len));
    if (page.some((b) => b !== 0)) out.push({ off, data: page.slice() });
  }
  return out;
}

/** Bring k back to the snapshot. The machine must be stopped (no CPU running). */
export function restore(k: Plan9, s: KernelSnapshot): void {
  if (s.k !== k) throw new Error('restore: the snapshot is of another machine');
  if (k.sched.current !== null) throw new Error('restore: the machine is running');
  const oldcpus = new Set<Cpu>();
  const oldmems = new Set<HostMem>();
  for (const p of k.procs.values()) {
    if (!live(p)) continue;
    oldcpus.add(p.cpu);
    for (const seg of p.as.segs) oldmems.add(seg.mem);
  }
  for (const x of s.objects) writeback(x);
  // A side table holds again what it held for each saved object, and nothing made since.
  for (const [t, held] of s.tables) {
    for (const x of s.objects) if (!held.has(x.o)) t.delete(x.o);
    for (const [o, v] of held) t.set(o, v);
  }
  for (const c of oldcpus) c.close();
  const kept = new Set<HostMem>();
  for (const { seg, pages } of s.mems) {
    let mem = seg.mem;
    if (mem.bytes.length === 0) mem = renew(k, seg);
    kept.add(mem);
    const len = seg.top - seg.base;
    if (mem.zero) mem.zero(0, len);
    else mem.bytes.fill(0, 0, len);
    for (const pg of pages) mem.bytes.set(pg.data, pg.off);
  }
  for (const m of oldmems) if (!kept.has(m)) m.free();
  for (const { p, regs, fpsave } of s.cpus) {
    const cpu = k.machine.newCpu();
    p.cpu = cpu;
    (p.as as { cpu: Cpu }).cpu = cpu;
    for (const seg of p.as.segs) if (seg.top > seg.base) cpu.map(seg.base, seg.mem, seg.prot, seg.top - seg.base);
    k.arch.attach(p);
    for (const f of k.cpuhooks) f(p);
    // A context belongs to the engine it was saved from: the one noted restores is made again on the new CPU.
    p.fpsave = null;
    if (fpsave) {
      cpu.setFpstate(fpsave);
      p.fpsave = cpu.save();
    }
    writeRegs(cpu, regs);
    if (p.fpillegal) cpu.fpuTrap?.(true);
  }
}

/** New memory for a segment whose memory was freed after the snapshot. */
function renew(k: Plan9, seg: Segment): HostMem {
  const mem = k.machine.alloc(seg.mem.size);
  const w = seg as { -readonly [K in 'mem' | 'view' | 'u32']: Segment[K] };
  w.mem = mem;
  w.view = new DataView(mem.bytes.buffer, mem.bytes.byteOffset, mem.bytes.byteLength);
  w.u32 = new Uint32Array(mem.bytes.buffer, mem.bytes.byteOffset, mem.bytes.byteLength >>> 2);
  return mem;
}

function writeback(x: Saved): void {
  if ('props' in x) {
    const o = x.o as Record<string, unknown>;
    const keep = new Set(x.props.map(([key]) => key));
    for (const key of Object.keys(o)) if (!keep.has(key)) delete o[key];
    for (const [key, v] of x.props) if (o[key] !== v) o[key] = v;
  } else if ('entries' in x) {
    x.o.clear();
    for (const [a, b] of x.entries) x.o.set(a, b);
  } else if ('bytes' in x) {
    new Uint8Array(x.o.buffer, x.o.byteOffset, x.o.byteLength).set(x.bytes);
  } else if (x.o instanceof Set) {
    x.o.clear();
    for (const v of x.items) x.o.add(v);
  } else {
    x.o.length = 0;
    x.o.push(...x.items);
  }
}
