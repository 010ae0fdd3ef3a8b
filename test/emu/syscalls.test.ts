import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleProg, runProg } from '../kit/runprog.ts';

const sys = (v: string, o = {}) => runProg('sys.s', { argv: ['sys', v], ...o });

describe('system calls through INT $64', () => {
  it('kill a process that makes an unassigned call with "sys: bad sys call" (4e also names the number)', async () => {
    const r = await sys('b');
    expect(r.exitstr).toMatch(/^sys: bad sys call pc=0x[0-9a-f]{8}$/);
    const pc = r.exitstr.slice(-8).replace(/^0+/, '');
    expect(r.stderr).toBe(`sys ${r.pid}: bad sys call number 48 pc ${pc}\nsys ${r.pid}: suicide: ${r.exitstr}\n`);
    const f = await sys('b', { flavor: '9front' });
    expect(f.exitstr).toMatch(/^sys: bad sys call pc=0x[0-9a-f]+$/);
    expect(f.stderr).toBe(`sys ${f.pid}: suicide: ${f.exitstr}\n`);
  });

  it('kill a process that passes an unmapped buffer with "sys: bad address in syscall"', async () => {
    const r = await sys('a');
    expect(r.exitstr).toMatch(/^sys: bad address in syscall pc=0x[0-9a-f]{8}$/);
    expect(r.stderr).toBe(`sys ${r.pid}: suicide: ${r.exitstr}\n`);
  });

  it('fail open with the path error, which errstr swaps out (a second errstr reads empty)', async () => {
    expect((await sys('e')).stdout.toString()).toBe("-'/nonexistent' file does not exist\n\n");
    expect((await sys('e', { flavor: '9front' })).stdout.toString()).toBe("-file does not exist: '/nonexistent'\n\n");
  });

  it('time out tsemacquire, then count semrelease and semacquire (blocking and not) as Plan 9 does', async () => {
    const r = await sys('s');
    expect(r.stdout.toString()).toBe('02110');
    expect(r.exitstr).toBe('');
  });

  it('fail await with "no living children" when there are none', async () => {
    expect((await sys('w')).stdout.toString()).toBe('-no living children\n');
  });

  it('grow the bss with brk_ and refuse a size beyond the segment limit', async () => {
    const r = await sys('r');
    expect(r.stdout.toString()).toBe('0-virtual memory allocation failed\n');
    expect(r.exitstr).toBe('');
  });

  it('sleep at least the time asked, by nsec', async () => {
    const r = await sys('t');
    expect(r.stdout.toString()).toBe('0');
    expect(r.exitstr).toBe('');
  });
});

describe('alarm (9front port/alarm.c)', () => {
  const alarm = (v: string) => runProg('alarm.s', { argv: ['alarm', v] });

  it('posts "alarm" after the time, answers what was left of the previous one, and interrupts sleep', async () => {
    const r = await alarm('h');
    expect(r.stdout.toString()).toBe('left>=400\nalarm\n-interrupted\ncleared 0\n');
    expect(r.exitstr).toBe('');
    expect(r.events.filter((e) => e.kind === 'note').map((e) => (e as { what: string }).what)).toEqual(['post', 'deliver', 'noted']);
  });

  it('kills a process with no handler, with the note as exit string', async () => {
    const r = await alarm('n');
    expect(r.exitstr).toBe('alarm');
    expect(r.stderr).toBe('');
  });

  it('alarm(0) clears it: nothing comes', async () => {
    const r = await alarm('c');
    expect(r.exitstr).toBe('');
    expect(r.events.some((e) => e.kind === 'note')).toBe(false);
  });
});

describe('rendezvous (9front sysrendezvous)', () => {
  const rendez = (v: string) => runProg('rendez.s', { argv: ['rendez', v] });

  it('two processes of a group swap values under a tag', async () => {
    const r = await rendez('x');
    expect(r.stdout.toString()).toBe('c100\np200\n');
    expect(r.exitstr).toBe('');
  });

  it('a note ends a waiting rendezvous with ~0 and no error string', async () => {
    const r = await rendez('i');
    expect(r.stdout.toString()).toBe("-1 ''\n");
  });

  it('rfork(RFREND) gives the child its own group: the same tag does not meet', async () => {
    const r = await rendez('r');
    expect(r.stdout.toString()).toBe("alone\n-1 ''\n");
    expect(r.exitstr).toBe('');
  });
});

describe('segattach, segdetach, segfree (9front port/segment.c)', () => {
  const seg = (v: string) => runProg('seg.s', { argv: ['seg', v] });

  it('a "shared" segment is shared with an rfork child without RFMEM, a "memory" one is copied; segfree zeroes', async () => {
    const r = await seg('s');
    expect(r.stdout.toString()).toBe('shared 7 memory 0\nfreed 0\n');
    expect(r.exitstr).toBe('');
  });

  it('an unknown class, an overlap and detaching the stack fail as on Plan 9', async () => {
    const r = await seg('e');
    expect(r.stdout.toString()).toBe('-bad arg in system call\n-segments overlap\n-bad arg in system call\n');
  });

  it('exec keeps a segment segattach made, and drops one attached with SG_CEXEC', async () => {
    // seg.s x attaches both, stores in them and execs itself (as /seg.out) with argv[1] y.
    const root = mkdtempSync(join(tmpdir(), 'p9seg-'));
    try {
      writeFileSync(join(root, 'seg.out'), assembleProg('seg.s'));
      const r = await runProg('seg.s', { argv: ['seg', 'x'], root: { dir: root, writable: false } });
      expect(r.stdout.toString()).toBe('kept 7\n');
      expect(r.exitstr).toMatch(/^sys: trap: fault read addr=0x30001000 pc=0x[0-9a-f]{8}$/);
      // The exec event names the new text as exec sets it (what Perfetto's track label shows).
      const execs = r.events.filter((e) => e.kind === 'proc' && e.what === 'exec');
      expect(execs.map((e) => e.kind === 'proc' && [e.detail, e.name])).toEqual([['"seg"', 'seg'], ['"/seg.out"', 'seg.out']]);
      // exec returns the new image's Tos address (4e execregs: USTKTOP-sizeof(Tos), 0xdffff000-72).
      const ret = r.events.flatMap((e) => (e.kind === 'sys' && e.name === 'exec' ? [e.ret >>> 0] : []));
      expect(ret).toEqual([0xdfffefb8]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a detached segment is gone: a load there is a fault below the stack', async () => {
    const r = await seg('d');
    expect(r.exitstr).toMatch(/^sys: trap: fault read addr=0xdeffe000 pc=0x[0-9a-f]{8}$/);
  });
});
