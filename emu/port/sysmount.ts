// The name-space calls that speak to file servers (9front port/sysfile.c
// bindmount, sysunmount; port/auth.c sysfversion, sysfauth): mount puts a
// server's tree, reached over an fd through the mount driver (devmnt.ts),
// on a directory; fversion and fauth start the 9P conversation by hand.
// bind is in sysfile.ts.

import { CCEXEC } from './dev.ts';
import { ORDWR, OREAD } from './dat.ts';
import { cclose, namec, validname, withchan } from './chan.ts';
import { mntattach, mntauth, mntversion } from './devmnt.ts';
import { Ebadarg, Ebadspec, Enoattach, Eshort, error, isKernelError } from './error.ts';
import { fdtochan } from './fd.ts';
import { fdclose } from './sysfile.ts';
import { MAFTER, MBEFORE, MMASK, MORDER } from './union.ts';
import { copyout, int, namearg, validaddr } from './sysarg.ts';
import type { Proc } from './proc.ts';

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
  let spec = up.kernel.flavor === '9front' ? specarg(up, a[4]!) : '';
  if (up.pgrp.noattach) error(Enoattach);
  const bc = fdtochan(up, int(a[0]!), ORDWR);
  const ac = int(a[1]!) >= 0 ? fdtochan(up, int(a[1]!), ORDWR) : null;
  if (up.kernel.flavor === '4e') spec = specarg(up, a[4]!);
  const c0 = mntattach(up, bc, ac, spec);
  // The mount table keeps clones of both (pgrp.mount): these two go.
  const ret = withchan(up, c0, () => {
    const c1 = namec(up, namearg(up, a[2]!), 'mount');
    return withchan(up, c1, () => up.pgrp.mount(c0, c1, flag));
  });
  // The mount keeps the channel; the fd goes, as in both kernels' bindmount.
  fdclose(up, int(a[0]!));
  return ret;
}

// 35: int unmount(char *name, char *old)
export function sysunmount(up: Proc, a: readonly number[]): number {
  const cmount = namec(up, namearg(up, a[1]!), 'mount');
  return withchan(up, cmount, () => {
    // Opened, not walked: for /srv/x or /fd/n that is the way to the Chan underneath.
    const gone = a[0] === 0
      ? up.pgrp.unmount(cmount, null)
      : withchan(up, namec(up, namearg(up, a[0]!), 'open', OREAD), (cmounted) => up.pgrp.unmount(cmount, cmounted));
    for (const c of gone) cclose(up, c);
    return 0;
  });
}

// 40: int fversion(int fd, int bufsize, char *version, int nversion)
export function sysfversion(up: Proc, a: readonly number[]): number {
  const arglen = int(a[3]!);
  validaddr(up, a[2]!, arglen, true);
  // there must be a NUL in the version string
  const vb = arglen > 0 ? up.as.read(a[2]! >>> 0, arglen) : new Uint8Array(0);
  const nul = vb.indexOf(0);
  if (nul < 0) error(Ebadarg);
  const c = fdtochan(up, int(a[0]!), ORDWR);
  const v = new TextEncoder().encode(mntversion(up, c, new TextDecoder().decode(vb.subarray(0, nul)), int(a[1]!)));
  // The version agreed on goes back into the caller's buffer, without a NUL.
  if (arglen < v.length) error(Eshort);
  copyout(up, a[2]!, v);
  return v.length;
}

// 10: int fauth(int fd, char *aname)
export function sysfauth(up: Proc, a: readonly number[]): number {
  const aname = namearg(up, a[1]!);
  validname(aname);
  const ac = mntauth(up, fdtochan(up, int(a[0]!), ORDWR), aname);
  ac.flag |= CCEXEC;  // always close on exec
  return up.fgrp.newfd(ac);
}
