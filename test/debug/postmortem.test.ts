// The post-mortem view and core files, through the CLI as a user runs it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, skipWithoutGo } from '../go/gobuild.ts';
import { assembleProg } from '../kit/runprog.ts';
import { buildAout, parseAout } from '../../emu/aout.ts';

const main = parseAout(assembleProg('dbg.s')).syms.find((s) => s.name === '_main')!.value;

const root = new URL('../..', import.meta.url).pathname;

function p9emu(args: string[]) {
  const r = spawnSync('node', [join(root, 'bin/p9emu'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  execFileSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
});

describe('post-mortem', () => {
  it('shows the note, registers, symbol+offset and the code at pc of a process killed by a sys: trap note', () => {
    const r = p9emu(['run', 'test/prog/dbg.s', 'f']);
    expect(r.code).toBe(1);
    const pc = /pc=0x([0-9a-f]{8})\n/.exec(r.stderr)![1]!;
    expect(r.stderr).toContain(`p9emu: post-mortem:\ndbg 1: sys: trap: fault read addr=0x0 pc=0x${pc}\n`);
    // pick left 'A' (0x41) in BX; CX is the nil pointer.
    expect(r.stderr).toMatch(/\tAX    [0-9a-f]{8}  BX    00000041  CX    00000000  DX    [0-9a-f]{8}\n/);
    expect(r.stderr).toContain(`\tPC    ${pc}  `);
    expect(r.stderr).toContain(`\n_main+0x${(parseInt(pc, 16) - main).toString(16)}\n`);
    expect(r.stderr).toMatch(new RegExp(`\\n=>\\t0x${parseInt(pc, 16).toString(16)}\\tMOVL \\(CX\\), AX\\n`));
    expect(r.stderr).toMatch(/\n  \t0x[0-9a-f]+\tMOVL \$0, CX\n=>/);
    expect(r.stderr.endsWith(`p9emu: exits: sys: trap: fault read addr=0x0 pc=0x${pc}\n`)).toBe(true);
  });

  it('backtraces an 8l-style a.out by its .frame symbols, exactly; without them, by a stack scan marked ?', () => {
    const r = p9emu(['run', 'test/prog/frames.s']);
    expect(r.stderr).toMatch(/\nc\+0x5\n\tcalled from b\+0x[0-9a-f]+\n\tcalled from a\+0x[0-9a-f]+\n\tcalled from _main\+0x[0-9a-f]+\n  \t/);
    // The same program without .frame symbols: the scan also takes b's decoy word for a frame.
    const a = parseAout(assembleProg('frames.s'));
    const bare = join(mkdtempSync(join(tmpdir(), 'p9emu-frames-')), 'frames');
    writeFileSync(bare, buildAout({ text: a.text, data: a.data, bss: a.bss, entry: a.entry, syms: a.syms.filter((s) => s.type !== 'm') }));
    const g = p9emu(['run', bare]);
    expect(g.stderr).toMatch(/\tcalled from \? decoy\+0x5\n/);
    expect(g.stderr).toMatch(/\tcalled from \? b\+0x[0-9a-f]+\n/);
  });

  it('goes as a JSON trace event (proc postmortem) with the frames', () => {
    const r = p9emu(['run', '--trace', 'proc', '--trace-format', 'jsonl', 'test/prog/dbg.s', 'f']);
    const ev = r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((e) => e.what === 'postmortem');
    expect(ev.postmortem.note).toMatch(/^sys: trap: fault read addr=0x0 pc=0x/);
    expect(ev.postmortem.frames[0].where).toMatch(/^_main\+0x/);
    expect(ev.postmortem.regs.cx).toBe(0);
  });

  it('writes a core file that p9emu core shows again', () => {
    const core = join(mkdtempSync(join(tmpdir(), 'p9emu-core-')), 'dbg.core');
    const r = p9emu(['run', '--core', core, 'test/prog/dbg.s', 'f']);
    const c = p9emu(['core', core]);
    expect(c.code).toBe(0);
    const shown = r.stderr.slice(r.stderr.indexOf('p9emu: post-mortem:\n') + 'p9emu: post-mortem:\n'.length, r.stderr.indexOf('p9emu: exits:'));
    expect(c.stdout).toBe(shown);
    expect(p9emu(['core', 'test/prog/dbg.s'])).toMatchObject({ code: 1, stderr: 'p9emu: test/prog/dbg.s: not a p9emu core file\n' });
  });

  it.skipIf(skipWithoutGo())('backtraces a Go program from its pclntab, with files and lines (--post-mortem: any death)', () => {
    const r = p9emu(['run', '--post-mortem', fixture('hello')]);
    expect(r.code).toBe(0);
    // The first process exits in runtime.exits, called from main's return path.
    expect(r.stderr).toMatch(/p9emu: post-mortem:\nhello 1: \n/);
    expect(r.stderr).toMatch(/^runtime\.exits\+0x[0-9a-f]+ \S+sys_plan9_386\.s:\d+$/m);
    expect(r.stderr).toMatch(/^\tcalled from runtime\.main\+0x[0-9a-f]+ \S+proc\.go:\d+$/m);
  });
});
