// A zoneinfo.zip made from the host's tzdata, for a GOROOT that has
// neither lib/time/zoneinfo.zip nor Go's embedded copy of it (zipdata.ts).
// Go builds its zip (lib/time/update.bash) as a stored zip of every file
// zic installs, named as below /usr/share/zoneinfo ("America/Los_Angeles");
// the same is made here from the installed files. Its data is the host's
// release, not Go's: tests that compare the two (time's
// TestLoadLocationFromTZData) can tell.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { contentkey } from './hostcache.ts';
import { zipStore, type ZipMember } from './zip.ts';

export const TZDIR = '/usr/share/zoneinfo';

/**
 * Not zones: posix/ and right/ are Debian's copies (right/ counts leap
 * seconds, which Go never does), localtime is the host's own zone and
 * posixrules zic's default rules; update.bash's zip has none of them.
 */
const NOTZONE = new Set(['posix', 'right', 'localtime', 'posixrules']);

/** The names below dir that may be zones, sorted: files and links, recursively. */
export function zonenames(dir = TZDIR): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const name = rel === '' ? e.name : `${rel}/${e.name}`;
      if (rel === '' && NOTZONE.has(e.name)) continue;
      if (e.isDirectory()) walk(name);
      else if (e.isFile() || e.isSymbolicLink()) out.push(name);
    }
  };
  walk('');
  return out.sort();
}

/**
 * What the zip is made from, cheaply: tzdata.zi is the source zic compiled
 * every file from, so its bytes and the list of names stand for the whole
 * tree; without it, each file's size and mtime do.
 */
export function tzdatakey(dir = TZDIR): string {
  const names = zonenames(dir);
  let zi: Uint8Array | null = null;
  try {
    zi = readFileSync(join(dir, 'tzdata.zi'));
  } catch {
    // not every distribution installs it
  }
  const stamps = zi ? [zi] : names.map((n) => {
    const st = statSync(join(dir, n));
    return `${st.size} ${st.mtimeMs}`;
  });
  return contentkey(['tzdata zip 1', dir, ...names, ...stamps]);
}

/** zoneinfo.zip's bytes: every TZif file below dir, links followed, stored. */
export function tzdatazip(dir = TZDIR): Uint8Array {
  const members: ZipMember[] = [];
  for (const name of zonenames(dir)) {
    let data: Uint8Array;
    try {
      data = readFileSync(join(dir, name));
    } catch {
      continue;  // a dangling link, or one to a directory
    }
    // The tables (zone.tab, iso3166.tab), tzdata.zi and leapseconds are not zones.
    if (data.length >= 4 && String.fromCharCode(...data.subarray(0, 4)) === 'TZif') members.push({ name, data });
  }
  return zipStore(members);
}
