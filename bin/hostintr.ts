// The host's interrupt key as a Plan 9 console's: SIGINT posts the note
// 'interrupt' to the note group of the console's first process (rc
// catches it, abandons the command and prompts again; a program without a
// handler dies of it), instead of killing p9emu. A second SIGINT within a
// second, or SIGTERM, ends p9emu, the terminal left in cooked mode.

import type { Plan9 } from '../emu/port/kernel.ts';
import { postnote } from '../emu/port/note.ts';
import type { Proc } from '../emu/port/proc.ts';
import { NUser } from '../emu/port/dat.ts';

/** How soon a second ^C ends p9emu (ms). */
const AGAIN_MS = 1000;

/** Install the handlers for a run; the function returned removes them. */
export function hostinterrupt(k: Plan9, first: Proc, restore: () => void): () => void {
  let last = -Infinity;
  const quit = (code: number) => {
    restore();
    process.stderr.write('p9emu: ended by the host\n');
    process.exit(code);
  };
  const onint = () => {
    const now = Date.now();
    if (now - last < AGAIN_MS) quit(130);
    last = now;
    // The console's note group (devproc notepg, from no process).
    for (const p of [...k.procs.values()]) if (p.noteid === first.noteid && p.alive) postnote(p, 'interrupt', NUser);
  };
  const onterm = () => quit(143);
  process.on('SIGINT', onint);
  process.on('SIGTERM', onterm);
  k.sched.hostevents = true;
  return () => {
    process.off('SIGINT', onint);
    process.off('SIGTERM', onterm);
  };
}
