// Laying out one function and choosing branch sizes exactly as Go's span6
// (cmd/internal/obj/x86/asm6.go) does for 386:
//
//   - every branch starts short; a backward branch (target at or before it)
//     is short iff its displacement fits in a byte in the current pass;
//   - a forward branch stays short until, on reaching its target, the
//     displacement is found to exceed 127; then it becomes near for good
//     and the whole function is laid out again;
//   - repeat until a pass changes nothing.
//
// No padding or alignment is inserted on 386 (Go disables both there).

import { encode } from './encode.ts';
import type { Prog, Reloc } from './prog.ts';

export interface Spanned {
  bytes: number[];
  relocs: Reloc[];
}

export interface SpanError {
  prog: Prog;
  msg: string;
}

export function span(progs: Prog[]): Spanned | SpanError[] {
  const index = new Map<Prog, number>();
  progs.forEach((p, i) => index.set(p, i));
  const errors: SpanError[] = [];
  for (const [i, p] of progs.entries()) {
    if (p.to.type === 'branch' && !p.to.sym && !p.to.target) p.to.target = p; // Go: an unresolved branch jumps to itself
    p.short = p.as !== 'CALL'; // CALL to a label (our extension) is always rel32
    const t = p.to.type === 'branch' && !p.to.sym ? p.to.target : undefined;
    if (t && !index.has(t)) errors.push({ prog: p, msg: 'branch target outside function' });
    p.backward = t !== undefined && t !== null && index.get(t)! <= i;
  }
  if (errors.length) return errors;

  for (let pass = 0; ; pass++) {
    if (pass > 1000) return [{ prog: progs[0]!, msg: 'span must be looping' }];
    let again = false;
    let c = 0;
    const waiting = new Map<Prog, Prog[]>(); // target → forward branches to it
    for (const p of progs) {
      p.pc = c;
      for (const q of waiting.get(p) ?? []) {
        if (q.short && p.pc - (q.pc + q.isize) > 127) {
          q.short = false;
          again = true;
        }
      }
      try {
        const e = encode(p);
        p.bytes = e.bytes;
        p.relocs = e.relocs;
      } catch (err) {
        errors.push({ prog: p, msg: (err as Error).message });
        p.bytes = [];
        p.relocs = [];
      }
      p.isize = p.bytes.length;
      c += p.isize;
      const t = p.to.type === 'branch' && !p.to.sym ? p.to.target : null;
      if (t && !p.backward) waiting.set(t, [...(waiting.get(t) ?? []), p]);
    }
    if (errors.length) return errors;
    if (!again) break;
  }

  const bytes: number[] = [];
  const relocs: Reloc[] = [];
  for (const p of progs) {
    const t = p.to.type === 'branch' && !p.to.sym ? p.to.target : null;
    // Backward branches were final when encoded (including Go's off-by-one
    // for a backward JCXZL, which we keep for identical bytes).
    if (t && (!p.backward || p.as === 'CALL')) patchDisplacement(p, t.pc - (p.pc + p.isize));
    bytes.push(...p.bytes);
    for (const r of p.relocs) relocs.push({ ...r, off: r.off + p.pc });
  }
  return { bytes, relocs };
}

/** Store a branch's displacement in its last byte (short form) or last four bytes (near form). */
function patchDisplacement(p: Prog, v: number): void {
  const n = p.bytes.length;
  if (n <= 3) {
    p.bytes[n - 1] = v & 0xff;
    return;
  }
  for (let i = 0; i < 4; i++) p.bytes[n - 4 + i] = (v >> (8 * i)) & 0xff;
}
