// The options a guest boots with: p9emu run's, checked as the CLI checks them.

import { statSync } from 'node:fs';
import { errtext } from '../emu/hosterr.ts';

export interface BootOptions {
  /** The kernel modelled: '4e' (default, Plan 9 4th edition as in 2012) or '9front' (--kernel). */
  kernel?: '4e' | '9front';
  /** Arguments after argv[0] (the program's name). */
  args?: readonly string[];
  /** /env entries (--env K=V). */
  env?: Readonly<Record<string, string>>;
  /** A host directory bound at / (--root), read-only unless rw (--rw). */
  root?: string;
  rw?: boolean;
  /** Processors /dev/sysstat reports (--cpus, default 1). */
  cpus?: number;
  /** Instruction-count slices, virtual clock, seeded #c/random (--deterministic, --seed N). */
  deterministic?: boolean;
  seed?: number;
  /** Kill every process after this many seconds of wall time (--timeout). */
  timeout?: number;
  /** The console's input (default: none, at end of file). */
  stdin?: string;
  /** Also copy the guest's stdout and stderr to the host's. */
  echo?: boolean;
}

/** The CLI's checks on the same options, as Errors. */
export function checkOptions(o: BootOptions): void {
  if (o.kernel !== undefined && o.kernel !== '4e' && o.kernel !== '9front') throw new Error(`kernel: '${o.kernel}' is not 4e or 9front`);
  if (o.cpus !== undefined && !(Number.isInteger(o.cpus) && o.cpus >= 1 && o.cpus <= 64)) throw new Error('cpus: a whole number from 1 to 64');
  if (o.timeout !== undefined && !(o.timeout > 0 && Number.isFinite(o.timeout))) throw new Error('timeout: a number of seconds above 0');
  if (o.seed !== undefined && !(Number.isInteger(o.seed) && o.seed >= 0 && o.seed <= 0xffffffff)) throw new Error('seed: a whole number from 0 to 4294967295');
  const why = o.root !== undefined ? notDirectory(o.root) : null;
  if (why) throw new Error(`root: ${why}`);
}

/** --root's check: why DIR is not a directory to bind ('DIR: not a directory'), or null. */
export function notDirectory(dir: string): string | null {
  try {
    return statSync(dir).isDirectory() ? null : `${dir}: not a directory`;
  } catch (e) {
    return `${dir}: ${errtext(e)}`;
  }
}
