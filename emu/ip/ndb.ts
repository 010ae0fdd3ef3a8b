// The network database cs consults (ndb(6)): plan9/lib/ndb/local and
// common, the same files go_plan9_386_exec binds at /lib/ndb, read once.

import { readFileSync } from 'node:fs';
import { plan9tree } from '../plan9tree.ts';

export type Ndbtuple = readonly [attr: string, val: string];
export type Ndbentry = readonly Ndbtuple[];

/**
 * Entries of ndb text (libndb): an entry starts on a line beginning with
 * an attribute and goes on over indented lines; tuples are attr=value
 * (the value may be empty, or quoted), separated by blanks; # starts a
 * comment. A `database=` entry is only the list of files.
 */
export function ndbparse(text: string): Ndbentry[] {
  const out: Ndbtuple[][] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '');
    const tuples = [...line.matchAll(/([^\s=]+)=("[^"]*"|[^\s]*)/g)].map((m) => [m[1]!, m[2]!.replace(/^"(.*)"$/, '$1')] as const);
    if (tuples.length === 0) continue;
    if (/^\s/.test(raw) && out.length > 0) out[out.length - 1]!.push(...tuples);
    else out.push([...tuples]);
  }
  return out.filter((e) => e[0]![0] !== 'database');
}

let cache: readonly Ndbentry[] | undefined;

function db(): readonly Ndbentry[] {
  cache ??= ['lib/ndb/local', 'lib/ndb/common'].flatMap((f) => ndbparse(readFileSync(plan9tree(f), 'latin1')));
  return cache;
}

/** The entries with attr=val (ndbsearch, ndbsnext). */
export function ndbsearch(attr: string, val: string): Ndbentry[] {
  return db().filter((e) => e.some(([a, v]) => a === attr && v === val));
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
