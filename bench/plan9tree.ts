// Which parts of a Plan 9 distribution's userland work under p9emu.
//
//   npx tsx bench/plan9tree.ts TREE [--kernel 4e|9front] [--timeout S] [NAME...]
//
// TREE is an unpacked Plan 9 tree (386/bin, rc/bin, lib/namespace,
// sys/include, 386/lib ...: a 4th edition or 9front distribution). Each
// case below is an rc script of this project's, fed to the tree's own
// /bin/rc on its standard input (p9emu run --root TREE /bin/rc, read-only,
// with the private /tmp), and passes when its output matches. Prints a
// Markdown table for the README: case, what it runs, result, wall time,
// and for a failure the first line that differed.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../emu/run.ts';
import { unicornMachine } from '../emu/cpu/machine.ts';
import { BufferConsole } from '../emu/port/console.ts';
import { treeflavor } from '../emu/tree/tree.ts';
import type { Flavor } from '../emu/port/dat.ts';

interface Case {
  name: string;
  what: string;
  rc: string;
  /** The whole standard output, or a pattern for it. */
  want: string | RegExp;
}

const C_HELLO = `#include <u.h>
#include <libc.h>
void
main(void)
{
	int pid;
	Waitmsg *w;

	print("hello %d\\n", 42);
	pid = fork();
	if(pid == 0)
		exits("kid");
	w = wait();
	print("child %s\\n", w->pid == pid ? w->msg : "?");
	exits(nil);
}
`;

const C_NOTES = `#include <u.h>
#include <libc.h>
static int
handler(void*, char *msg)
{
	print("note: %s\\n", msg);
	return 1;
}
void
main(void)
{
	atnotify(handler, 1);
	postnote(PNPROC, getpid(), "ping");
	print("after\\n");
	exits(nil);
}
`;

const C_FAULT = `#include <u.h>
#include <libc.h>
void
main(void)
{
	print("%d\\n", *(int*)0);
}
`;

/** rc lines that write file `name` with `body` through a here document. */
const put = (name: string, body: string) => `cat > ${name} <<'EOF'\n${body}EOF\n`;

export const CASES: Case[] = [
  { name: 'pipeline', what: 'echo | wc, `{}', rc: 'x=`{echo a b c | wc -w}\necho $x\n', want: '3\n' },
  { name: 'heredoc', what: 'here document (in /tmp), $var inside', rc: 'v=doc\ncat <<EOF\nhere $v\nEOF\n', want: 'here doc\n' },
  { name: 'procsub', what: '<{cmd} (pipes as /fd/N)', rc: 'cmp <{echo a} <{echo a} && echo same\ncmp -s <{echo a} <{echo b} || echo differ\n', want: 'same\ndiffer\n' },
  { name: 'dup', what: '>[2=1], >[1=2]', rc: 'ls /nonexistent >[2=1] | grep -c nonexistent\n{echo to2 >[1=2]} >[2=1]\n', want: '1\nto2\n' },
  { name: 'fn', what: 'fn, $*, $#*, lists, ^', rc: 'fn f { echo $#* $2 }\nf a b c\nx=(p q)\necho $x^1 $#x\n', want: '3 b\np1 q1 2\n' },
  { name: 'control', what: 'if not, switch, ~, while, for', rc: 'if (~ a b) echo no\nif not echo ifnot\nswitch(foo){\ncase f*\n\techo sw\ncase *\n\techo bad\n}\nfor(i in 1 2) echo $i\ni=()\nwhile(! ~ $#i 2) i=($i x)\necho $#i\n', want: 'ifnot\nsw\n1\n2\n2\n' },
  { name: 'status', what: "$status as 'prog pid: msg'", rc: "rc -c 'exit oops'\necho $status\n", want: /^rc \d+: oops\n$/ },
  { name: 'bg', what: 'background job, $apid, wait', rc: '{sleep 0; echo bg} &\np=$apid\nwait\n~ $p [0-9]* && echo apid\n', want: 'bg\napid\n' },
  { name: 'sigint', what: 'fn sigint takes a note posted to rc', rc: 'fn sigint { echo caught }\necho interrupt > /proc/$pid/note\necho after\n', want: 'caught\nafter\n' },
  { name: 'files', what: 'mkdir, cp, mv, rm, ls -l, du', rc: 'cd /tmp\nmkdir d\necho hi > d/a\ncp d/a d/b\nmv d/b d/c\nrm d/a\nls d\nls -l d/c | awk \'{print $1, $6}\'\necho `{du -a d | wc -l}\n', want: 'd/c\n--rw-rw-rw- 3\n2\n' },
  { name: 'text', what: 'awk, sed, grep, sort, uniq, tr, wc', rc: "{for(w in b a c a) echo $w} | sort | uniq -c | awk '{print $2 $1}' | sed 's/a/A/' | grep -v c | tr a-z A-Z\n{for(n in 10 9 100) echo $n} | sort -n | awk '{s = s $1} END {print s}' | wc -c\n", want: /^A2\nB1\n\s*7\n$/ },
  { name: 'tools', what: 'date, xd, md5sum, ps', rc: 'date | wc -w\necho abc | xd\necho hello | md5sum\nps | grep -c rc\n', want: /^ +6\n0000000  6162630a\n0000004 ?\nb1946ac92492d2347c6235b4d2611184\n\s*1\n$/ },
  { name: 'env', what: '/env and /dev from boot', rc: 'echo $cputype $objtype $service $user $home\ncat /dev/user; echo\ngrep -c cons /dev/drivers\n', want: '386 386 terminal glenda /usr/glenda\nglenda\n1\n' },
  {
    name: 'mk', what: 'mk with a mkfile', want: 'made b from a\n',
    rc: `cd /tmp\n${put('mkfile', 'b:Q: a\n\techo made $target from $prereq\na:\n\ttouch a\n')}touch a\nmk | grep -v touch\n`,
  },
  {
    name: '8c', what: '8c, 8l: print, fork, wait', want: /^hello 42\nchild hello \d+: kid\n$/,
    rc: `cd /tmp\n${put('h.c', C_HELLO)}8c h.c && 8l -o hello h.8 && ./hello\n`,
  },
  {
    name: 'notes', what: '8c, 8l: atnotify, postnote', want: 'note: ping\nafter\n',
    rc: `cd /tmp\n${put('n.c', C_NOTES)}8c n.c && 8l -o notes n.8 && ./notes\n`,
  },
  {
    name: 'fault', what: "8c, 8l: a fault as rc sees it", want: /^fault \d+: sys: trap: fault read addr=0x0 pc=0x[0-9a-f]+\n$/,
    rc: `cd /tmp\n${put('f.c', C_FAULT)}8c f.c && 8l -o fault f.8 && ./fault >[2]/dev/null\necho $status\n`,
  },
  {
    name: 'mk8c', what: 'mk running 8c and 8l (</$objtype/mkfile)', want: /made\nhello 42\n/,
    rc: `cd /tmp\n${put('h.c', C_HELLO)}${put('mkfile', '</$objtype/mkfile\nhello: h.$O\n\t$LD -o $target $prereq\n\techo made\n%.$O: %.c\n\t$CC $CFLAGS $stem.c\n')}mk >/dev/null >[2=1] && echo made && ./hello\n`,
  },
];

export interface CaseResult {
  name: string;
  pass: boolean;
  seconds: number;
  why: string;
}

export async function runCase(tree: string, flavor: Flavor, c: Case, timeoutS: number): Promise<CaseResult> {
  const cons = new BufferConsole(c.rc);
  cons.interactive = false;
  const t0 = performance.now();
  const r = await run(readFileSync(join(tree, '386/bin/rc')), {
    machine: unicornMachine(),
    console: cons,
    flavor,
    argv: ['rc'],
    name: 'rc',
    tree: { dir: tree, writable: false },
    timeoutMs: timeoutS * 1000,
  });
  const seconds = (performance.now() - t0) / 1000;
  const out = cons.stdout();
  const pass = !r.timedout && (typeof c.want === 'string' ? out === c.want : c.want.test(out));
  let why = '';
  if (!pass) {
    if (r.timedout) why = `timeout after ${timeoutS} s`;
    else {
      const got = out.split('\n');
      const want = typeof c.want === 'string' ? c.want.split('\n') : [];
      const i = got.findIndex((l, j) => l !== want[j]);
      const err = cons.stderr().split('\n').filter((l) => l && !l.startsWith('p9emu: warning:'));
      why = JSON.stringify(got[Math.max(0, i)] ?? '') + (err.length ? ` (stderr: ${err[0]!.slice(0, 80)})` : '');
    }
  }
  return { name: c.name, pass, seconds, why };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let timeoutS = 120;
  let flavor: Flavor | null = null;
  const names: string[] = [];
  let tree = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--timeout') timeoutS = Number(args[++i]);
    else if (a === '--kernel') flavor = args[++i] as Flavor;
    else if (!tree) tree = a;
    else names.push(a);
  }
  if (!tree) {
    process.stderr.write('usage: npx tsx bench/plan9tree.ts TREE [--kernel 4e|9front] [--timeout S] [NAME...]\n');
    process.exit(2);
  }
  const f = flavor ?? treeflavor(tree).flavor;
  const cases = names.length ? CASES.filter((c) => names.includes(c.name)) : CASES;
  process.stdout.write(`kernel ${f}\n\n| case | runs | result | s |\n| --- | --- | --- | --- |\n`);
  let npass = 0;
  for (const c of cases) {
    const r = await runCase(tree, f, c, timeoutS);
    if (r.pass) npass++;
    process.stdout.write(`| ${c.name} | ${c.what.replace(/\|/g, '\\|')} | ${r.pass ? 'pass' : `FAIL ${r.why.replace(/\|/g, '\\|')}`} | ${r.seconds.toFixed(1)} |\n`);
  }
  process.stdout.write(`\n${npass} of ${cases.length} pass\n`);
}

if (process.argv[1]?.endsWith('plan9tree.ts')) await main();
