// The ratrace view: names as 9front's sysctab spells them, the line layout
// of syscallfmt.c/sysretfmt, and entry/exit lines split by another process.
import { describe, expect, it } from 'vitest';
import { TextFormatter, callText, ratraceName } from '../../emu/trace/text.ts';
import type { SysEnterEvent, SysEvent } from '../../emu/trace/event.ts';
import { runProg } from '../kit/runprog.ts';

const enter = (pid: number, name: string): SysEnterEvent => ({
  kind: 'sysenter', pid, text: 'a', num: 47, name, pc: 0x1037, t0: 100,
  args: [{ t: 'str', v: 0x2000, s: null, out: true }, { t: 'int', v: 64 }],
});
const exit = (e: SysEnterEvent, ret: number, err = ''): SysEvent => ({ ...e, kind: 'sys', ret, err, t1: 250 });

describe('ratraceName', () => {
  it('spells calls as 9front mksystab does', () => {
    expect(['open', 'pwrite', 'brk_', '_errstr', 'sysr1', 'rendezvous', 'fd2path'].map(ratraceName))
      .toEqual(['Open', 'Pwrite', 'Brk', '_errstr', 'Running', 'Rendez', 'Fd2path']);
  });
});

describe('TextFormatter', () => {
  it('prints a call that returns before anything else happens on one line', () => {
    const f = new TextFormatter();
    const e = enter(2, 'await');
    expect(f.lines(e)).toEqual([]);
    expect(f.lines(exit(e, -1, 'no living children'))).toEqual(['2 a Await 1037 0x2000 64 0x2000/"" 64 = -1 no living children 100 250']);
  });

  it('splits the entry and the exit when another process runs in between', () => {
    const f = new TextFormatter();
    const e = enter(2, 'await');
    f.lines(e);
    const other = f.lines({ kind: 'proc', pid: 3, what: 'exits', detail: "''", status: '', t: 200 });
    expect(other).toEqual(['2 a Await 1037 0x2000 64', "3 exits ''"]);
    expect(f.lines(exit({ ...e, args: [{ t: 'str', v: 0x2000, s: "3 0 0 0 ''", out: true }, { t: 'int', v: 64 }] }, 9)))
      .toEqual(['2 ... 0x2000/"3 0 0 0 \'\'" 64 = 9 "" 100 250']);
  });

  it('shows written data as ratrace does: 64 bytes at most, blanks and controls as dots', () => {
    const f = new TextFormatter();
    const e: SysEnterEvent = {
      kind: 'sysenter', pid: 1, text: 'x', num: 51, name: 'pwrite', pc: 0x1037, t0: 1,
      args: [{ t: 'fd', v: 1, path: '/dev/cons' }, { t: 'buf', v: 0x2000, dir: 'in', len: 6, data: 'a b\\x0a\\\\' }, { t: 'int', v: 6 }, { t: 'vlong', v: -1 }],
    };
    f.lines(e);
    expect(f.lines(exit(e, 6))).toEqual(['1 x Pwrite 1037 1  0x2000/"a.b.\\" 6 -1 = 6 "" 1 250']);
    expect(callText(e)).toBe('pwrite(1, 0x2000/"a.b.\\", 6, -1)');
  });
});

describe('the text trace of a real run', () => {
  it('has the ratrace fields: pid, text, Name, pc, args, = ret, errstr, start, stop', async () => {
    const lines: string[] = [];
    const f = new TextFormatter();
    await runProg('tracecalls.s', { trace: { cats: ['sys'], sink: (e) => lines.push(...f.lines(e)) } });
    expect(lines[0]).toMatch(/^1 tracecalls Open [0-9a-f]+ 0x2000\/"\/nonexistent" 0x0 = -1 '\/nonexistent' file does not exist \d+ \d+$/);
    expect(lines[1]).toMatch(/^1 tracecalls Open [0-9a-f]+ 0x2010\/"\/dev\/cons" 0x1 = 3 "" \d+ \d+$/);
    expect(lines[2]).toMatch(/^1 tracecalls Pwrite [0-9a-f]+ 3  0x2020\/"hi\." 3 -1 = 3 "" \d+ \d+$/);
    expect(lines[3]).toMatch(/^1 tracecalls Rfork [0-9a-f]+ 0x14 = 2 "" \d+ \d+$/);
    const [t0, t1] = lines[0]!.split(' ').slice(-2).map(Number);
    expect(t1!).toBeGreaterThanOrEqual(t0!);
  });
});
