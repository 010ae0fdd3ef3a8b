// Which functions a Go plan9/386 binary's note handler can reach that
// execute x87, MMX or SSE instructions (forbidden in a Plan 9 note handler:
// the kernel posts 'sys: floating point in note handler').
//
//   npx tsx scripts/handlerfp.ts BINARY [ROOT...]
//
// Walks the static call graph (direct CALLs and JMPs to other functions,
// from `go tool objdump`) from runtime.sigtramp (default ROOTs) and prints
// each reached function holding such an instruction, with the first one
// and a shortest call path. Indirect calls are not followed, so the list
// is a lower bound in that respect; calls into the paths that end the
// program or grow a stack (panic*, throw, fatal*, morestack, badsignal)
// are not followed: a handler that takes them is lost anyway.

import { execFileSync } from 'node:child_process';

const [bin, ...roots] = process.argv.slice(2);
if (!bin) {
  process.stderr.write('usage: handlerfp BINARY [ROOT...]\n');
  process.exit(2);
}
const start = roots.length ? roots : ['runtime.sigtramp'];
const text = execFileSync('go', ['tool', 'objdump', bin], {
  encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, GOOS: 'plan9', GOARCH: '386' },
});

// x87 (F...), MMX (M0-M7 operands, EMMS) and SSE (X0-X7 operands) in Go's assembler syntax.
const FP = /\b(F[A-Z]+[A-Z0-9]*|EMMS)\b|\b[MX][0-7]\b/;
// "  file.s:12\t0x7c85b\t\te8406bfcff\t\tCALL runtime.sighandler(SB)"
const INSN = /^\s+(\S+)\t+0x([0-9a-f]+)\t+([0-9a-f]+)\t+(.*?)\s*$/;
const calls = new Map<string, Set<string>>();
const fpinsn = new Map<string, string>();
const addrfn = new Map<number, string>();
let cur = '';
const lines = text.split('\n');
for (const l of lines) {
  const m = /^TEXT (\S+)\(SB\)/.exec(l);
  if (m) {
    cur = m[1]!;
    calls.set(cur, new Set());
    continue;
  }
  const f = INSN.exec(l);
  if (f && cur) addrfn.set(parseInt(f[2]!, 16), cur);
}
cur = '';
for (const l of lines) {
  const m = /^TEXT (\S+)\(SB\)/.exec(l);
  if (m) {
    cur = m[1]!;
    continue;
  }
  const f = INSN.exec(l);
  if (!f || !cur) continue;
  const asm = f[4]!;
  if (FP.test(asm.replace(/^\S+\s*/, ' ')) || /^(F[A-Z]|EMMS)/.test(asm)) {
    if (!fpinsn.has(cur)) fpinsn.set(cur, `0x${f[2]}: ${asm} (${f[1]})`);
  }
  const c = /^(CALL|JMP|J[A-Z]+)\s+(\S+)\(SB\)/.exec(asm) ?? /^(CALL|JMP)\s+0x([0-9a-f]+)/.exec(asm);
  if (!c) continue;
  const target = /^[0-9a-f]+$/.test(c[2]!) ? addrfn.get(parseInt(c[2]!, 16)) : c[2]!.replace(/\+\d+$/, '');
  if (target && target !== cur) calls.get(cur)?.add(target);
}

const PRUNE = /^runtime\.(panic|gopanic|goPanic|throw|fatal|morestack|badsignal)/;
const from = new Map<string, string | null>();
const queue: string[] = [];
for (const r of start) {
  if (!calls.has(r)) throw new Error(`${r}: no such function in ${bin}`);
  from.set(r, null);
  queue.push(r);
}
for (let i = 0; i < queue.length; i++) {
  for (const n of calls.get(queue[i]!) ?? []) {
    if (from.has(n) || PRUNE.test(n)) continue;
    from.set(n, queue[i]!);
    queue.push(n);
  }
}
const path = (fn: string): string => {
  const p: string[] = [];
  for (let x: string | null | undefined = fn; x; x = from.get(x)) p.unshift(x);
  return p.join(' → ');
};
let n = 0;
for (const fn of queue) {
  const insn = fpinsn.get(fn);
  if (!insn) continue;
  n++;
  console.log(`${fn}\n    ${insn}\n    ${path(fn)}`);
}
console.log(`${n} of ${queue.length} functions reachable from ${start.join(', ')} use x87/MMX/SSE`);
