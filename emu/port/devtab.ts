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

// Built on first use: devcons reads the table (#c/drivers) and this file
// imports devcons, so neither may need the other while it loads.
let table: readonly Dev[] | null = null;

export function devtab(): readonly Dev[] {
  return (table ??= [devroot, devcons, devenv, devproc, devdup, devpipe, devip]);
}

/** The device for a # letter, or undefined (9front devno(c, 1) == -1). */
export function devno(dc: string): Dev | undefined {
  return devtab().find((d) => d.dc === dc);
}

/** #c/drivers: one line per device, '#c cons' (devcons.c Qdrivers). */
export function drivers(): string {
  return devtab().map((d) => `#${d.dc} ${d.name}\n`).join('');
}
