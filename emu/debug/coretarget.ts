// A core file as something gdb can attach to (`p9emu core FILE --gdb
// PORT`): the dead process is the one thread, stopped on the note it died
// of; registers and memory are read from the core. Nothing can run: going
// on ends the process as it ended (the note kills it), and the core cannot
// be changed.

import type { Corpse } from './corpse.ts';
import { corpseRead } from './corpse.ts';
import type { ProcInfo, StopReason, Watchpoint } from './control.ts';
import type { Debuggee } from './gdbstub.ts';
import type { AllRegs } from './regs.ts';

export class CoreTarget implements Debuggee {
  stopped: StopReason;
  private readonly listeners = new Set<(r: StopReason) => void>();

  constructor(private readonly c: Corpse) {
    this.stopped = { kind: 'note', pid: c.pid, note: c.note };
  }

  onStop(fn: (r: StopReason) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Continue or step: the note it died of is taken, and the process is gone. */
  cont(): void {
    this.stopped = { kind: 'exited', pid: this.c.pid, exitstr: this.c.note };
    for (const fn of this.listeners) fn(this.stopped);
  }

  step(): void {
    this.cont();
  }

  interrupt(): void {}
  detach(): void {}
  kill(): void {}

  procs(): ProcInfo[] {
    return [{ pid: this.c.pid, text: this.c.text, state: 'Core', notes: [] }];
  }

  proc(): undefined {
    return undefined;
  }

  corpse(pid: number): Corpse | undefined {
    return pid === this.c.pid ? this.c : undefined;
  }

  regs(): AllRegs {
    return this.c.regs;
  }

  setRegs(): void {
    throw new Error('a core cannot be changed');
  }

  read(_pid: number, addr: number, len: number): Uint8Array {
    const b = corpseRead(this.c, addr, len);
    if (!b) throw new Error(`bad address 0x${(addr >>> 0).toString(16)}`);
    return b;
  }

  write(): void {
    throw new Error('a core cannot be changed');
  }

  // Breakpoints and watchpoints are accepted and never hit: nothing runs.
  addBreakpoint(): void {}
  removeBreakpoint(): boolean {
    return true;
  }
  findWatchpoint(): Watchpoint | undefined {
    return undefined;
  }
  addWatchpoint(addr: number, len: number, kind: Watchpoint['kind']): Watchpoint {
    return { id: 0, addr, len, kind };
  }
  removeWatchpoint(): boolean {
    return true;
  }
}
