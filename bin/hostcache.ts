// Files go_plan9_386_exec makes on the host for the guest to see through
// its root (the host's /): ~/.cache/p9emu/<kind>/<key>/<name> (or under
// $XDG_CACHE_HOME), where key
// is a hash of what the file is made from, so a file once made is never
// made again and never stale. Written under a temporary name and renamed,
// so concurrent runs (go test runs packages in parallel) never see half a file.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

/** A short hash of parts, each ended by a NUL so that ("ab","c") ≠ ("a","bc"). */
export function contentkey(parts: readonly (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(p);
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

/** The directory <cache>/p9emu/<kind>/<key>, made or not: <cache> is $XDG_CACHE_HOME when absolute, as for Go's os.UserCacheDir, else ~/.cache. */
export function cachedir(kind: string, key: string): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'p9emu', kind, key);
}

/**
 * The directory cachedir(kind, key), in which <name> (a relative
 * path) holds make()'s bytes; make runs only when the file is missing.
 */
export function hostcache(kind: string, key: string, name: string, make: () => Uint8Array, mode = 0o644): string {
  const dir = cachedir(kind, key);
  const file = join(dir, name);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, make(), { mode });
    renameSync(tmp, file);
  }
  return dir;
}
