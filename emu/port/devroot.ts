// #/ : the root of every name space (9front port/devroot.c): empty
// directories that the boot name space binds devices onto.

import type { Dev } from './dev.ts';
import type { Proc } from './proc.ts';
import { devdefaults } from './dev.ts';
import { DMDIR } from './dat.ts';
import { devattach, dirtab, tabopen, tabread, tabstat, tabwalk } from './devdir.ts';
import { Eisdir, error } from './error.ts';

enum Q { dir, bin, dev, env, fd, mnt, n, net, netalt, proc, rc, root, srv, shr, tmp }

// 9front rootreset's directories (4e's lack rc and shr); tmp and, in 4e, n
// are extras, the mount points /tmp and /n (a 4e tree checked out of git
// has no empty n). Nothing else: a tree bound after #/ (bind -a /root /)
// must be reached for /usr, /lib...
const rootdir4e = [
  dirtab('.', Q.dir, 0, DMDIR | 0o555),
  dirtab('bin', Q.bin, 0, DMDIR | 0o555),
  dirtab('dev', Q.dev, 0, DMDIR | 0o555),
  dirtab('env', Q.env, 0, DMDIR | 0o555),
  dirtab('fd', Q.fd, 0, DMDIR | 0o555),
  dirtab('mnt', Q.mnt, 0, DMDIR | 0o555),
  dirtab('n', Q.n, 0, DMDIR | 0o555),
  dirtab('net', Q.net, 0, DMDIR | 0o555),
  dirtab('net.alt', Q.netalt, 0, DMDIR | 0o555),
  dirtab('proc', Q.proc, 0, DMDIR | 0o555),
  dirtab('root', Q.root, 0, DMDIR | 0o555),
  dirtab('srv', Q.srv, 0, DMDIR | 0o555),
  dirtab('tmp', Q.tmp, 0, DMDIR | 0o555),
];
const rootdir9front = [
  ...rootdir4e,
  dirtab('rc', Q.rc, 0, DMDIR | 0o555),
  dirtab('shr', Q.shr, 0, DMDIR | 0o555),
];

const tab = (up: Proc) => (up.kernel.flavor === '9front' ? rootdir9front : rootdir4e);

/** Only the root itself lists the table; its subdirectories are empty. */
function istop(qpath: number | bigint): boolean {
  return Number(qpath) === Q.dir;
}

export const devroot: Dev = {
  ...devdefaults,
  dc: '/',
  name: 'root',
  attach: (_up, spec) => devattach(devroot, spec),
  walk: (up, c, name) => (istop(c.qid.path) ? tabwalk(c, tab(up), name) : null),
  stat: (up, c) => tabstat(up, c, tab(up)),
  open: (up, c, omode) => tabopen(up, c, tab(up), omode),
  close: () => {},
  read: (up, c, n, off) => (istop(c.qid.path) ? tabread(up, c, tab(up), n, off) : new Uint8Array(0)),
  write: () => error(Eisdir),
};
