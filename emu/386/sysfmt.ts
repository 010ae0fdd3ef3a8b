// Decoding syscall arguments for the trace, driven by the signature letters
// of systab.ts (Blink's trace signatures as data).

import type { Proc } from '../port/proc.ts';
import { rforkflags } from '../port/sysproc.ts';

const OMODES = ['OREAD', 'OWRITE', 'ORDWR', 'OEXEC'];

function omode(m: number): string {
  let s = OMODES[m & 3]!;
  if (m & 16) s += '|OTRUNC';
  if (m & 32) s += '|OCEXEC';
  if (m & 64) s += '|ORCLOSE';
  if (m & ~0x73) s += `|0x${(m & ~0x73).toString(16)}`;
  return s;
}

function hex(v: number): string {
  return `0x${(v >>> 0).toString(16)}`;
}

/** Render the argument words `a` by signature `sig`. */
export function formatArgs(up: Proc, sig: string, a: readonly number[]): string {
  const out: string[] = [];
  let i = 0;
  for (const c of sig) {
    const w = a[i] ?? 0;
    switch (c) {
      case 's': {
        const s = w === 0 ? undefined : up.as.str(w, 256);
        out.push(s === undefined ? hex(w) : `${hex(w)}/${JSON.stringify(s)}`);
        break;
      }
      case 'v': {
        const hi = a[i + 1] ?? 0;
        out.push(String((hi | 0) * 0x1_0000_0000 + (w >>> 0)));
        i++;
        break;
      }
      case 'o': out.push(omode(w)); break;
      case 'r': out.push(rforkflags(w)); break;
      case 'i': case 'f': out.push(String(w | 0)); break;
      case 'u': out.push(String(w >>> 0)); break;
      default: out.push(hex(w));
    }
    i++;
  }
  return out.join(', ');
}
