// Go 1.19's Plan 9 stubs from the pinned Go's GOROOT (test/kit/gopin.ts), without the ones that
// need generated headers (go_asm.h offsets, go_tls.h's get_tls).

import { readFileSync } from 'node:fs';

const NEEDS_HEADERS = /get_tls|\bg\(|\bg_|\bm_|_g0|\(g_|mOS|stack_hi|runtime·nanotime1/;

/** The stubs of runtime/sys_plan9_386.s that assemble on their own, as one source file. */
export function goStubsSource(root: string): { src: string; names: string[] } {
  const text = readFileSync(`${root}/src/runtime/sys_plan9_386.s`, 'utf8');
  const blocks = text.split(/^(?=TEXT\s)/m).slice(1).map((b) => b.replace(/^\/\/.*$/gm, '').trimEnd());
  const keep = blocks.filter((b) => !NEEDS_HEADERS.test(b));
  const names = keep.map((b) => /^TEXT\s+([^(]+)\(SB\)/.exec(b)![1]!.replace(/·/g, '.').replace(/<>$/, ''));
  return { src: `#include "textflag.h"\n\n${keep.join('\n\n')}\n`, names };
}
