// The name space (9front Pgrp and its mount table, port/pgrp.c and the
// cmount of chan.c). Mount points are keyed by the cleaned absolute path
// they were bound on rather than by the qid of a Chan, which keeps the
// table a plain map; namec consults it after every element it walks.

import type { Chan } from './dev.ts';
import type { Plan9 } from './kernel.ts';
import { QTDIR } from './dat.ts';
import { devattach } from './devdir.ts';
import { devroot } from './devroot.ts';
import { Emount, Ebadarg, Eunion, Eunmount, error } from './error.ts';
import { MAFTER, MBEFORE, MCREATE, MMASK, MORDER, MREPL, type Mount, unionchan } from './union.ts';

export class Pgrp {
  /** path → members, first searched first. */
  readonly mnt = new Map<string, Mount[]>();
  /** RFNOMNT: only the # devices in "|decp" may be attached. */
  noattach = false;

  constructor(readonly kernel: Plan9) {}

  /**
   * Mount `to` on the directory `old` (the Chan namec found there, not
   * crossing an earlier mount) as bind(2) does (9front cmount). Returns
   * the mount id, which bind returns to the user.
   */
  mount(to: Chan, old: Chan, flag: number): number {
    if ((flag & ~MMASK) || (flag & MORDER) === (MBEFORE | MAFTER)) error(Ebadarg);
    const order = flag & MORDER;
    if ((old.qid.type ^ to.qid.type) & QTDIR) error(Emount);
    if (!(old.qid.type & QTDIR) && order !== MREPL) error(Emount);
    const m: Mount = { to: to.clone(), flag: flag & MCREATE };
    let list = this.mnt.get(old.path);
    // A union starts with what was there before (9front cmount: "union with the old chan").
    if (!list && order !== MREPL) list = [{ to: old.clone(), flag: 0 }];
    if (!list || order === MREPL) list = [m];
    else if (order === MBEFORE) list = [m, ...list];
    else list = [...list, m];
    this.mnt.set(old.path, list);
    return ++this.kernel.ids.mount;
  }

  /**
   * unmount(2): take mounted (the member eqchan matches) off the mount
   * point old, or everything mounted there when mounted is null; a mount
   * point left empty goes (9front cunmount). Returns the Chans taken off,
   * for the caller to close (a mount's last reference clunks its fid).
   */
  unmount(old: Chan, mounted: Chan | null): Chan[] {
    const list = this.mnt.get(old.path) ?? error(Eunmount);
    if (mounted === null) {
      this.mnt.delete(old.path);
      return list.map((m) => m.to);
    }
    const i = list.findIndex((m) => eqchan(m.to, mounted));
    if (i < 0) error(Eunion);
    const rest = list.filter((_, j) => j !== i);
    if (rest.length === 0) this.mnt.delete(old.path);
    else this.mnt.set(old.path, rest);
    return [list[i]!.to];
  }

  /** The Chan to continue a walk at, when path is a mount point. */
  lookup(path: string): Chan | null {
    const ms = this.mnt.get(path);
    if (!ms) return null;
    if (ms.length === 1) {
      const c = ms[0]!.to.clone();
      c.path = path;
      return c;
    }
    return unionchan(ms, path);
  }

  /** The root of the name space (9front up->slash). */
  slash(): Chan {
    return this.lookup('/') ?? error(Emount);
  }

  /** A copy for RFNAMEG: later binds in either do not show in the other. */
  dup(): Pgrp {
    const p = new Pgrp(this.kernel);
    // Each name space holds its own reference to what is mounted (9front pgrpcpy).
    for (const [k, v] of this.mnt) p.mnt.set(k, v.map((m) => ({ to: m.to.clone(), flag: m.flag })));
    p.noattach = this.noattach;
    return p;
  }
}

/** The same file of the same device instance (9front eqchan, versions skipped). */
function eqchan(a: Chan, b: Chan): boolean {
  return a.dev === b.dev && a.devno === b.devno && a.qid.path === b.qid.path && a.qid.type === b.qid.type;
}

/** Mount c alone on path (the boot name space's binds of # devices). */
export function bindsharp(g: Pgrp, path: string, c: Chan): void {
  c.path = path;
  g.mnt.set(path, [{ to: c, flag: 0 }]);
}

/** RFCNAMEG in Plan 9 terms: nothing but the root device at /. */
export function cleanpgrp(k: Plan9): Pgrp {
  const g = new Pgrp(k);
  bindsharp(g, '/', devattach(devroot, ''));
  return g;
}
