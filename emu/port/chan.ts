// Names to Chans (9front port/chan.c): namec walks a path one element at
// a time from the root, a # device, or the current directory, stepping
// onto whatever the name space mounts at each directory reached; cclose
// drops a reference and lets the device clean up after the last one.
//
// .. is lexical, as in Plan 9 since the 2nd edition: it returns to the
// directory the walk came from, never above the root the name started at.

import type { Chan } from './dev.ts';
import type { Proc } from './proc.ts';
import { CCEXEC, CRCLOSE } from './dev.ts';
import { DMDIR, ERRMAX, OCEXEC, OEXCL, OEXEC, ORCLOSE, OTRUNC, QTDIR } from './dat.ts';
import { MAXWELEM } from './fcall.ts';
import {
  Ebadchar, Ebadsharp, Eexist, Efilename, Enoattach, Enonexist, Enotdir, Etoolong,
  KernelError, error, isKernelError,
} from './error.ts';
import { quote } from './parse.ts';
import { Sleep } from './rendez.ts';

/** What the caller will do with the Chan (9front Aaccess, Atodir, …). */
export type Amode = 'access' | 'stat' | 'open' | 'create' | 'remove' | 'todir' | 'bind' | 'mount';

/** The # devices a name space made with RFNOMNT may still attach. */
const NOMNTDEVS = '|decp';

interface Elem {
  name: string;
  end: number;  // offset just past the element in the name as given
}

/** One directory or file reached by a walk, with the path it was reached by. */
interface Step {
  c: Chan;
  path: string;
}

/** A failure inside a walk: the error, and how many elements of the name to show. */
class WalkError extends Error {
  constructor(readonly nerror: number, readonly err: string) {
    super(err);
  }
}

function addelem(path: string, name: string): string {
  return path === '/' ? '/' + name : path + '/' + name;
}

/**
 * 9front validname (slashok): no control characters, DEL or (the slashes
 * aside) anything a 9P name may not hold, and under 64K.
 */
export function validname(aname: string): void {
  // A UTF-16 unit is at most 3 UTF-8 bytes: count only when it could matter.
  if (aname.length >= (1 << 16) / 3 && Buffer.byteLength(aname, 'utf8') >= 1 << 16) error(Etoolong);
  if (/[\x00-\x1f\x7f]/.test(aname)) error(`${Ebadchar}: ${quote(aname)}`);
}

/**
 * The elements of a name (9front parsename): slashes and . are skipped,
 * .. is kept. mustbedir is set when the name ends in / or /. (or has no
 * elements), so that "/adm/users/." fails on a file.
 */
function parsename(name: string, prefix: number): { elems: Elem[]; mustbedir: boolean } {
  const elems: Elem[] = [];
  const re = /[^/]+/g;
  for (let m; (m = re.exec(name)) !== null; ) {
    if (m[0] !== '.') elems.push({ name: m[0], end: prefix + m.index + m[0].length });
  }
  const mustbedir = elems.length === 0 || /\/\.?$/.test(name);
  return { elems, mustbedir };
}

/**
 * The error for a name, showing it up to the failing element (9front
 * namelenerror). A long name is shown as a suffix starting at a slash.
 * 9front writes `ERR: 'name'`, 4e `'name' ERR`.
 */
function nameerror(up: Proc, aname: string, len: number, err: string): never {
  let shown: string;
  if (len < ERRMAX / 3 || len + err.length < (2 * ERRMAX) / 3) {
    shown = aname.slice(0, len);
  } else {
    const ename = len;
    let next = ename, name = ename, n: number;
    do {
      name = next;
      if (next === 0) break;
      while (next > 0) if (aname[--next] === '/') break;
      n = ename - next;
    } while (n < ERRMAX / 3 || n + err.length < (2 * ERRMAX) / 3);
    if (name === ename) name = ename - ERRMAX / 4;
    shown = '...' + aname.slice(name, ename);
  }
  const q = quote(shown, true);
  return error(up.kernel.flavor === '9front' ? `${err}: ${q}` : `${q} ${err}`);
}

/** The start of a # name: the device's root. Returns it and the rest of the name. */
function sharp(up: Proc, name: string): { step: Step; rest: string } {
  // The device spec runs to the first slash after the device letter (9front namec).
  let n = 0;
  while (n < name.length && (name[n] !== '/' || n < 2)) n++;
  if (n >= 128) error(Efilename);  // up->genbuf
  const spec = name.slice(0, n);
  const dc = String.fromCodePoint(spec.codePointAt(1) ?? 0);
  const dev = up.kernel.devno(dc) ?? error(Ebadsharp);
  if (up.pgrp.noattach && !NOMNTDEVS.includes(dc)) error(Enoattach);
  const c = dev.attach(up, spec.slice(1 + dc.length));
  c.path = spec;
  return { step: { c, path: spec }, rest: name.slice(n) };
}

/**
 * Walk elems from the last step of stack, which it extends (9front walk).
 * Crossing a mount point replaces the Chan by what is mounted, unless
 * nomount (a # name) or, for the last element, nomountlast (bind's target).
 */
function walk(up: Proc, stack: Step[], elems: readonly Elem[], first: number, nomount: boolean, nomountlast = false): void {
  let dotdot = -1;
  elems.forEach((e, j) => { if (e.name === '..') dotdot = j; });
  for (let i = 0; i < elems.length; ) {
    const top = stack[stack.length - 1]!;
    if (!(top.c.qid.type & QTDIR)) throw new WalkError(first + i, Enotdir);
    if (elems[i]!.name === '..') {
      if (stack.length > 1) cclose(up, stack.pop()!.c);
      i++;
      continue;
    }
    // A device that walks many names at once (9P) gets every element up to
    // the next mount point; past the last .., whose steps need no Chans.
    const n = top.c.dev.walkn && i > dotdot ? batch(up, top.path, elems, i) : 1;
    let nc: Chan | null;
    try {
      if (n > 1) {
        const w = top.c.dev.walkn!(up, top.c, elems.slice(i, i + n).map((e) => e.name));
        nc = w.c;
        if (!nc) {
          // 9front walk: a walk stopped after a file is Enotdir, otherwise Enonexist.
          const last = w.qids[w.qids.length - 1];
          if (last && !(last.type & QTDIR)) throw new WalkError(first + i + w.qids.length, Enotdir);
          throw new WalkError(first + i + w.qids.length + 1, Enonexist);
        }
      } else {
        nc = top.c.dev.walk(up, top.c, elems[i]!.name);
        if (!nc) throw new WalkError(first + i + 1, Enonexist);
      }
    } catch (e) {
      // A device's own error (a server's Rerror, a hung-up mount) names the element, as in 9front walk.
      if (isKernelError(e)) throw new WalkError(first + i + 1, e.errstr);
      throw e;
    }
    let path = top.path;
    for (const e of elems.slice(i, i + n)) path = addelem(path, e.name);
    i += n;
    nc.path = path;
    if (!nomount && !(nomountlast && i === elems.length)) nc = mounted(up, nc);
    stack.push({ c: nc, path });
  }
}

/** How many elements from i one walk may take: up to MAXWELEM, ending at the first mount point. */
function batch(up: Proc, path: string, elems: readonly Elem[], i: number): number {
  let n = 0;
  while (i + n < elems.length && n < MAXWELEM) {
    path = addelem(path, elems[i + n]!.name);
    n++;
    if (up.pgrp.mnt.has(path)) break;
  }
  return n;
}

/** The steps from the root to up.dot, which is a cleaned path (absolute or #). */
function dotstack(up: Proc): { stack: Step[]; nomount: boolean } {
  const dot = up.dot;
  if (dot.startsWith('#')) {
    const { step, rest } = sharp(up, dot);
    const stack = [step];
    walk(up, stack, parsename(rest, 0).elems, 0, true);
    return { stack, nomount: true };
  }
  const stack = [{ c: up.pgrp.slash(), path: '/' }];
  try {
    walk(up, stack, parsename(dot, 0).elems, 0, false);
  } catch (e) {
    // The current directory went away (removed, or never there): the
    // call fails, as 9front's walk from up->dot would.
    if (e instanceof WalkError) error(e.err);
    throw e;
  }
  return { stack, nomount: false };
}

/** Open c for namec: the device open, then the per-Chan flags of the open mode. */
function openchan(up: Proc, c: Chan, omode: number): Chan {
  const path = c.path;
  c = c.dev.open(up, c, omode & ~OCEXEC);
  if (!c.path) c.path = path;
  if (omode & ORCLOSE) c.flag |= CRCLOSE;
  if (omode & OCEXEC) c.flag |= CCEXEC;
  return c;
}

/** What is mounted at nc's path in place of nc, which goes; nc itself when nothing is. */
function mounted(up: Proc, nc: Chan): Chan {
  const m = up.pgrp.lookup(nc.path);
  if (!m) return nc;
  cclose(up, nc);
  return m;
}

/** openchan of a Chan namec holds outside its stack: it is closed when the open fails or gives another Chan. */
function openlast(up: Proc, c: Chan, omode: number): Chan {
  let oc: Chan;
  try {
    oc = openchan(up, c, omode);
  } catch (e) {
    release(up, c, e);
    throw e;
  }
  if (oc !== c) cclose(up, c);
  return oc;
}

/**
 * create(2) on the last element (9front namec Acreate): an existing file is
 * opened with OTRUNC (or, with OEXCL, refused); otherwise the directory's
 * device creates it. If the create fails because someone else created the
 * file meanwhile, that file is opened instead.
 */
function createlast(up: Proc, stack: Step[], last: Elem, nelems: number, omode: number, perm: number): Chan {
  const dir = stack[stack.length - 1]!;
  if (!(dir.c.qid.type & QTDIR)) throw new WalkError(nelems - 1, Enotdir);
  const lookup = (): Chan | null => {
    let nc: Chan | null;
    try {
      nc = dir.c.dev.walk(up, dir.c, last.name);
    } catch (e) {
      if (!isKernelError(e)) throw e;
      return null;  // any failed walk means create it (9front namec Acreate)
    }
    if (!nc) return null;
    nc.path = addelem(dir.path, last.name);
    return mounted(up, nc);
  };
  let c = last.name === '..' ? null : lookup();
  if (c) {
    if (omode & OEXCL) {
      cclose(up, c);
      error(Eexist);
    }
    return openlast(up, c, omode | OTRUNC);
  }
  try {
    c = dir.c.dev.create(up, dir.c, last.name, omode & ~(OEXCL | OCEXEC), perm);
  } catch (e) {
    if (!isKernelError(e) || (omode & OEXCL)) throw e;
    c = lookup();
    if (!c) throw e;
    return openlast(up, c, omode | OTRUNC);
  }
  c.path = addelem(dir.path, last.name);
  if (omode & ORCLOSE) c.flag |= CRCLOSE;
  if (omode & OCEXEC) c.flag |= CCEXEC;
  return c;
}

/**
 * Turn a name into a Chan (9front namec). For 'open' and 'create' the
 * result is open; for 'mount' it is the directory under any mount there.
 * Errors after the first element name the path up to the failing element.
 */
export function namec(up: Proc, aname: string, amode: Amode, omode = 0, perm = 0): Chan {
  if (aname === '') error('empty file name');
  validname(aname);

  let stack: Step[], nomount: boolean, name: string, prefix: number;
  if (aname[0] === '/') {
    stack = [{ c: up.pgrp.slash(), path: '/' }];
    nomount = false; name = aname; prefix = 0;
  } else if (aname[0] === '#') {
    const s = sharp(up, aname);
    stack = [s.step];
    nomount = true; name = s.rest; prefix = aname.length - s.rest.length;
  } else {
    ({ stack, nomount } = dotstack(up));
    name = aname; prefix = 0;
  }

  const { elems, mustbedir } = parsename(name, prefix);
  let nerror = 0;
  try {
    if (amode === 'create') {
      // perm must have DMDIR if the last element is / or /.
      if (mustbedir && !(perm & DMDIR)) { nerror = elems.length; error('create without DMDIR'); }
      if (elems.length === 0) error(Eexist);
    }
    const nwalk = amode === 'create' ? elems.length - 1 : elems.length;
    walk(up, stack, elems.slice(0, nwalk), 0, nomount, amode === 'mount');
    nerror = nwalk;
    let c = stack[stack.length - 1]!.c;
    if (mustbedir && !(c.qid.type & QTDIR)) error('not a directory');
    if (amode === 'open' && (omode & 3) === OEXEC && (c.qid.type & QTDIR)) error('cannot exec directory');
    switch (amode) {
      case 'open':
        c = openchan(up, c, omode);
        break;
      case 'create':
        nerror = elems.length;
        c = createlast(up, stack, elems[elems.length - 1]!, elems.length, omode, perm);
        break;
      case 'todir':
        if (!(c.qid.type & QTDIR)) error(Enotdir);
        break;
    }
    // The Chans walked through go, but for the one handed out (9front
    // walk and namec cclose each Chan they step off).
    for (const s of stack) if (s.c !== c) cclose(up, s.c);
    return c;
  } catch (e) {
    for (const s of stack) release(up, s.c, e);
    if (e instanceof WalkError) {
      nerror = e.nerror;
      e = new KernelError(e.err);
    }
    if (!(e instanceof KernelError) || nerror === 0) throw e;
    return nameerror(up, aname, elems[nerror - 1]!.end, e.errstr);
  }
}

/**
 * f's result, with c dropped after it (cclose), also when f fails (see
 * release for when f sleeps).
 */
export function withchan<T>(up: Proc, c: Chan, f: (c: Chan) => T): T {
  let r: T;
  try {
    r = f(c);
  } catch (e) {
    release(up, c, e);
    throw e;
  }
  cclose(up, c);
  return r;
}

/**
 * Drop c after error e, unless e is a sleep and c is journaled: the call
 * then runs again from the start and gets c back from its RPC journal, and
 * closing it now would end what the rerun goes on with (a mount's fid).
 */
export function release(up: Proc, c: Chan, e: unknown): void {
  if (e instanceof Sleep && c.dev.journaled?.(c)) return;
  cclose(up, c);
}

/** Drop one reference (9front cclose); the last one removes an ORCLOSE file and closes it in its device. */
export function cclose(up: Proc, c: Chan): void {
  if (--c.ref > 0) return;
  if ((c.flag & CRCLOSE) && c.open) {
    try {
      c.dev.remove(up, c);
    } catch (e) {
      if (!isKernelError(e)) throw e;  // as on Plan 9, a failed remove on close is silent
    }
  }
  c.dev.close(up, c);
}

/** The name a Chan was reached by, for fd2path (9front chanpath). */
export function chanpath(c: Chan): string {
  return c.path || '???';
}

