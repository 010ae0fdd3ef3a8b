// Turning a command-line PROGRAM into an a.out image: a Plan 9 a.out is
// used as it is; a .s file is assembled first (#include finds the
// package's sys_plan9_386.s). A file that is neither throws a
// ProgramError naming what it is; the CLI prints it as a runtime error.

import { load, type AssembleOptions } from '../api/program.ts';

export { ProgramError } from '../api/program.ts';

/** A bad command line: printed as 'p9emu CMD: message', exit status 2. */
export class UsageError extends Error {}

export interface Program {
  image: Uint8Array;
  /** The process's text name: the file's last path element (without .s), as exec sets it. */
  name: string;
}

export function loadProgram(path: string, o: Pick<AssembleOptions, 'entry' | 'include' | 'defines'> = {}): Program {
  const p = load(path, o);
  return { image: p.image, name: p.name };
}
