// Loading a Plan 9 386 a.out into a process (9front port/sysproc.c sysexec,
// pc/trap.c execregs): text (header included) at UTZERO, data page-rounded
// after it, bss, the 16 MiB stack with argv and Tos at its top, and the
// registers _main expects (AX = Tos).

import type { Proc } from '../port/proc.ts';
import { HDRSZ, UTZERO, dataBase, imagesize, pground, type Aout } from '../aout.ts';
import { memused } from '../port/vmem.ts';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../cpu/cpu.ts';
import { SG_CEXEC, Segment } from '../port/segment.ts';
import { clearFpillegal } from './notify.ts';
import { FPCW_INIT, MXCSR_INIT, TOS_PID, UDSEL, UESEL, USTKBASE, USTKSIZE, USTKTOP, tossize } from './mem.ts';

export class ExecError extends Error {}

/** Default bss growth room: Go reserves its heap with brk. */
export const BRKMAX = 1 << 30;

/**
 * exec's machine half, after the CPU stopped: the old image goes (shared
 * data/bss stays with its other users), the new one comes in with a fresh
 * stack, Tos and FPU (9front sysexec, pc/trap.c execregs). Unmapping drops
 * the translated code too. Segments segattach made stay, unless attached
 * with SG_CEXEC.
 */
export function execimage(up: Proc, image: Uint8Array, aout: Aout, argv: readonly string[]): void {
  for (const s of [...up.as.segs]) {
    const stays = (s.type === 'shared' || s.type === 'memory') && !(s.attr & SG_CEXEC);
    if (stays) continue;
    if (s.top > s.base) up.cpu.unmap(s.base, s.top - s.base);
    up.as.detach(s);
  }
  up.fpsave?.free();
  up.fpsave = null;
  up.fpsaved = false;
  clearFpillegal(up);
  loadaout(up, image, aout, argv, BRKMAX);
}

/**
 * Map the image into p's (empty) address space and set its registers.
 * `brkmax` is how far the bss may grow (host memory reserved, lazily).
 */
export function loadaout(p: Proc, file: Uint8Array, aout: Aout, argv: readonly string[], brkmax: number): void {
  const k = p.kernel;
  const alloc = k.machine.alloc;
  const ntext = aout.text.length;
  const textend = UTZERO + HDRSZ + ntext;
  if (aout.entry < UTZERO + HDRSZ || aout.entry >= textend) throw new ExecError('entry point outside text');
  const t = dataBase(ntext);
  const d = pground(t + aout.data.length);
  const b = pground(t + aout.data.length + aout.bss);
  if (b + brkmax > USTKBASE && b > USTKBASE) throw new ExecError('image too large');
  // The first process's image (exec checked before its point of no return, sysexec).
  if (memused(k) + imagesize(aout) > k.config.mem) {
    throw new ExecError(`image needs ${mib(imagesize(aout))} of memory; the machine has ${mib(k.config.mem)} (--mem)`);
  }

  const text = new Segment('text', UTZERO, t, alloc(t - UTZERO), PROT_READ | PROT_EXEC);
  text.mem.bytes.set(file.subarray(0, HDRSZ + ntext));
  // Writable segments start without exec: see AddressSpace.execfault.
  const data = new Segment('data', t, d, alloc(Math.max(d - t, 4096)), PROT_READ | PROT_WRITE);
  data.mem.bytes.set(aout.data);
  const room = Math.min(brkmax, USTKBASE - d);
  const bss = new Segment('bss', d, b, alloc(Math.max(pground(room), b - d, 4096)), PROT_READ | PROT_WRITE);
  const stack = new Segment('stack', USTKBASE, USTKTOP, alloc(USTKSIZE, true), PROT_READ | PROT_WRITE);
  for (const s of [text, data, bss, stack]) p.as.attach(s);
  p.image = file;

  p.args = argv;
  p.argstext = null;
  const sp = buildstack(p, argv);
  const tos = USTKTOP - tossize(k.flavor);
  p.cpu.setRegs({ pc: aout.entry, sp, ax: tos, cs: UESEL, ss: UDSEL, ds: UDSEL, es: UDSEL, fs: 0, gs: 0 });
  p.cpu.resetFpu?.(FPCW_INIT, MXCSR_INIT);
}

/** argv strings under Tos, the argv array, argc at ESP; returns ESP. */
function buildstack(p: Proc, argv: readonly string[]): number {
  const enc = new TextEncoder();
  const ts = tossize(p.kernel.flavor);
  const strs = argv.map((a) => enc.encode(a + '\0'));
  const nbytes = ts + strs.reduce((n, s) => n + s.length, 0);
  let ssize = 4 * (argv.length + 1) + Math.ceil(nbytes / 4) * 4;
  if ((ssize + 4) % 8 !== 0) ssize += 4;
  let at = USTKTOP - nbytes;
  const ptrs: number[] = [];
  for (const s of strs) {
    p.as.write(at, s);
    ptrs.push(at);
    at += s.length;
  }
  const av = USTKTOP - ssize;
  ptrs.forEach((ptr, i) => p.as.setU32(av + 4 * i, ptr));
  p.as.setU32(av + 4 * argv.length, 0);
  const sp = av - 4;
  p.as.setU32(sp, argv.length);
  // Tos: zero, then pid.
  p.as.write(USTKTOP - ts, new Uint8Array(ts));
  p.as.setU32(USTKTOP - ts + TOS_PID, p.pid);
  return sp;
}

function mib(n: number): string {
  return `${Math.ceil(n / (1 << 20))} MiB`;
}
