// Test helper: run `GOOS=plan9 GOARCH=386 go tool asm -S` and read the code
// bytes of each TEXT symbol from its listing, with the byte ranges Go
// leaves for the linker (its `rel off+size` lines) so both sides can mask them.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pinGo } from '../kit/gopin.ts';

export interface GoSym {
  bytes: number[];
  relocs: [number, number][]; // [offset, size]
}

/** Assemble `file` with Go; returns TEXT symbols by name ("".x is reported as pkg.x). */
export function goToolAsm(file: string, pkg: string): Map<string, GoSym> {
  const { go, goroot: root } = pinGo()!;
  const obj = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'goasm-')), 'x.o');
  const listing = execFileSync(go, ['tool', 'asm', '-S', '-p', pkg, '-I', path.join(root, 'pkg', 'include'), '-o', obj, path.resolve(file)], {
    encoding: 'utf8',
    env: { ...process.env, GOOS: 'plan9', GOARCH: '386' },
    cwd: path.dirname(file),
    maxBuffer: 64 << 20,
  });
  return parseListing(listing, pkg);
}

export function parseListing(listing: string, pkg: string): Map<string, GoSym> {
  const syms = new Map<string, GoSym>();
  let cur: GoSym | null = null;
  for (const line of listing.split('\n')) {
    const head = /^(\S+) STEXT /.exec(line);
    if (head) {
      cur = { bytes: [], relocs: [] };
      syms.set(head[1]!.replace(/^""\./, `${pkg}.`), cur);
      continue;
    }
    if (/^\S/.test(line)) {
      cur = null; // a data symbol or anything else
      continue;
    }
    if (!cur) continue;
    if (/^\t0x[0-9a-f]{4} \d{5} \(/.test(line)) continue; // an instruction line
    const hex = /^\t0x[0-9a-f]{4} ((?:[0-9a-f]{2} )*[0-9a-f]{2})/.exec(line);
    if (hex) {
      cur.bytes.push(...hex[1]!.split(' ').map((h) => parseInt(h, 16)));
      continue;
    }
    const rel = /^\trel (\d+)\+(\d+) /.exec(line);
    if (rel) cur.relocs.push([Number(rel[1]), Number(rel[2])]);
  }
  return syms;
}

/** Zero the relocated ranges so linker-filled bytes compare equal. */
export function mask(bytes: number[], relocs: [number, number][]): string {
  const b = [...bytes];
  for (const [off, siz] of relocs) for (let i = off; i < off + siz && i < b.length; i++) b[i] = 0;
  return b.map((x) => x.toString(16).padStart(2, '0')).join('');
}

/** Keep only the functions of Go's sys_plan9_386.s that need no generated headers (go_asm.h, go_tls.h). */
export function standaloneStubs(src: string): string {
  const lines = src.split('\n').filter((l) => !/#include "go_(asm|tls)\.h"/.test(l));
  const out: string[] = [];
  let block: string[] = [];
  const flush = () => {
    const body = block.join('\n');
    const needsHeaders = /get_tls|\bg\(|\bg_\w|\bm_\w|mOS/.test(body);
    if (!needsHeaders) out.push(body);
    block = [];
  };
  for (const l of lines) {
    if (/^TEXT /.test(l)) flush();
    block.push(l);
  }
  flush();
  return out.join('\n') + '\n';
}
