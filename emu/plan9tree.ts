// p9emu's own Plan 9 files: plan9/ at the top of the source tree
// (lib/ndb, sys/src/cmd). Found from this module's place: emu/ in the
// sources, dist/ when bundled into the CLI, one or two levels down.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

let dir: string | undefined;

/** The host path of plan9/ (plus rel, if given). */
export function plan9tree(rel = ''): string {
  if (dir === undefined) {
    const up = ['..', '../..'].map((u) => fileURLToPath(new URL(`${u}/plan9`, import.meta.url)));
    dir = up.find((d) => existsSync(join(d, 'lib/ndb/local'))) ?? up[0]!;
  }
  return rel === '' ? dir : join(dir, rel);
}
