// #/ : the root of every name space (9front port/devroot.c): empty
// directories that the boot name space binds devices onto.

import type { Dev } from './dev.ts';
import { devdefaults } from './dev.ts';
import { DMDIR } from './dat.ts';
import { devattach, dirtab, tabopen, tabread, tabstat, tabwalk } from './devdir.ts';
import { Eisdir, error } from './error.ts';

enum Q { dir, bin, dev, env, fd, mnt, n, net, proc, root, srv, tmp, usr }

const rootdir = [
  dirtab('.', Q.dir, 0, DMDIR | 0o555),
  dirtab('bin', Q.bin, 0, DMDIR | 0o555),
  dirtab('dev', Q.dev, 0, DMDIR | 0o555),
  dirtab('env', Q.env, 0, DMDIR | 0o555),
  dirtab('fd', Q.fd, 0, DMDIR | 0o555),
  dirtab('mnt', Q.mnt, 0, DMDIR | 0o555),
  dirtab('n', Q.n, 0, DMDIR | 0o555),
  dirtab('net', Q.net, 0, DMDIR | 0o555),
  dirtab('proc', Q.proc, 0, DMDIR | 0o555),
  dirtab('root', Q.root, 0, DMDIR | 0o555),
  dirtab('srv', Q.srv, 0, DMDIR | 0o555),
  dirtab('tmp', Q.tmp, 0, DMDIR | 0o555),
  dirtab('usr', Q.usr, 0, DMDIR | 0o555),
];

/** Only the root itself lists the table; its subdirectories are empty. */
function istop(qpath: number | bigint): boolean {
  return Number(qpath) === Q.dir;
}

export const devroot: Dev = {
  ...devdefaults,
  dc: '/',
  name: 'root',
  attach: (_up, spec) => devattach(devroot, spec),
  walk: (_up, c, name) => (istop(c.qid.path) ? tabwalk(c, rootdir, name) : null),
  stat: (up, c) => tabstat(up, c, rootdir),
  open: (up, c, omode) => tabopen(up, c, rootdir, omode),
  close: () => {},
  read: (up, c, n, off) => (istop(c.qid.path) ? tabread(up, c, rootdir, n, off) : new Uint8Array(0)),
  write: () => error(Eisdir),
};
