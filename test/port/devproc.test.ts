import { describe, expect, it } from 'vitest';
import { TestKernel, errof } from '../kit/kernelkit.ts';
import { ls, open, read, readbytes, stat, write } from '../kit/devkit.ts';
import { NDebug, NUser, OREAD, ORDWR, OWRITE } from '../../emu/port/dat.ts';
import { Segment } from '../../emu/port/segment.ts';
import { segclock } from '../../emu/port/profile.ts';

function setup(flavor: '9front' | '4e' = '9front') {
  const k = new TestKernel({ flavor });
  const p = k.proc('rc');
  const q = k.proc('sleep', p);
  return { k, p, q };
}

describe('#p', () => {
  it('lists processes by pid, 9front its trace file first', () => {
    const { k, p } = setup();
    k.procs.get(2)!.state = 'Dead';
    expect(ls(p, '/proc')).toEqual(['trace', '1']);
    const e = setup('4e');
    e.k.procs.get(2)!.state = 'Broken';
    expect(ls(e.p, '/proc')).toEqual(['1', '2']);
  });

  it('a process directory has each kernel\'s files', () => {
    expect(ls(setup().p, '/proc/2')).toEqual([
      'args', 'ctl', 'fd', 'fpregs', 'kregs', 'mem', 'note', 'notefpregs', 'noteid', 'notepg', 'ns', 'ppid', 'proc', 'regs',
      'segment', 'status', 'text', 'wait', 'profile', 'syscall', 'watchpt',
    ]);
    expect(ls(setup('4e').p, '/proc/2')).toEqual([
      'args', 'ctl', 'fd', 'fpregs', 'kregs', 'mem', 'note', 'noteid', 'notepg', 'ns', 'proc', 'regs',
      'segment', 'status', 'text', 'wait', 'profile',
    ]);
  });

  it.each([['9front', 512], ['4e', 108]] as const)('in %s regs and kregs are a 76-byte Ureg, fpregs %i bytes', (flavor, fp) => {
    const { p } = setup(flavor);
    expect(stat(p, '/proc/2/regs').length).toBe(76);
    expect(stat(p, '/proc/2/kregs').length).toBe(76);
    expect(stat(p, '/proc/2/fpregs').length).toBe(fp);
    expect(readbytes(p, '/proc/2/kregs')).toEqual(new Uint8Array(76));
    expect(readbytes(p, '/proc/2/fpregs')).toHaveLength(fp);
  });

  it('regs holds the registers in Ureg order; a write changes what a user may', () => {
    const { p, q } = setup();
    q.cpu.setRegs({ di: 1, si: 2, bp: 3, bx: 5, dx: 6, cx: 7, ax: 8, pc: 0x1234, sp: 0xdeadbee0, flags: 0x202 });
    const b = Buffer.from(readbytes(p, '/proc/2/regs'));
    expect([0, 4, 8, 16, 20, 24, 28].map((o) => b.readUInt32LE(o))).toEqual([1, 2, 3, 5, 6, 7, 8]);
    expect(b.readUInt32LE(56)).toBe(0x1234);
    expect(b.readUInt32LE(68)).toBe(0xdeadbee0);
    const w = Buffer.alloc(76);
    b.copy(w);
    w.writeUInt32LE(42, 28);
    w.writeUInt32LE(0xffffffff, 64);  // every flag: only 0xCD5 of them are the user's (9front setregisters)
    const c = open(p, '/proc/2/regs', ORDWR);
    expect(c.dev.write(p, c, new Uint8Array(w), 0)).toBe(76);
    expect(q.cpu.reg('ax')).toBe(42);
    expect(q.cpu.reg('flags')).toBe((0xcd5 | 0x202) >>> 0);
  });

  it('mem reads a process\'s memory and writes it only while Stopped', () => {
    const { k, p, q } = setup();
    const a = k.str(q, 'hello');
    const c = open(p, '/proc/2/mem', ORDWR);
    expect(Buffer.from(c.dev.read(p, c, 5, a)).toString()).toBe('hello');
    expect(errof(() => c.dev.read(p, c, 4, 0x100))).toBe('bad arg in system call');
    expect(errof(() => c.dev.write(p, c, new TextEncoder().encode('J'), a))).toBe('bad process or channel control request');
    q.state = 'Stopped';
    expect(c.dev.write(p, c, new TextEncoder().encode('J'), a)).toBe(1);
    expect(q.as.str(a, 10)).toBe('Jello');
  });

  it('segment lists each segment: name, R and P flags, base, top, sharers', () => {
    const { p } = setup();
    expect(read(p, '/proc/2/segment')).toBe('Data         10000    20000    1\n');
    expect(read(setup('4e').p, '/proc/2/segment')).toBe('Data      00010000 00020000    1\n');
  });

  it('ctl profile counts clock samples per 8 bytes of text; segment marks the text P', () => {
    const { k, p, q } = setup();
    expect(errof(() => write(p, open(p, '/proc/2/ctl', OWRITE), 'profile'))).toBe('the front fell off');  // no text
    q.as.attach(new Segment('text', 0x1000, 0x2000, k.machine.alloc(0x1000), 5));
    expect(errof(() => read(p, '/proc/2/profile'))).toBe('profile is off');
    write(p, open(p, '/proc/2/ctl', OWRITE), 'profile');
    expect(read(p, '/proc/2/segment').split('\n')[0]).toBe('Text   RP     1000     2000    1');
    expect(stat(p, '/proc/2/profile').length).toBe(0x1000 / 8 * 4);
    segclock(q, 0x1010, 1);
    segclock(q, 0x1014, 1);
    segclock(q, 0x9999, 1);  // outside the text: the total only
    const b = Buffer.from(readbytes(p, '/proc/2/profile', 16));
    expect([0, 4, 8, 12].map((o) => b.readUInt32LE(o))).toEqual([3, 0, 2, 0]);
  });

  it('args quotes each argument; 9front lets it be rewritten', () => {
    const { p, q } = setup();
    q.args = ['echo', 'a b', "it's"];
    expect(read(p, '/proc/2/args')).toBe("echo 'a b' 'it''s'");
    write(p, open(p, '/proc/2/args', OWRITE), 'x y');
    expect(read(p, '/proc/2/args')).toBe('sleep [x y]');
    const e = setup('4e');
    expect(errof(() => open(e.p, '/proc/2/args', OWRITE))).toBe("'/proc/2/args' permission denied");
  });

  it('ns ends with cd; 4e status is blank-filled with no newline', () => {
    const { p } = setup();
    expect(read(p, '/proc/2/ns').endsWith('cd /\n')).toBe(true);
    const e = setup('4e');
    const s = read(e.p, '/proc/2/status');
    expect(s).toHaveLength(176);
    expect(s.slice(0, 68)).toBe('sleep'.padEnd(28) + 'glenda'.padEnd(28) + 'Running'.padEnd(12));
    expect(s.endsWith('         10          10 ')).toBe(true);
  });

  it('wait gives a child\'s exit record and waits for one', () => {
    const { p, q } = setup();
    const c = open(p, '/proc/2/wait');
    expect(errof(() => c.dev.read(p, c, 100, 0))).toBe('sleep');
    q.waitq.push({ pid: 9, time: [1, 2, 3], msg: 'sleep 9: oops' });
    expect(read(p, '/proc/2/wait')).toBe("9 1 2 3 'sleep 9: oops'");
  });

  it('watchpt keeps rwx lines (9front)', () => {
    const { p } = setup();
    const c = open(p, '/proc/2/watchpt', ORDWR);
    expect(c.dev.write(p, c, new TextEncoder().encode('w 0x1000 4\nrw 4098 2\n'), 0)).toBe(21);
    expect(c.dev.write(p, c, new TextEncoder().encode('x 0x2000 1\n'), 21)).toBe(11);
    expect(read(p, '/proc/2/watchpt')).toBe('-w- 0x00001000 0x00000004\nrw- 0x00001002 0x00000002\n--x 0x00002000 0x00000001\n');
    const bad = (line: string) => errof(() => c.dev.write(p, c, new TextEncoder().encode(line + '\n'), 0));
    expect(bad('q 1 1')).toBe('invalid type');
    expect(bad('r 0x1000 4')).toBe('type must be rw-, -w- or --x');
    expect(bad('x 0x1000 4')).toBe('length must be 1 on breakpoints');
    expect(bad('w 0x1001 4')).toBe('address must be aligned according to length');
    expect(bad('w 0x1000 4\nw 0x1004 4\nw 0x1008 4\nw 0x100c 4\nw 0x1010 4')).toBe('there are four watchpoints.');
    expect(read(p, '/proc/2/watchpt')).toHaveLength(3 * 26);  // a bad write changes nothing
  });

  it('ctl stop waits for the stop, start wants a Stopped process', () => {
    const { k, p, q } = setup();
    const c = open(p, '/proc/2/ctl', OWRITE);
    expect(errof(() => write(p, c, 'start'))).toBe('bad process or channel control request');
    expect(errof(() => write(p, c, 'stop'))).toBe('sleep');
    expect(q.procctl).toBe('stopme');
    k.sched.dispatch(q);  // its way back to user mode stops it
    expect(q.state).toBe('Stopped');
    expect(read(p, '/proc/2/status').slice(56, 67)).toBe('Stopped    ');
    expect(write(p, c, 'stop')).toBe(4);  // the rerun: it is stopped now
    expect(write(p, c, 'start')).toBe(5);
    expect(q.state).toBe('Ready');
  });

  it('startstop stops at a note; started again, the process takes the note (here dying Broken of it)', () => {
    const { k, p, q } = setup();
    const c = open(p, '/proc/2/ctl', OWRITE);
    q.notes.push({ msg: 'sys: trap: fault read addr=0x0', flag: NDebug });
    q.procctl = 'traceme';
    k.sched.dispatch(q);
    expect(q.state).toBe('Stopped');
    expect(errof(() => write(p, c, 'startstop'))).toBe('sleep');
    k.sched.dispatch(q);  // not stopped again on the same note: it is delivered
    expect(q.state).toBe('Broken');
    expect(write(p, c, 'startstop')).toBe(9);  // the waiting write's rerun: Broken counts as stopped
  });

  it('4e has no startsyscall', () => {
    const { p } = setup('4e');
    expect(errof(() => write(p, open(p, '/proc/2/ctl', OWRITE), 'startsyscall'))).toBe('unknown control message "startsyscall"');
  });

  it('ctl kill takes a Broken process away', () => {
    const { k, p, q } = setup();
    q.state = 'Broken';
    write(p, open(p, '/proc/2/ctl', OWRITE), 'kill');
    expect(k.procs.has(2)).toBe(false);
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
    ['start', 'bad process or channel control request'],
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
