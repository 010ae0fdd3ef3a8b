// The name-space calls that need the mount driver (9front port/sysfile.c
// bindmount, sysunmount, sysfversion, sysfauth). unmount works on the
// mount table. mount, fversion and fauth check their arguments as the
// kernel does, in its order and with its errors. Then they fail, because
// p9emu has no mount driver (devmnt: the 9P client a mount speaks over the
// fd). bind is in sysfile.ts.

import type { Chan } from './dev.ts';
import { ORDWR, OREAD } from './dat.ts';
import { cclose, namec, validname } from './chan.ts';
import { Ebadarg, Ebadspec, Enoattach, error, isKernelError } from './error.ts';
import { fdtochan } from './fd.ts';
import { MAFTER, MBEFORE, MMASK, MORDER } from './union.ts';
import { int, namearg, validaddr } from './sysarg.ts';
import type { Proc } from './proc.ts';

/** What mount, fversion and fauth answer once their arguments pass: the 9P exchange is not modelled. */
export const Enomntdrv = 'mount driver not modelled (no 9P client)';

/** The attach specifier: 9front lets validnamedup's error through, 4e turns it into Ebadspec. */
function specarg(up: Proc, addr: number): string {
  const spec = namearg(up, addr);
  try {
    validname(spec);
  } catch (e) {
    if (up.kernel.flavor === '4e' && isKernelError(e)) error(Ebadspec);
    throw e;
  }
  return spec;
}

// 46: int mount(int fd, int afd, char *old, int flag, char *aname)
export function sysmount(up: Proc, a: readonly number[]): number {
  const flag = int(a[3]!);
  if ((flag & ~MMASK) || (flag & MORDER) === (MBEFORE | MAFTER)) error(Ebadarg);
  // 9front checks the specifier first; 4e after the fds.
  if (up.kernel.flavor === '9front') specarg(up, a[4]!);
  if (up.pgrp.noattach) error(Enoattach);
  fdtochan(up, int(a[0]!), ORDWR);
  if (int(a[1]!) >= 0) fdtochan(up, int(a[1]!), ORDWR);
  if (up.kernel.flavor === '4e') specarg(up, a[4]!);
  return error(Enomntdrv);
}

// 35: int unmount(char *name, char *old)
export function sysunmount(up: Proc, a: readonly number[]): number {
  const cmount = namec(up, namearg(up, a[1]!), 'mount');
  let cmounted: Chan | null = null;
  try {
    // Opened, not walked: for /srv/x or /fd/n that is the way to the Chan underneath.
    if (a[0] !== 0) cmounted = namec(up, namearg(up, a[0]!), 'open', OREAD);
    up.pgrp.unmount(cmount, cmounted);
  } finally {
    if (cmounted) cclose(up, cmounted);
    cclose(up, cmount);
  }
  return 0;
}

// 40: int fversion(int fd, int bufsize, char *version, int nversion)
export function sysfversion(up: Proc, a: readonly number[]): number {
  const arglen = a[3]! >>> 0;
  validaddr(up, a[2]!, arglen, true);
  // there must be a NUL in the version string
  if (arglen === 0 || !up.as.read(a[2]! >>> 0, arglen).includes(0)) error(Ebadarg);
  fdtochan(up, int(a[0]!), ORDWR);
  return error(Enomntdrv);
}

// 10: int fauth(int fd, char *aname)
export function sysfauth(up: Proc, a: readonly number[]): number {
  validname(namearg(up, a[1]!));
  fdtochan(up, int(a[0]!), ORDWR);
  return error(Enomntdrv);
}
