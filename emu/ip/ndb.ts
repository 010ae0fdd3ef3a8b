// The network database cs consults (ndb(6)): the entries of 9front's
// sys/lib/dist/ndb/local and common that a loopback-only machine needs,
// as attribute=value pairs, one entry per line there.

export type Ndbtuple = readonly [attr: string, val: string];
export type Ndbentry = readonly Ndbtuple[];

const line = (s: string): Ndbentry => s.split(' ').map((p) => p.split('=', 2) as unknown as Ndbtuple);

const db: readonly Ndbentry[] = [
  // ndb/local: "because the public demands the name localhost"
  'ip=127.0.0.1 sys=localhost dom=localhost',
  // ndb/common: protocols
  'protocol=icmp ipv4proto=1',
  'protocol=tcp ipv4proto=6',
  'protocol=udp ipv4proto=17',
  // ndb/common: services
  'tcp=echo port=7',
  'tcp=discard port=9',
  'tcp=ftp port=21',
  'tcp=ssh port=22',
  'tcp=telnet port=23',
  'tcp=smtp port=25',
  'tcp=domain port=53',
  'tcp=http port=80',
  'tcp=https port=443',
  'tcp=rexec port=512 restricted=',
  'tcp=login port=513 restricted=',
  'tcp=shell port=514 restricted=',
  'tcp=9fs port=564',
  'tcp=whoami port=565',
  'udp=echo port=7',
  'udp=domain port=53',
].map(line);

/** The entries with attr=val (ndbsearch, ndbsnext). */
export function ndbsearch(attr: string, val: string): Ndbentry[] {
  return db.filter((e) => e.some(([a, v]) => a === attr && v === val));
}

/** The first entry with attr=val, and its value of rattr (ndbgetvalue); null when either is missing. */
export function ndbgetvalue(attr: string, val: string, rattr: string): { val: string; entry: Ndbentry } | null {
  for (const entry of ndbsearch(attr, val)) {
    const t = entry.find(([a]) => a === rattr);
    if (t) return { val: t[1], entry };
  }
  return null;
}

/** Which attribute a name is: "ip" for an address, "dom" for a dotted name, else "sys" (libndb ipattr). */
export function ipattr(name: string): 'ip' | 'dom' | 'sys' {
  let dot = false, alpha = false, colon = false, hex = false;
  for (const c of name) {
    if (/[0-9]/.test(c)) continue;
    if (/[a-fA-F]/.test(c)) hex = true;
    else if (/[a-zA-Z-]/.test(c)) alpha = true;
    else if (c === '.') dot = true;
    else if (c === ':') colon = true;
    else return 'sys';
  }
  if (alpha) return dot ? 'dom' : 'sys';
  if (colon) return 'ip';
  return dot && !hex ? 'ip' : 'sys';
}
