// The machine's only interface: loopback, configured as 9front's
// /rc/bin/cpurc and termrc do (ip/ipconfig -P loopback /dev/null 127.1 and
// ::1). Only its own two addresses are local; nothing else is reachable.

import { IPaddrlen, ipcmp, ipfmt, isv4, v4 } from './ipaddr.ts';

const lo4 = v4(127, 0, 0, 1);
const lo6 = Uint8Array.from({ length: IPaddrlen }, (_, i) => (i === IPaddrlen - 1 ? 1 : 0));

/** Is ip one of this machine's addresses (9front ipforme)? */
export function ipforme(ip: Uint8Array): boolean {
  return ipcmp(ip, lo4) === 0 || ipcmp(ip, lo6) === 0;
}

/** The local address to use towards raddr: the loopback of its family (9front findlocalip). */
export function findlocalip(raddr: Uint8Array): Uint8Array {
  return isv4(raddr) ? lo4 : lo6;
}

/**
 * The loopback's two addresses (its Iplifc list): 127.0.0.1 with mask
 * 255.0.0.0 (/104 in the v6 form) and its network as remote, then ::1/128.
 * ipifc status prints them; iproute has a route to each network.
 */
export function loifcs(): { local: string; mask: string; remote: string; v4: boolean }[] {
  return [
    { local: ipfmt(lo4), mask: '/104', remote: '127.0.0.0', v4: true },
    { local: ipfmt(lo6), mask: '/128', remote: ipfmt(lo6), v4: false },
  ];
}

/**
 * /net/iproute (9front iproute.c routeread): the interface route of each
 * loopback address (its network, through itself), one line each as
 * "%-15I %-4M %-15I %-4s %4.4s %3s %-15I %-4M". Go reads it to learn that
 * IPv4 ("4i") and IPv6 ("6i") are configured.
 */
export function iproute(): string {
  return loifcs().map((l) => {
    const [type, src, smask] = l.v4 ? ['4i', '0.0.0.0', '/96'] : ['6i', '::', '/0'];
    return `${l.remote.padEnd(15)} ${l.mask.padEnd(4)} ${l.local.padEnd(15)} ${type.padEnd(4)} none ${'0'.padStart(3)} ${src.padEnd(15)} ${smask.padEnd(4)}
`;
  }).join('');
}
