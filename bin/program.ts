// Turning a command-line PROGRAM into an a.out image: a Plan 9 a.out is
// used as it is; a .s file is assembled first (#include finds the
// package's sys_plan9_386.s). A file that is neither throws a
// ProgramError naming what it is; the CLI prints it as a runtime error.

import { load, type AssembleOptions } from '../api/program.ts';

export { ProgramError } from '../api/program.ts';

/** A bad command line: printed as 'p9emu CMD: message', exit status 2. */
export class UsageError extends Error {}

/** In a command's argument parsing: a UsageError is `p9emu CMD: message` on stderr and status 2; anything else goes on up. */
export function usageStatus(cmd: string, e: unknown): number {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`p9emu ${cmd}: ${e.message}\n`);
  return 2;
}

export interface Program {
  image: Uint8Array;
  /** The process's text name: the file's last path element (without .s), as exec sets it. */
  name: string;
}

export function loadProgram(path: string, o: Pick<AssembleOptions, 'entry' | 'include' | 'defines'> = {}): Program {
  const p = load(path, o);
  return { image: p.image, name: p.name };
}
