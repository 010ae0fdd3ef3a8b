import { describe, expect, it } from 'vitest';
import { TestKernel, errof } from '../kit/kernelkit.ts';
import { ls, open, read, write } from '../kit/devkit.ts';
import { NUser, OREAD, ORDWR, OWRITE } from '../../emu/port/dat.ts';

function setup(flavor: '9front' | '4e' = '9front') {
  const k = new TestKernel({ flavor });
  const p = k.proc('rc');
  const q = k.proc('sleep', p);
  return { k, p, q };
}

describe('#p', () => {
  it('lists live processes by pid', () => {
    const { k, p } = setup();
    k.procs.get(2)!.state = 'Dead';
    expect(ls(p, '/proc')).toEqual(['1']);
  });

  it('a process directory has its files', () => {
    const { p } = setup();
    expect(ls(p, '/proc/2')).toEqual(['ctl', 'fd', 'note', 'noteid', 'notepg', 'ppid', 'status', 'text']);
  });

  it('walks only to a pid as %lud prints it', () => {
    const { p } = setup();
    expect(errof(() => open(p, '/proc/02/ppid'))).toBe("file does not exist: '/proc/02'");
    expect(errof(() => open(p, '/proc/9'))).toBe("file does not exist: '/proc/9'");
  });

  it('ppid, noteid and ctl read as readnum fields', () => {
    const { p } = setup();
    expect(read(p, '/proc/2/ppid')).toBe('          1 ');
    expect(read(p, '/proc/2/noteid')).toBe('          1 ');
    expect(read(p, '/proc/2/ctl')).toBe('          2 ');
  });

  it('status is 176 bytes: text, user, state, then nine numbers', () => {
    const { p, q } = setup();
    q.psstate = 'Sleep';
    const s = read(p, '/proc/2/status');
    expect(s).toHaveLength(176);
    expect(s.slice(0, 68)).toBe('sleep'.padEnd(27) + ' ' + 'glenda'.padEnd(27) + ' ' + 'Sleep'.padEnd(11) + ' ');
    expect(s.endsWith('         10          10\n')).toBe(true);
  });

  it('status and ppid open only for reading', () => {
    const { p } = setup();
    expect(errof(() => open(p, '/proc/2/status', ORDWR))).toBe("permission denied: '/proc/2/status'");
  });

  it('a note write posts an NUser note and returns n', () => {
    const { k, p, q } = setup();
    expect(write(p, open(p, '/proc/2/note', OWRITE), 'interrupt')).toBe(9);
    expect(q.notes).toEqual([{ msg: 'interrupt', flag: NUser }]);
    expect(k.posted.at(-1)).toMatchObject({ pid: 2, ok: true });
  });

  it.each([['9front', 127, 128], ['4e', 126, 127]] as const)(
    'in %s a note of %i bytes posts and one of %i is too big', (flavor, ok, big) => {
      const { p } = setup(flavor);
      const c = open(p, '/proc/2/note', OWRITE);
      expect(write(p, c, 'x'.repeat(ok))).toBe(ok);
      expect(errof(() => write(p, c, 'x'.repeat(big)))).toBe('read or write too large');
    });

  it('a full queue gives "note not posted"', () => {
    const { p } = setup();
    const c = open(p, '/proc/2/note', OWRITE);
    for (let i = 0; i < 5; i++) write(p, c, 'n' + i);
    expect(errof(() => write(p, c, 'one too many'))).toBe('note not posted');
  });

  it('a process that exited gives "process exited"', () => {
    const { k, p } = setup();
    const c = open(p, '/proc/2/note', OWRITE);
    k.procs.delete(2);
    expect(errof(() => write(p, c, 'hangup'))).toBe('process exited');
  });

  it('reading note dequeues the first, NUL-terminated', () => {
    const { p, q } = setup();
    q.notes.push({ msg: 'alarm', flag: NUser }, { msg: 'hangup', flag: NUser });
    q.notepending = true;
    const c = open(p, '/proc/2/note');
    expect(Array.from(c.dev.read(p, c, 100, 0))).toEqual([...Buffer.from('alarm'), 0]);
    expect(q.notes).toHaveLength(1);
    expect(c.dev.read(p, c, 3, 0)).toEqual(new Uint8Array([0x68, 0x61, 0]));
    expect(q.notepending).toBe(false);
    expect(c.dev.read(p, c, 100, 0)).toHaveLength(0);
    expect(errof(() => c.dev.read(p, c, 0, 0))).toBe('read or write too small');
  });

  it('notepg must be opened exactly OWRITE', () => {
    const { p } = setup();
    expect(errof(() => open(p, '/proc/2/notepg', ORDWR))).toBe("permission denied: '/proc/2/notepg'");
    expect(errof(() => open(p, '/proc/2/notepg', OREAD))).toBe("permission denied: '/proc/2/notepg'");
  });

  it('notepg posts to the group but not the writer', () => {
    const { k, p, q } = setup();
    const r = k.proc('other');
    r.noteid = 99;
    write(p, open(p, '/proc/2/notepg', OWRITE), 'interrupt');
    expect(q.notes.map((n) => n.msg)).toEqual(['interrupt']);
    expect(p.notes).toEqual([]);
    expect(r.notes).toEqual([]);
  });

  it('ctl kill kills the process at its next return to user mode', () => {
    const { k, p, q } = setup();
    write(p, open(p, '/proc/2/ctl', OWRITE), 'kill\n');
    expect(q.alive).toBe(true);
    k.sched.dispatch(q);  // the way back to user mode (386 kexit)
    expect(q.alive).toBe(false);
    expect(q.exitstr).toBe('Killed');
  });

  it.each([
    ['frob', 'unknown control message "frob"'],
    ['kill now', 'wrong #args in control message "kill now"'],
    ['', 'empty control message'],
    ['stop', 'bad process or channel control request'],
  ])('ctl %j fails with %s', (msg, want) => {
    const { p } = setup();
    expect(errof(() => write(p, open(p, '/proc/2/ctl', OWRITE), msg))).toBe(want);
  });

  it('noteid can join a group of the same user', () => {
    const { k, p, q } = setup();
    const r = k.proc('x');
    r.noteid = 7;
    write(p, open(p, '/proc/2/noteid', OWRITE), '7');
    expect(q.noteid).toBe(7);
    expect(errof(() => write(p, open(p, '/proc/2/noteid', OWRITE), '12345'))).toBe('permission denied');
  });

  it('fd lists dot and the open fds', () => {
    const { p, q } = setup();
    q.fgrp.newfd(open(q, '/dev/null'));
    const s = read(p, '/proc/2/fd');
    expect(s.split('\n')[0]).toBe('/');
    expect(s.split('\n')[1]).toMatch(/^ {2}0 r {2}c {4}0 \([0-9a-f]{16} 0 00\) {5}0 {8}0 \/dev\/null$/);
  });
});
