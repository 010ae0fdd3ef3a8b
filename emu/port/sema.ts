// User semaphores (9front port/sysproc.c: semacquire, tsemacquire,
// semrelease). The count lives in user memory; waiters sleep on a Rendez
// keyed by the segment and offset, so RFMEM sharers of one page meet on the
// same one.

import type { Proc } from './proc.ts';
import type { Segment } from './segment.ts';
import { Rendez, Sleep, wakeup } from './rendez.ts';
import { Ebadarg, error } from './error.ts';
import { badaddr } from './sysarg.ts';
import { sidetable } from './sidetab.ts';

const rendez = sidetable<Segment, Map<number, Rendez>>();

function rendezfor(s: Segment, addr: number): Rendez {
  let m = rendez.get(s);
  if (!m) rendez.set(s, (m = new Map()));
  let r = m.get(addr);
  if (!r) m.set(addr, (r = new Rendez()));
  return r;
}

class Sema {
  constructor(private readonly up: Proc) {}

  /** The segment holding *addr; unmapped or read-only posts the bad-address note. */
  private seg(addr: number): Segment {
    const s = this.up.as.seg(addr);
    if (!s || s.type === 'text' || addr + 4 > s.top) badaddr(this.up);
    return s;
  }

  private value(addr: number): number {
    return this.up.as.u32(addr) | 0;
  }

  /** Take one if the count is positive (9front canacquire); Ebadarg if negative. */
  private canacquire(addr: number): boolean {
    const v = this.value(addr);
    if (v < 0) error(Ebadarg);
    if (v === 0) return false;
    this.up.as.setU32(addr, v - 1);
    return true;
  }

  acquire(addr: number, block: boolean): number {
    const s = this.seg(addr);
    if (this.canacquire(addr)) return 1;
    if (!block) return 0;
    throw new Sleep(rendezfor(s, addr));
  }

  tacquire(addr: number, ms: number): number {
    const up = this.up;
    const s = this.seg(addr);
    if (this.canacquire(addr)) return 1;
    if (ms === 0) return 0;
    up.sysdeadline ??= up.kernel.now() + ms * 1e6;
    if (up.kernel.now() >= up.sysdeadline) return 0;
    throw new Sleep(rendezfor(s, addr), up.sysdeadline);
  }

  release(addr: number, n: number): number {
    const s = this.seg(addr);
    const v = this.value(addr);
    if (n < 0 || v < 0) error(Ebadarg);
    const nv = (v + n) | 0;
    this.up.as.setU32(addr, nv);
    if (n > 0) wakeup(rendezfor(s, addr));
    return nv;
  }
}

export function semaphore(up: Proc): Sema {
  return new Sema(up);
}
