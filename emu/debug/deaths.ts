// What `p9emu run` does when processes die: the post-mortem of each process
// a `sys: trap` note kills (every process that ends, with --post-mortem),
// on stderr after the run and as a trace event at once, and the --core
// file of the first.

import { writeFileSync } from 'node:fs';
import type { Plan9 } from '../port/kernel.ts';
import type { Proc } from '../port/proc.ts';
import { parseAout } from '../aout.ts';
import { corpse } from './corpse.ts';
import { writeCore } from './core.ts';
import { Debugsyms, formatPostMortem, postmortem, type PostMortem } from './postmortem.ts';

export class Deaths {
  private readonly seen: PostMortem[] = [];
  /** Symbols per a.out: processes that exec'd run other programs. */
  private readonly ds = new Map<Uint8Array, Debugsyms>();
  private cored = false;

  /** `image`: the program run, for a process that has none of its own. */
  constructor(private readonly image: Uint8Array, private readonly all: boolean, private readonly core?: string) {}

  attach(k: Plan9): void {
    k.reapers.push((p) => this.reaped(k, p));
  }

  private wanted(p: Proc): boolean {
    return this.all || (p.state === 'Broken' && p.exitstr.startsWith('sys: trap'));
  }

  private reaped(k: Plan9, p: Proc): void {
    const forCore = this.core !== undefined && !this.cored && (this.all || p.state === 'Broken');
    if (!this.wanted(p) && !forCore) return;
    const c = corpse(p);
    const image = p.image ?? this.image;
    if (forCore) {
      this.cored = true;
      writeFileSync(this.core!, writeCore(c, image));
    }
    if (!this.wanted(p)) return;
    let ds = this.ds.get(image);
    if (!ds) this.ds.set(image, (ds = new Debugsyms(parseAout(image))));
    const pm = postmortem(c, ds);
    this.seen.push(pm);
    const { note, regs, frames } = pm;
    k.trace.procev(p, 'postmortem', `${frames[0]!.where} ${JSON.stringify(note)}`, { postmortem: { note, pc: regs.pc!, regs, frames } });
  }

  /** Print each post-mortem on stderr (after the run: disassembly loads capstone). */
  async report(): Promise<void> {
    for (const pm of this.seen) process.stderr.write(`p9emu: post-mortem:\n${await formatPostMortem(pm)}`);
  }
}
