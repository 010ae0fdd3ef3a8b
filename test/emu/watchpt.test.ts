// /proc/N/watchpt raised as 9front's debug registers raise it
// (emu/port/watchpt.ts): test/prog/watch.s sets watchpoints on itself and
// on a child and prints what its note handler got. Under --deterministic,
// whose runs are sliced by instructions from the start, as a watched
// process's are.
import { describe, expect, it } from 'vitest';
import { runProg } from '../kit/runprog.ts';
import { deterministic } from '../../emu/det/deterministic.ts';

describe('/proc/N/watchpt (9front)', () => {
  it('a store, a load, an execution and a system call\'s store post "sys: watchpoint N"; data ones after the access, --x before, the kernel\'s as the call returns', async () => {
    const r = await runProg('watch.s', { flavor: '9front', onkernel: (k) => void deterministic(k) });
    expect(r.stdout.toString().split('\n')).toEqual([
      // -w- var: the store MOVL $1, var (10 bytes) has run; pc is the RET after it. 9front's notify adds pc=.
      'sys: watchpoint 0 pc=0x13f2 trap 1 pc +0x0000000a',
      // The second of "--x xfn", "rw- var": a load (6 bytes), so index 1.
      'sys: watchpoint 1 pc=0x13f9 trap 1 pc +0x00000006',
      // --x xfn: pc is xfn itself, which has not run; once the handler cleared the list it runs.
      'sys: watchpoint 0 pc=0x13fa trap 1 pc +0x00000000',
      'xfn ran',
      // -w- var written by the kernel (pread's copyout): posted in the call, out as it returns; the call's Ureg,
      // trap 64 and pc after the INT $64 of runtime·pread (MOVL $n, AX is 5 bytes, INT $64 2).
      'sys: watchpoint 0 pc=0x102f trap 64 pc +0x00000007',
      // A child without a handler dies of the note its parent's watchpoint raised (it never prints "survived").
      "2 0 0 0 'watch 2: sys: watchpoint 0 pc=0x13f2'",
      '',
    ]);
    expect(r.exitstr).toBe('');
    // Posted by the kernel as NDebug notes (flag 2), as debugexc does.
    const posts = r.events.flatMap((e) => (e.kind === 'note' && e.what === 'post' && e.msg.startsWith('sys: watch') ? [[e.pid, e.msg, e.flag]] : []));
    expect(posts).toEqual([[1, 'sys: watchpoint 0', 2], [1, 'sys: watchpoint 1', 2], [1, 'sys: watchpoint 0', 2], [1, 'sys: watchpoint 0', 2], [2, 'sys: watchpoint 0', 2]]);
  });
});
