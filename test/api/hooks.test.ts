// The library's code and note hooks, and a hook that throws.

import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { assemble, boot, load, type NoteEvent } from 'p9emu';

// _main calls twice(21), which returns 42 in AX, and exits with "" or "bad".
const src = `
#include "sys_plan9_386.s"
DATA	bad<>+0(SB)/4, $"bad\\x00"
GLOBL	bad<>(SB), $4
TEXT twice(SB), 7, $0
	MOVL	n+0(FP), AX
	ADDL	AX, AX
	RET
TEXT _main(SB), 7, $8
	MOVL	$21, 0(SP)
	CALL	twice(SB)
	CMPL	AX, $42
	JEQ	ok
	MOVL	$bad<>(SB), 0(SP)
	CALL	runtime·exits(SB)
ok:
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
	RET
`;

describe('code hooks', () => {
  it('run before the instruction at a symbol or address, with its registers and memory', async () => {
    const prog = assemble(src);
    const g = boot(prog);
    const seen: unknown[] = [];
    g.onCode('twice', (c) => {
      const sp = c.regs.sp;
      const arg = new DataView(c.read(sp + 4, 4).buffer).getUint32(0, true);
      seen.push(['twice', c.pid, c.pc, arg]);
    });
    g.onCode(prog.addr('twice') + 4, (c) => void seen.push(['ADDL', c.regs.ax]));  // after MOVL n+0(FP), AX (4 bytes)
    const r = await g.run();
    expect(r.exitstr).toBe('');
    expect(seen).toEqual([['twice', 1, prog.addr('twice'), 21], ['ADDL', 21]]);
  });

  it('stop the run when a hook throws, and run() rejects with its error', async () => {
    const g = boot(assemble(src));
    g.onCode('twice', () => {
      throw new Error('boom');
    });
    await expect(g.run()).rejects.toThrow('boom');
    const s = boot(assemble(src));
    s.onSyscall('exits', { enter: () => { throw new Error('no exits'); } });
    await expect(s.run()).rejects.toThrow('no exits');
  });
});

describe('note hooks', () => {
  it('hear a note posted, delivered and answered with noted', async () => {
    const g = boot(load(fileURLToPath(new URL('../prog/noteframe.s', import.meta.url))));
    const notes: NoteEvent[] = [];
    g.onNote((n) => notes.push(n));
    const r = await g.run();
    expect(r.exitstr).toBe('');
    expect(notes.map((n) => [n.what, n.msg])).toEqual([['post', 'hello'], ['deliver', 'hello'], ['noted', 'hello']]);
  });
});
