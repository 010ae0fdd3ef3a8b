// Turning a command-line PROGRAM into an a.out image: a Plan 9 a.out is
// used as it is; a .s file is assembled first.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { assembleFile } from '../asm/asm.ts';

export class UsageError extends Error {}

export interface Program {
  image: Uint8Array;
  /** The process's text name: the file's last path element, as exec sets it. */
  name: string;
}

export function loadProgram(path: string, entry?: string): Program {
  let name = basename(path);
  if (path.endsWith('.s')) {
    const r = assembleFile(path, { entry });
    if (!r.ok || !r.aout) throw new UsageError(r.errors.join('\n'));
    name = name.slice(0, -2);
    return { image: r.aout, name };
  }
  let image: Uint8Array;
  try {
    image = readFileSync(path);
  } catch (e) {
    throw new UsageError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file does not exist' : (e as Error).message}`);
  }
  return { image, name };
}
