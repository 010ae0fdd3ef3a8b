// /net/cs, the connection server (9front cmd/ndb/cs.c), as a small file
// server bound after #I on /net the way Plan 9's namespace mounts
// /srv/cs. Write "net!host!service" to cs, then read one line per
// answer, "/net/tcp/clone 127.0.0.1!80": the clone file to open and the
// address to give connect or announce. Each open of cs keeps its own
// answers, as each fid does there.
//
// Names come from the database in ndb.ts. The machine has no DNS server
// to ask: a name not in the database fails as cs fails when ndb/dns
// cannot reach one, with "temporary problem: dns failure" (cs.c
// dnsiplookup), which Go reports as "no such host".

import type { Chan } from '../port/dev.ts';
import type { Proc } from '../port/proc.ts';
import { devdefaults, type Dev } from '../port/dev.ts';
import { DMDIR, QTDIR } from '../port/dat.ts';
import { devattach, dirtab, tabopen, tabread, tabstat, tabwalk } from '../port/devdir.ts';
import { Eperm, error } from '../port/error.ts';
import { ipfmt, isv4, parseip } from './ipaddr.ts';
import { ipattr, ndbgetvalue, ndbsearch, type Ndbentry, type Ndbtuple } from './ndb.ts';

enum Q { dir, cs }

const csdir = [dirtab('.', Q.dir, 0, DMDIR | 0o555), dirtab('cs', Q.cs, 0, 0o666)];

const mntpt = '/net';
const Maxrequest = 128;
const Nreply = 20;
const V4 = 1, V6 = 2;
/** The IP versions of this machine's interfaces (confipvers): loopback has both. */
const confipvers = V4 | V6;

const Etransaddr = "can't translate address";
const Etransserv = "can't translate service";
const Ednsfail = 'temporary problem: dns failure';

/** A network cs knows (cs.c Network): the IP versions it carries and whether "net" may pick it. */
interface Network {
  net: string;
  ipvers: number;
  fasttimeout?: boolean;
}

/** cs.c network[], less telco, which is left untranslated like any unknown network. */
const network: readonly Network[] = [
  { net: 'il', ipvers: V4, fasttimeout: true },
  { net: 'tcp', ipvers: V4 | V6 },
  { net: 'il', ipvers: V4 },
  { net: 'udp', ipvers: V4 | V6 },
  { net: 'icmp', ipvers: V4 },
  { net: 'icmpv6', ipvers: V6 },
  { net: 'rudp', ipvers: V4 },
  { net: 'ssh', ipvers: V4 | V6 },
];

/** What "net" tries, in order: netinit keeps the networks with a clone file, and #I has only tcp. */
const netlist: readonly Network[] = network.filter((n) => n.net === 'tcp');

/** One open cs: the answers to its last query (cs.c Mfile). */
class Mfile {
  reply: string[] = [];
}

/** A service name or number as a port, with "!r" when ndb marks it restricted (cs.c ipserv). */
function ipserv(np: Network, name: string): string | null {
  if (name === '*') return name;
  if (!/^[0-9a-zA-Z$-]*$/.test(name)) return null;
  let port = name, entry: Ndbentry = [];
  if (/[a-zA-Z$-]/.test(name)) {
    const v = ndbgetvalue(np.net, name, 'port');
    if (!v) return null;
    ({ val: port, entry } = v);
  } else if ((parseInt(name, 10) || 0) < 1024 && np.net === 'tcp') {
    // numbers are looked up only for the restricted attribute of tcp's low ports
    entry = ndbgetvalue('port', name, 'port')?.entry ?? [];
  }
  return port + (entry.some(([a]) => a === 'restricted') ? '!r' : '');
}

/** A name's addresses: the database first, then (failing, here) DNS (cs.c iplookuphost). */
function iplookuphost(host: string): Ndbtuple[] | string {
  if (host.startsWith('[')) host = host.slice(1).split(']')[0]!;
  if (host === '*' || host === '::') return [['ip', '*']];
  const attr = ipattr(host);
  if (attr === 'ip') return [['ip', host]];
  const found = ndbsearch(attr, host).filter((e) => e.some(([a]) => a === 'ip'));
  return found.length ? found.flat() : Ednsfail;
}

function iplookup(np: Network, host: string, serv: string | null): Ndbtuple[] | string {
  if (serv === null || ipserv(np, serv) === null) return Etransserv;
  if (host.startsWith('$')) return Etransaddr;  // an attribute of this machine's own entry: it has none
  return iplookuphost(host);
}

/** One answer line for address tuple t, or null (cs.c iptrans). */
function iptrans(t: Ndbtuple, np: Network, serv: string, rem: string | null, fasttimeout: boolean): string | null {
  if (t[0] !== 'ip') return null;
  const ts = ipserv(np, serv)!;
  const x = rem !== null ? '!' + rem : '';
  if (t[1].startsWith('*')) return `${mntpt}/${np.net}/clone ${ts}${x}`;
  const ip = parseip(t[1]);
  if (!ip || !(np.ipvers & confipvers & (isv4(ip) ? V4 : V6))) return null;
  return `${mntpt}/${np.net}/clone ${ipfmt(ip)}!${ts}${x}${fasttimeout ? '!fasttimeout' : ''}`;
}

/** Answer net!host!serv!rem into mf (cs.c lookup); an error string when there is no answer. */
function lookup(mf: Mfile, net: string, host: string, serv: string | null, rem: string | null): string | null {
  const known = net === 'net' ? netlist : network.filter((n) => !n.fasttimeout && n.net === net).slice(0, 1);
  if (known.length === 0) {
    // not a known network: neither host nor service is translated
    mf.reply.push(`${mntpt}/${net}/clone ${host}${serv !== null ? '!' + serv : ''}`);
    return null;
  }
  let err = Etransaddr;
  for (const np of known) {
    const t = iplookup(np, host, serv);
    if (typeof t === 'string') { err = t; continue; }
    for (const tuple of t) {
      if (mf.reply.length >= Nreply) break;
      const a = iptrans(tuple, np, serv!, rem, false);
      if (a !== null && !(net === 'net' && mf.reply.includes(a))) mf.reply.push(a);
    }
  }
  return mf.reply.length ? null : err;
}

/** "!attr=val ...": the database entries that have every pair, one line each (cs.c genquery). */
function genquery(mf: Mfile, query: string): string | null {
  const pairs = query.split(' ').filter(Boolean).map((f) => f.split('=', 2));
  if (pairs.length === 0 || pairs.some((p) => p.length < 2)) return 'bad query';
  const [[attr, val]] = pairs as [[string, string]];
  const match = ndbsearch(attr, val).find((e) =>
    pairs.every(([a, v]) => e.some(([ea, ev]) => ea === a && (v === '*' || ev === v))));
  if (!match) return 'no match';
  mf.reply.push(match.map(([a, v]) => `${a}=${v}`).join(' '));
  return null;
}

/** The fields of a query: "!"-separated, empty ones dropped, the fourth keeping the rest (getfields(s, f, 4, 1, "!")). */
function getfields(s: string): string[] {
  const f: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (s[i] === '!') i++;
    if (i >= s.length) break;
    if (f.length === 3) { f.push(s.slice(i)); break; }
    const j = s.indexOf('!', i);
    f.push(s.slice(i, j < 0 ? s.length : j));
    i = j < 0 ? s.length : j;
  }
  return f;
}

function cswrite(_up: Proc, c: Chan, data: Uint8Array): number {
  if (c.qid.type & QTDIR) error("can't write directory");
  if (data.length >= Maxrequest) error('request too long');
  const mf = c.aux as Mfile;
  mf.reply = [];
  const q = new TextDecoder().decode(data).split('\0')[0]!;
  let err: string | null;
  if (q.startsWith('!')) {
    err = genquery(mf, q.slice(1));
  } else {
    const f = getfields(q);
    if (f.length === 0) err = 'bad query';
    else if (f.length === 1) err = lookup(mf, 'net', f[0]!, null, null);
    else err = lookup(mf, f[0]!, f[1]!, f[2] ?? null, f[3] ?? null);
  }
  if (err) error(err);
  return data.length;
}

/** The answer at byte offset off, from there to its end: one answer per read (cs.c rread). */
function csread(up: Proc, c: Chan, n: number, off: number): Uint8Array {
  if (c.qid.type & QTDIR) return tabread(up, c, csdir, n, off);
  let toff = 0;
  for (const r of (c.aux as Mfile).reply) {
    const b = new TextEncoder().encode(r);
    if (off < toff + b.length) return b.slice(off - toff, off - toff + Math.max(0, n));
    toff += b.length;
  }
  return new Uint8Array(0);
}

export const devcs: Dev = {
  ...devdefaults,
  dc: 'M',
  name: 'cs',
  attach: () => error(Eperm),
  walk: (_up, c, name) => tabwalk(c, csdir, name),
  stat: (up, c) => tabstat(up, c, csdir),
  open: (up, c, omode) => {
    tabopen(up, c, csdir, omode);
    if (!(c.qid.type & QTDIR)) c.aux = new Mfile();
    return c;
  },
  close: () => {},
  read: csread,
  write: cswrite,
};

/** A new cs, to bind after #I on /net. */
export function csattach(): Chan {
  return devattach(devcs, '');
}
