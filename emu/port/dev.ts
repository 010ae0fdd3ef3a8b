// The device interface (9front port/portdat.h struct Dev) and the Chan
// that names an open or walked file. Every device (#c, #p, #e, #|, #d, the
// root, a host-directory bind) is an object of this one shape; what a
// device does not implement comes from devdefaults (9front port/dev.c).

import type { Dir, Qid } from './dat.ts';
import type { Proc } from './proc.ts';
import { Eperm, Ebadusefd, error } from './error.ts';

export class Chan {
  /** Device-private state (open pipe end, proc, host path, …). */
  aux: unknown = undefined;
  mode = -1;               // open mode (OREAD, …) or -1 when only walked
  open = false;
  offset = 0;              // the fd's offset, used when an i/o offset is -1
  flag = 0;                // CCEXEC, CRCLOSE
  /** Path as the user named it, for fd2path and error texts. */
  path = '';
  /** Fds and processes holding this Chan; dev.close runs when it drops to 0 (cclose). */
  ref = 1;
  constructor(
    readonly dev: Dev,
    public qid: Qid,
    /** Device instance within its type (devno), e.g. which proc for #p. */
    public devno = 0,
  ) {}

  clone(): Chan {
    const c = new Chan(this.dev, { ...this.qid }, this.devno);
    c.aux = this.aux;
    c.path = this.path;
    this.dev.clone?.(c);
    return c;
  }
}

export const CCEXEC = 1;
export const CRCLOSE = 2;
/** The channel carries a 9P conversation (a mount's): a hung-up pipe posts no note (9front CMSG). */
export const CMSG = 4;

/** One entry of a static directory (9front Dirtab). */
export interface Dirtab {
  name: string;
  qid: Qid;
  length: number;
  perm: number;
}

/**
 * A device. `up` is the calling process. read/write may throw Sleep (see
 * rendez.ts) to block; the call is then rerun from the start when woken, so
 * they must not change state before they know they can complete.
 */
export interface Dev {
  readonly dc: string;       // the # letter
  readonly name: string;
  attach(up: Proc, spec: string): Chan;
  /** Walk one element; null when it does not exist. */
  walk(up: Proc, c: Chan, name: string): Chan | null;
  /**
   * Walk several elements in one exchange (the mount driver's Twalk): the
   * qids of those walked, and the new Chan when all were.
   */
  walkn?(up: Proc, c: Chan, names: string[]): { qids: Qid[]; c: Chan | null };
  /** A clone now shares c's aux (the mount driver counts the users of a fid). */
  clone?(nc: Chan): void;
  /**
   * c is what a rerun of the sleeping system call gets back from its RPC
   * journal (the mount driver's fresh fid): it must stay open while the
   * call sleeps. Any other Chan is closed then like on an error.
   */
  journaled?(c: Chan): boolean;
  stat(up: Proc, c: Chan): Dir;
  open(up: Proc, c: Chan, omode: number): Chan;
  create(up: Proc, c: Chan, name: string, omode: number, perm: number): Chan;
  close(up: Proc, c: Chan): void;
  read(up: Proc, c: Chan, n: number, off: number): Uint8Array;
  write(up: Proc, c: Chan, data: Uint8Array, off: number): number;
  remove(up: Proc, c: Chan): void;
  wstat(up: Proc, c: Chan, d: Dir): void;
}

/** Defaults for what a device does not support (9front port/dev.c). */
export const devdefaults = {
  create(): Chan { return error(Eperm); },
  remove(): void { error(Eperm); },
  wstat(): void { error(Eperm); },
  write(): number { return error(Ebadusefd); },
};
