// The Chan a blocked read or write holds across the reruns of its call.
// Plan 9's read(2) takes its Chan from the fd once (fdtochan increfs it)
// and keeps it while it sleeps; here a blocked call is rerun from the top,
// so without this a rerun would look the fd up again. Go on Plan 9 closes
// a conn's data fd while another of its Ms still sleeps in read on it
// (net/fd_plan9.go Close: "close" to ctl wakes the reader, then the files
// close at once): the fd number is free for the next open, the reader's
// rerun read that new file and took the bytes of a fresh connection, and
// its own conversation was freed for reuse under it.
//
// A call may hold something else the same way (Proc.sysheld): a listen
// on /net keeps its announcement as a use while it waits (devip.ts).

import type { Chan } from './dev.ts';
import type { Proc } from './proc.ts';
import { cclose } from './chan.ts';
import { fdtochan } from './fd.ts';
import { Sleep } from './rendez.ts';

/** fd's Chan for this call: the one held since it first blocked, else the fd's own. */
export function callchan(up: Proc, fd: number, mode: number): Chan {
  return up.syschan ?? fdtochan(up, fd, mode);
}

/** Run io on c; when it blocks, the call keeps c (a reference) until it ends (dropsyschan). */
export function holdingchan<T>(up: Proc, c: Chan, io: () => T): T {
  try {
    return io();
  } catch (e) {
    if (e instanceof Sleep && up.syschan === null) {
      c.ref++;
      up.syschan = c;
    }
    throw e;
  }
}

/** Something a blocked call keeps across its reruns, and how it lets go of it. */
export interface Held {
  readonly obj: object;
  drop(): void;
}

/** Does this call hold obj, since an earlier run of it blocked (holdforcall)? */
export function callholds(up: Proc, obj: object): boolean {
  return up.sysheld?.obj === obj;
}

/** The call, about to block, keeps obj until it ends; drop lets go of it then. */
export function holdforcall(up: Proc, obj: object, drop: () => void): void {
  up.sysheld?.drop();
  up.sysheld = { obj, drop };
}

/** The call has ended (returned, failed, or the process is gone): let go of its Chan and what else it held. */
export function dropsyschan(up: Proc): void {
  const c = up.syschan, h = up.sysheld;
  up.syschan = null;
  up.sysheld = null;
  if (c !== null) cclose(up, c);
  h?.drop();
}
