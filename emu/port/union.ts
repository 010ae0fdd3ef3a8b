// A union directory: the Chan namec hands out for a mount point that has
// more than one member (bind -b / -a, and / over a host directory). 9front
// keeps the union in the Mhead and walks each member in turn (chan.c walk,
// sysfile.c unionread); here it is a small device whose Chan holds the
// members, so everything else sees one ordinary directory.

import { Chan, devdefaults, type Dev } from './dev.ts';
import type { Dir } from './dat.ts';
import type { Proc } from './proc.ts';
import { OREAD } from './dat.ts';
import { Enocreate, Eperm, isKernelError, error } from './error.ts';
import { dirpack, unpackdirs } from './stat.ts';
import { cclose, withchan } from './chan.ts';

/** Mount flags (libc.h). */
export const MREPL = 0x0000;
export const MBEFORE = 0x0001;
export const MAFTER = 0x0002;
export const MORDER = 0x0003;
export const MCREATE = 0x0004;
export const MCACHE = 0x0010;
export const MMASK = 0x0017;

/** One member of a mount point (9front Mount): what is mounted, and whether create may use it. */
export interface Mount {
  readonly to: Chan;
  readonly flag: number;
}

function members(c: Chan): readonly Mount[] {
  return c.aux as Mount[];
}

/**
 * f (an open or a create) on a clone of a member's Chan; the clone goes
 * at once unless it is what f gives back, also when f sleeps and the call
 * runs again (the rerun takes a clone of its own).
 */
function onclone(up: Proc, m: Mount, path: string, f: (d: Chan) => Chan): Chan {
  const d = m.to.clone();
  d.path = path;
  let r: Chan | undefined;
  try {
    r = f(d);
  } finally {
    if (r !== d) cclose(up, d);
  }
  return r;
}

/** Every entry of one member, read with its own open Chan. */
function readall(up: Proc, m: Mount): Dir[] {
  const c = onclone(up, m, m.to.path, (d) => m.to.dev.open(up, d, OREAD));
  return withchan(up, c, () => {
    const out: Dir[] = [];
    for (let off = 0; ; ) {
      const b = c.dev.read(up, c, 64 * 1024, off);
      if (b.length === 0) break;
      out.push(...unpackdirs(b));
      off += b.length;
    }
    return out;
  });
}

/**
 * The members' entries in order. Unlike 9front, a name already listed by
 * an earlier member is left out, as the walk would never reach it.
 */
function unionread(up: Proc, c: Chan, n: number, off: number): Uint8Array {
  const seen = new Set<string>();
  const dirs: Dir[] = [];
  for (const m of members(c)) {
    let ds: Dir[];
    try {
      ds = readall(up, m);
    } catch (e) {
      if (!isKernelError(e)) throw e;
      continue;  // as in unionread, a member that fails is skipped
    }
    for (const d of ds) if (!seen.has(d.name)) { seen.add(d.name); dirs.push(d); }
  }
  return dirpack(dirs, n, off);
}

export const devunion: Dev = {
  ...devdefaults,
  dc: 'M',
  name: 'union',
  attach: () => error(Eperm),
  walk: (up, c, name) => {
    // As 9front walk tries each mount in turn: a member that fails is passed over.
    for (const m of members(c)) {
      try {
        const nc = m.to.dev.walk(up, m.to, name);
        if (nc) return nc;
      } catch (e) {
        if (!isKernelError(e)) throw e;
      }
    }
    return null;
  },
  stat: (up, c) => {
    const m = members(c)[0]!;
    return m.to.dev.stat(up, m.to);
  },
  open: (_up, c, omode) => {
    if (omode !== OREAD) error(Eperm);
    c.mode = OREAD;
    c.open = true;
    c.offset = 0;
    return c;
  },
  create: (up, c, name, omode, perm) => {
    const m = members(c).find((x) => x.flag & MCREATE) ?? error(Enocreate);
    return onclone(up, m, c.path, (d) => m.to.dev.create(up, d, name, omode, perm));
  },
  close: () => {},
  read: unionread,
};

/** The Chan for a mount point with several members. */
export function unionchan(ms: readonly Mount[], path: string): Chan {
  const c = new Chan(devunion, { ...ms[0]!.to.qid });
  c.aux = ms;
  c.path = path;
  return c;
}
