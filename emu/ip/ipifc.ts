// /net/ipifc (9front ip/ipifc.c): the interfaces as conversations of a
// protocol. Interface 0 is the loopback, bound and configured as 9front's
// cpurc and termrc do it (ip/ipconfig -P loopback /dev/null 127.1, then
// ::1), and held open by its binding; what clone makes stays unbound.
// Only its status is modelled: Go's net.Interfaces and InterfaceAddrs
// read it.

import { Queue } from '../port/qio.ts';
import { Conv, type Fs, type Proto } from './conv.ts';
import { loifcs } from './loopback.ts';

/** The loopback medium's largest packet (9front loopbackmedium.c: IP_MAX). */
const IP_MAX = 64 * 1024;

/** The first status line (ipifc.c sfixedformat), with the defaults ipifcbind sets. */
function fixed(dev: string, maxtu: number): string {
  const maxraint = 600000;
  return `device ${dev} maxtu ${maxtu} sendra 0 recvra 0 mflag 0 oflag 0 maxraint ${maxraint} minraint 200000`
    + ` linkmtu 0 reachtime 0 rxmitra 0 ttl 255 routerlt ${3 * maxraint} pktin 0 pktout 0 errin 0 errout 0 speed 0 delay 0\n`;
}

/** ipifcstate: the device line, then a line per address ("\t%-40I %-10M %-40I %-12lud %-12lud"), or an empty line. */
function ipifcstate(c: Conv): string {
  if (c.x !== 0) return fixed('', 0) + '\n';
  const lifc = loifcs().map((l) => `\t${l.local.padEnd(40)} ${l.mask.padEnd(10)} ${l.remote.padEnd(40)} ${'4294967295'.padEnd(12)} ${'4294967295'.padEnd(12)}\n`);
  return fixed('/dev/null', IP_MAX) + lifc.join('');
}

/** Add ipifc to fs, with the loopback as interface 0 (9front ipifcinit, then ipconfig). */
export function ipifcinit(fs: Fs): void {
  const ipifc: Proto = {
    name: 'ipifc',
    x: fs.p.length,
    conv: [],
    nextrport: 600,
    create: (c) => {
      c.rq = new Queue(0);
    },
    connect: () => 'connect not supported',
    announce: () => 'announce not supported',
    ctl: () => 'unsupported ctl',
    close: () => {},
    write: () => 0,
    state: ipifcstate,
    inuse: (c) => c.x === 0,
  };
  fs.p.push(ipifc);
  const lo = new Conv(ipifc, 0);
  lo.inuse = 1;  // held by its binding (ipifcbind: ifc->conv->inuse++)
  ipifc.conv.push(lo);
}
