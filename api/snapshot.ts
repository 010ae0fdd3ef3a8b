// A snapshot of a stopped guest (Guest.snapshot, Guest.restore): the
// machine's state as the control layer saves it (emu/debug/snapshot.ts)
// and what the Guest itself had recorded by then.

import type { MachineSnapshot } from '../emu/debug/control.ts';
import type { Stop } from './until.ts';

export class Snapshot {
  /** @internal */
  constructor(
    /** @internal */ readonly guest: object,
    /** @internal */ readonly machine: MachineSnapshot,
    /** Where it was taken: the stop the machine is at again after restore(). */
    readonly stop: Stop,
    /** @internal How many events the run had made. */
    readonly events: number,
    /** @internal */ readonly exits: Readonly<Record<number, string>>,
  ) {}
}
