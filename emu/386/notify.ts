// Note delivery and noted() on the 386 (9front pc/trap.c: notify, noted).
// Only this file knows the note frame: the Ureg copy 256 bytes below the
// interrupted stack, the old up->ureg under it, the ERRMAX message, and the
// handler's (pc=0, ureg*, msg) arguments.

import type { Regs } from '../cpu/cpu.ts';
import type { Proc } from '../port/proc.ts';
import { ERRMAX, NCONT, NDebug, NDFLT, NRSTR, NSAVE, NUser } from '../port/dat.ts';
import { popnote } from '../port/note.ts';
import { pexit, pprint } from '../port/pexit.ts';
import { BY2WD, FLAGS_USER, UDSEL, UESEL } from './mem.ts';
import { UREGSIZE, decodeUreg, encodeUreg, uregFromRegs } from './ureg.ts';

const utf8 = new TextEncoder();
const SEGS = ['cs', 'ss', 'ds', 'es', 'fs', 'gs'] as const;

/** The ` pc=` suffix of a sys: note (4e: 8 zero-padded digits, cut at 113; 9front: minimal hex). */
function pcsuffix(p: Proc, msg: string, pc: number): string {
  if (p.kernel.flavor === '9front') {
    const s = `${msg} pc=0x${pc.toString(16)}`;
    return s.length < ERRMAX ? s : s.slice(0, ERRMAX - 1);
  }
  return `${msg.slice(0, ERRMAX - 15)} pc=0x${pc.toString(16).padStart(8, '0')}`;
}

/**
 * On the way back to user mode with notes queued: deliver note[0] to the
 * handler, or kill the process. Returns true when the handler frame was
 * built. `trap` is the Ureg trap number of the kernel entry (64 for a
 * syscall), which the handler sees.
 */
export function notify(up: Proc, trap: number): boolean {
  const cpu = up.cpu;
  const r = cpu.regs();
  // The sys: suffix names where the process was (both kernels do it here).
  const head = up.notes[0];
  if (!head) return false;
  if (head.msg.startsWith('sys:') && !head.suffixed) {
    head.msg = pcsuffix(up, head.msg, r.pc);
    head.suffixed = true;
  }
  const fatal = head.flag !== NUser && (up.notified || up.notify === 0);
  const n = popnote(up);
  if (!n) return false;  // an NUser note waits while the handler runs
  if (fatal || up.notify === 0) {
    up.kernel.trace.note(up, 'killed', n.msg);
    if (n.flag === NDebug) pprint(up, `suicide: ${n.msg}\n`);
    pexit(up, n.msg, n.flag !== NDebug);
    return false;
  }

  // Build the frame: Ureg at U = sp-256-76, then old ureg, msg, args.
  const u = (r.sp - 256 - UREGSIZE) >>> 0;
  const base = u - ERRMAX - 4 * BY2WD;
  if (!up.as.okaddr(up.notify, 1, false) || !up.as.okaddr(base, UREGSIZE + ERRMAX + 4 * BY2WD, true)) {
    pprint(up, 'suicide: bad address in notify\n');
    pexit(up, 'Suicide', false);
    return false;
  }
  up.as.write(u, encodeUreg(uregFromRegs(r, trap, 0, 0)));
  up.as.setU32(u - BY2WD, up.ureg);
  up.ureg = u;
  const msg = new Uint8Array(ERRMAX);
  msg.set(utf8.encode(n.msg).subarray(0, ERRMAX - 1));
  up.as.write(u - BY2WD - ERRMAX, msg);
  const sp = u - BY2WD - ERRMAX - 3 * BY2WD;
  up.as.setU32(sp, 0);                      // fake return pc
  up.as.setU32(sp + BY2WD, u);              // arg 1: Ureg*
  up.as.setU32(sp + 2 * BY2WD, u - BY2WD - ERRMAX); // arg 2: char *msg
  up.fpsave = cpu.save(up.fpsave ?? undefined);
  up.fpsaved = true;
  // FPillegal: the handler runs with CR0.TS set (both kernels' notify).
  // The saved context has TS clear, so noted's restore clears it again.
  up.fpillegal = cpu.fpuTrap?.(true, up.fpsave) ?? false;
  const set: Partial<typeof r> = { sp, pc: up.notify };
  if (up.kernel.flavor === '9front') Object.assign(set, { cs: UESEL, ss: UDSEL, ds: UDSEL, es: UDSEL });
  cpu.setRegs(set);
  up.notified = true;
  up.kernel.trace.note(up, 'deliver', n.msg, { ureg: u, pc: r.pc });
  return true;
}

/** noted (every argument) and exec end FPillegal (9front noted: up->fpstate &= ~FPillegal). */
export function clearFpillegal(up: Proc): void {
  if (!up.fpillegal) return;
  up.fpillegal = false;
  // A pending restore of the interrupted state clears TS by itself.
  if (!up.fpsaved) up.cpu.fpuTrap?.(false);
}

/**
 * noted(arg), after the syscall stored its result (9front pc/trap.c noted).
 * Restores the saved context (NCONT, NRSTR), keeps the frame for a nested
 * handler (NSAVE), or dies with the note (NDFLT and anything else).
 */
export function noted(up: Proc, arg: number): void {
  const k = up.kernel;
  if (arg !== NRSTR && !up.notified) {
    pprint(up, 'call to noted() when not notified\n');
    pexit(up, 'Suicide', false);
    return;
  }
  up.notified = false;
  clearFpillegal(up);
  const u = up.ureg;
  if (!up.as.okaddr(u - BY2WD, UREGSIZE + BY2WD, false)) {
    pprint(up, 'bad ureg in noted or call to noted when not notified\n');
    pexit(up, 'Suicide', false);
    return;
  }
  const nu = decodeUreg(up.as.read(u, UREGSIZE));
  const cpu = up.cpu;
  const cur = cpu.regs();
  nu.flags = ((nu.flags & FLAGS_USER) | (cur.flags & ~FLAGS_USER)) >>> 0;
  if (k.flavor === '9front') {
    nu.cs |= 3;
    nu.ss |= 3;
  } else if ((nu.cs & 0xffff) !== UESEL || (nu.ss & 0xffff) !== UDSEL || (nu.ds & 0xffff) !== UDSEL
    || (nu.es & 0xffff) !== UDSEL || ((nu.fs & 0xffff) !== UDSEL && nu.fs !== 0) || ((nu.gs & 0xffff) !== UDSEL && nu.gs !== 0)) {
    pprint(up, 'bad segment selector in noted\n');
    pexit(up, 'Suicide', false);
    return;
  }
  k.trace.note(up, 'noted', up.lastnote?.msg ?? '', { mode: arg });
  switch (arg) {
    case NCONT:
    case NRSTR:
    case NSAVE: {
      if (!up.as.okaddr(nu.pc, 1, false) || !up.as.okaddr(nu.sp, BY2WD, false)) {
        pprint(up, 'suicide: trap in noted\n');
        pexit(up, 'Suicide', false);
        return;
      }
      if (up.fpsave && up.fpsaved) {
        cpu.restore(up.fpsave);  // x87/SSE of the interrupted code (TS clear); GPRs follow
        up.fpsaved = false;
      }
      const { di, si, bp, bx, dx, cx, ax, pc, flags, sp } = nu;
      const set: Partial<Regs> = { di, si, bp, bx, dx, cx, ax, pc, flags, sp };
      // A selector load is checked by the CPU and costs; only changed ones.
      for (const s of SEGS) if ((nu[s] & 0xffff) !== cur[s]) set[s] = nu[s];
      cpu.setRegs(set);
      if (arg === NSAVE) {
        // Stay on the handler's frame: a later noted(NRSTR) restores.
        const nsp = u - ERRMAX - 4 * BY2WD;
        up.as.setU32(nsp, 0);
        up.as.setU32(nsp + BY2WD, u);
        cpu.setReg('sp', nsp);
      } else {
        up.ureg = up.as.u32(u - BY2WD);
      }
      return;
    }
    default:
      if (arg !== NDFLT) {
        if (k.flavor === '4e') pprint(up, `unknown noted arg 0x${(arg >>> 0).toString(16)}\n`);
        if (up.lastnote) up.lastnote.flag = NDebug;
      }
      // fallthrough to NDFLT
      {
        const n = up.lastnote ?? { msg: '', flag: NUser };
        if (n.flag === NDebug) pprint(up, `suicide: ${n.msg}\n`);
        pexit(up, n.msg, n.flag !== NDebug);
      }
  }
}
