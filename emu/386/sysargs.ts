// Decoding system-call arguments into trace data, driven by the signature
// letters of port/systab.ts (Blink's trace signatures as data). Runs only
// when a sink listens to 'sys'.

import type { Proc } from '../port/proc.ts';
import type { SysArg } from '../trace/event.ts';
import { rforkflags } from '../port/sysproc.ts';

const OMODES = ['OREAD', 'OWRITE', 'ORDWR', 'OEXEC'];
const DATAMAX = 64;  // ratrace shows the first 64 bytes of a buffer

export function omodenames(m: number): string[] {
  const s = [OMODES[m & 3]!];
  if (m & 16) s.push('OTRUNC');
  if (m & 32) s.push('OCEXEC');
  if (m & 64) s.push('ORCLOSE');
  if (m & ~0x73) s.push(`0x${(m & ~0x73).toString(16)}`);
  return s;
}

/** Bytes as a printable string: 0x20-0x7e kept (backslash doubled), others \xNN. */
export function escbytes(b: Uint8Array): string {
  let s = '';
  for (const c of b) {
    if (c === 0x5c) s += '\\\\';
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s;
}

function bufdata(up: Proc, addr: number, n: number): string | null {
  const len = Math.max(0, Math.min(n, DATAMAX));
  if (addr === 0 || !up.as.okaddr(addr >>> 0, len, false)) return null;
  return escbytes(up.as.read(addr >>> 0, len));
}

function fdpath(up: Proc, fd: number): string | null {
  const c = fd >= 0 ? up.fgrp?.fd[fd] : undefined;
  return c ? c.path || null : null;
}

/**
 * The arguments of a call at entry, by signature (see systab.ts):
 * out-buffers and out-strings are filled in by decodeOut at exit.
 */
export function decodeArgs(up: Proc, sig: string, a: readonly number[]): SysArg[] {
  const out: SysArg[] = [];
  let i = 0;
  for (const c of sig) {
    const w = (a[i] ?? 0) >>> 0;
    switch (c) {
      case 's': out.push({ t: 'str', v: w, s: w === 0 ? null : up.as.str(w, 256) ?? null }); break;
      case 'v': out.push({ t: 'vlong', v: ((a[i + 1] ?? 0) | 0) * 0x1_0000_0000 + w }); i++; break;
      case 'o': out.push({ t: 'omode', v: w, names: omodenames(w) }); break;
      case 'r': out.push({ t: 'rfork', v: w, names: rforkflags(w).split('|') }); break;
      case 'f': out.push({ t: 'fd', v: w | 0, path: fdpath(up, w | 0) }); break;
      case 'i': out.push({ t: 'int', v: w | 0 }); break;
      case 'u': out.push({ t: 'uint', v: w }); break;
      case 'w': out.push({ t: 'buf', v: w, dir: 'in', len: (a[i + 1] ?? 0) | 0, data: bufdata(up, w, (a[i + 1] ?? 0) | 0) }); break;
      case 'R': out.push({ t: 'buf', v: w, dir: 'out', len: (a[i + 1] ?? 0) | 0, data: null }); break;
      case 'S': out.push({ t: 'str', v: w, s: null, out: true }); break;
      default: out.push({ t: 'ptr', v: w });
    }
    i++;
  }
  return out;
}

/** Fill in what the call wrote: out-buffers (ret bytes) and out-strings. */
export function decodeOut(up: Proc, sig: string, args: SysArg[], ret: number): void {
  if (ret < 0) return;
  let j = 0;
  for (const c of sig) {
    const arg = args[j++];
    if (!arg) return;
    if (c === 'R' && arg.t === 'buf') arg.data = bufdata(up, arg.v, ret);
    else if (c === 'S' && arg.t === 'str') arg.s = arg.v === 0 ? null : up.as.str(arg.v, 256) ?? null;
  }
}
