// p9emu's own Plan 9 files: plan9/ at the top of the source tree
// (lib/ndb, sys/src/cmd). This module is one level down, in emu/ in the
// sources and in dist/ once bundled into the CLI, so ../plan9 finds it
// from either.

import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('../plan9', import.meta.url));

/** The host path of plan9/ (plus rel, if given). */
export function plan9tree(rel = ''): string {
  return rel === '' ? dir : join(dir, rel);
}
