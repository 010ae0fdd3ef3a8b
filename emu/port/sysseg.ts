// Segments a process adds to itself (9front port/segment.c segattach,
// port/sysproc.c syssegattach, syssegdetach, syssegfree, syssegflush).
// Classes are 9front's physseg table: "shared" (SG_SHARED, which fork
// shares even without RFMEM) and "memory" (SG_BSS, private like bss).
// Pages are zero-filled host memory, as all of p9emu's segments are.

import type { Proc } from './proc.ts';
import { PROT_READ, PROT_WRITE } from '../cpu/cpu.ts';
import { BY2PG, pground } from '../aout.ts';
import { Ebadarg, Enovmem, Esoverlap, error } from './error.ts';
import { SG_CEXEC, SG_RONLY, Segment, zero, type SegType } from './segment.ts';
import { validstr } from './sysarg.ts';
import { memcheck } from './vmem.ts';

const PHYSSEG: Record<string, SegType> = { shared: 'shared', memory: 'memory' };

/** segattach(attr, class, va, len): the segment's base. */
export function syssegattach(up: Proc, a: readonly number[]): number {
  const attr = a[0]! >>> 0, cls = validstr(up, a[1]!), len0 = a[3]! >>> 0;
  let va = a[2]! >>> 0;
  const stack = up.as.stack ?? error(Enovmem);
  const ustktop = stack.top;
  if (va !== 0 && va >= ustktop) error(Ebadarg);
  const type = PHYSSEG[cls] ?? error(Ebadarg);
  // Round up va+len to pages.
  const len = pground(len0 + (va & (BY2PG - 1)));
  if (len === 0 || len >= 0x1_0000_0000) error(Ebadarg);
  if (va === 0) {
    // A hole below the stack: step down past each overlapping segment,
    // never reaching page zero.
    va = stack.base - len;
    for (let os = up.as.overlap(va, len); os && va >= BY2PG; os = up.as.overlap(va, len)) va = os.base - len;
    if (va < BY2PG) error(Enovmem);
  } else {
    va -= va & (BY2PG - 1);
    if (va + len > ustktop) error(Enovmem);
    if (up.as.overlap(va, len)) error(Esoverlap);
  }
  memcheck(up.kernel, len);
  const prot = attr & SG_RONLY ? PROT_READ : PROT_READ | PROT_WRITE;
  up.as.attach(new Segment(type, va, va + len, up.kernel.machine.alloc(len), prot, attr & (SG_RONLY | SG_CEXEC)));
  return va;
}

/** segdetach(addr): drop the segment holding addr; not the stack in use. */
export function syssegdetach(up: Proc, a: readonly number[]): number {
  const addr = a[0]! >>> 0;
  const s = up.as.seg(addr) ?? error(Ebadarg);
  // 9front refuses the segment that holds the caller's stack pointer.
  const sp = up.cpu.reg('sp');
  if (sp >= s.base && sp < s.top) error(Ebadarg);
  up.cpu.unmap(s.base, s.top - s.base);
  up.as.detach(s);
  return 0;
}

/** Whole pages of [va, va+len), each inside a segment; Ebadarg otherwise. */
function pages(up: Proc, va: number, len: number, round: 'in' | 'out'): [number, number] {
  const from = round === 'in' ? pground(va) : va - (va & (BY2PG - 1));
  const to = round === 'in' ? (va + len) - ((va + len) & (BY2PG - 1)) : pground(va + len);
  if (to < from || to > 0x1_0000_0000) error(Ebadarg);
  for (let p = from; p < to; ) {
    const s = up.as.seg(p) ?? error(Ebadarg);
    p = Math.min(s.top, to);
  }
  return [from, to];
}

/** segfree(va, len): the whole pages in the range read as zero again. */
export function syssegfree(up: Proc, a: readonly number[]): number {
  const [from, to] = pages(up, a[0]! >>> 0, a[1]! >>> 0, 'in');
  for (let p = from; p < to; ) {
    const s = up.as.seg(p)!;
    const end = Math.min(s.top, to);
    zero(s.mem, p - s.base, end - p);
    p = end;
  }
  return 0;
}

/** segflush(va, len): caches are the host's; translated code in the range is dropped. */
export function syssegflush(up: Proc, a: readonly number[]): number {
  const [from, to] = pages(up, a[0]! >>> 0, a[1]! >>> 0, 'out');
  if (to > from) up.cpu.invalidate(from, to - from);
  return 0;
}
