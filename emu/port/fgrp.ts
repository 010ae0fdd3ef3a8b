// The file descriptor table (9front Fgrp). Shared between processes unless
// rfork copies it (RFFDG) or starts it empty (RFCFDG).

import type { Chan } from './dev.ts';
import { Ebadfd, Enofd, error } from './error.ts';

/**
 * Both kernels grow the table DELTAFD at a time and refuse to grow past
 * 5000 entries ("no free file descriptors"; growfd in port/sysfile.c of
 * 4e and 9front). They also print "warning: process exceeds N file
 * descriptors" to the process at each hundred, which is not modelled.
 */
export const NFD = 5000;

export class Fgrp {
  fd: (Chan | undefined)[] = [];
  /** Processes sharing this table; the last to exit closes the fds. */
  ref = 1;

  /** Lowest free fd at or above `from` (9front newfd). */
  newfd(c: Chan, from = 0): number {
    for (let i = from; i < NFD; i++) {
      if (this.fd[i] === undefined) {
        this.fd[i] = c;
        return i;
      }
    }
    return error(Enofd);
  }

  /** The Chan for fd, or Ebadfd (9front fdtochan, without the mode check). */
  get(fd: number): Chan {
    const c = fd >= 0 && fd < NFD ? this.fd[fd] : undefined;
    return c ?? error(Ebadfd);
  }

  /** A copy for RFFDG: same Chans, new table. */
  dup(): Fgrp {
    const f = new Fgrp();
    f.fd = this.fd.slice();
    for (const c of f.fd) if (c) c.ref++;
    return f;
  }
}
