// The device table (9front mkdevc's devtab[]): the # letter of a path
// names one of these. devtmp, devhost and cs are not here: they stand for
// mounted file servers, reached only through the boot name space, so '#'
// names cannot reach the host.

import type { Dev } from './dev.ts';
import { devcons } from './devcons.ts';
import { devdup } from './devdup.ts';
import { devenv } from './devenv.ts';
import { devip } from '../ip/devip.ts';
import { devpipe } from './devpipe.ts';
import { devproc } from './devproc.ts';
import { devroot } from './devroot.ts';
import { devsrv } from './devsrv.ts';

// Built at first use: devices import chan.ts, which imports this file.
let devtab: readonly Dev[] | null = null;

/** The device for a # letter, or undefined (9front devno(c, 1) == -1). */
export function devno(dc: string): Dev | undefined {
  devtab ??= [devroot, devcons, devenv, devproc, devdup, devpipe, devip, devsrv];
  return devtab.find((d) => d.dc === dc);
}
