// The machine's configuration (9front's pc file, which mkdevc turns into
// devtab[], and /lib/namespace): the devices a # name can reach and the
// name space a run starts with. The kernel (port/) reaches both through
// Plan9.conf, so port/ needs no network or host-file code of its own.
//
// devtmp, devhost and cs are not in devtab: they stand for mounted file
// servers, reached only through the boot name space, so '#' names cannot
// reach the host.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Conf, Plan9 } from './port/kernel.ts';
import { bindsharp, cleanpgrp, type Pgrp } from './port/pgrp.ts';
import { devattach } from './port/devdir.ts';
import { devcons } from './port/devcons.ts';
import { devdup } from './port/devdup.ts';
import { devenv } from './port/devenv.ts';
import { hostattach } from './port/devhost.ts';
import { devpipe } from './port/devpipe.ts';
import { devproc } from './port/devproc.ts';
import { devroot } from './port/devroot.ts';
import { devsrv } from './port/devsrv.ts';
import { tmpattach } from './port/devtmp.ts';
import { MAFTER, MCREATE } from './port/union.ts';
import { devip, ipattach } from './ip/devip.ts';
import { csattach } from './ip/cs.ts';

/**
 * The name space a run starts with: #/ at /, the kernel devices on their
 * usual directories (#s at /srv), cs after #I on /net (as /lib/namespace mounts
 * /srv/cs), a private in-memory /tmp, and, when a host directory
 * is configured, its contents at / in front of the root device (so its
 * bin/ is found), writable only when the configuration says so.
 */
function namespace(k: Plan9): Pgrp {
  const config = k.config;
  const g = cleanpgrp(k);
  if (config.root) {
    const host = hostattach(config.root, config.user);
    host.path = '/';
    const root = g.mnt.get('/')![0]!;
    g.mnt.set('/', [{ to: host, flag: config.root.writable ? MCREATE : 0 }, root]);
  }
  bindsharp(g, '/dev', devattach(devcons, ''));
  bindsharp(g, '/proc', devattach(devproc, ''));
  bindsharp(g, '/env', devattach(devenv, ''));
  bindsharp(g, '/fd', devattach(devdup, ''));
  bindsharp(g, '/srv', devattach(devsrv, ''));
  bindsharp(g, '/net', ipattach(config, ''));
  g.mount(csattach(), g.lookup('/net')!, MAFTER);
  bindsharp(g, '/tmp', tmpattach(k));
  if (config.root) {
    // The host's tmp, read-only, after the in-memory one (which takes the
    // creates): a tree kept under the host's /tmp (a checkout, go test's
    // work directory) stays visible, as with bind -a.
    const dir = join(config.root.dir, 'tmp');
    let isdir = false;
    try {
      isdir = statSync(dir).isDirectory();
    } catch {
      // no tmp in the host tree
    }
    const tmp = g.mnt.get('/tmp')!;
    tmp[0] = { ...tmp[0]!, flag: MCREATE };
    if (isdir) {
      const host = hostattach({ dir, writable: false }, config.user);
      host.path = '/tmp';
      tmp.push({ to: host, flag: 0 });
    }
  }
  return g;
}

/** The configuration every run uses. */
export const pc: Conf = {
  devtab: [devroot, devcons, devenv, devproc, devdup, devpipe, devip, devsrv],
  namespace,
};
