// Device-level helpers for port/ tests: open, read, write and list by name.

import type { Chan } from '../../emu/port/dev.ts';
import type { Proc } from '../../emu/port/proc.ts';
import { namec } from '../../emu/port/chan.ts';
import { OREAD } from '../../emu/port/dat.ts';
import { unpackdirs } from '../../emu/port/stat.ts';
import type { Dir } from '../../emu/port/dat.ts';

export function open(p: Proc, path: string, mode = OREAD): Chan {
  return namec(p, path, 'open', mode);
}

export function read(p: Proc, path: string, n = 4096, off = 0): string {
  const c = open(p, path);
  return new TextDecoder().decode(c.dev.read(p, c, n, off));
}

export function write(p: Proc, c: Chan, s: string | Uint8Array, off = 0): number {
  return c.dev.write(p, c, typeof s === 'string' ? new TextEncoder().encode(s) : s, off);
}

export function ls(p: Proc, path: string): string[] {
  const c = open(p, path);
  return unpackdirs(c.dev.read(p, c, 65536, 0)).map((d) => d.name);
}

export function readbytes(p: Proc, path: string, n = 4096, off = 0): Uint8Array {
  const c = open(p, path);
  return c.dev.read(p, c, n, off);
}

export function stat(p: Proc, path: string): Dir {
  const c = namec(p, path, 'stat', 0);
  return c.dev.stat(p, c);
}
