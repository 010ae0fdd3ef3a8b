// The library API as users meet it: imported by the package's name
// (package.json exports), assembling, booting, running to completion,
// the event stream and system-call hooks.

import { describe, expect, it } from 'vitest';
import { assemble, boot, load, ProgramError, type TraceEvent } from 'p9emu';

// pwrite(1, "hello, world\n", 13, -1), then exit with its result as the exit string.
const hello = `
#include "sys_plan9_386.s"
DATA	msg<>+0(SB)/8, $"hello, w"
DATA	msg<>+8(SB)/8, $"orld\\n\\x00\\x00\\x00"
GLOBL	msg<>(SB), $16
TEXT _main(SB), 7, $20
	MOVL	$1, 0(SP)
	MOVL	$msg<>(SB), AX
	MOVL	AX, 4(SP)
	MOVL	$13, 8(SP)
	MOVL	$-1, 12(SP)
	MOVL	$-1, 16(SP)
	CALL	runtime·pwrite(SB)
	MOVL	AX, 0(SP)
	CALL	exitnum(SB)
	RET
`;

// exitnum(n): exits with the decimal string of n (0 → "").
const exitnum = `
DATA	buf<>+0(SB)/4, $0
GLOBL	buf<>(SB), $16
TEXT exitnum(SB), 7, $8
	MOVL	n+0(FP), AX
	CMPL	AX, $0
	JNE	digits
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
digits:
	MOVL	$buf<>+15(SB), DI
	MOVB	$0, 0(DI)
	MOVL	$10, CX
more:
	MOVL	$0, DX
	DIVL	CX
	ADDB	$48, DX
	DECL	DI
	MOVB	DX, 0(DI)
	CMPL	AX, $0
	JNE	more
	MOVL	DI, 0(SP)
	CALL	runtime·exits(SB)
	RET
`;

const src = hello + exitnum;

describe('assemble and run', () => {
  it('runs to completion with stdout, exit strings and events', async () => {
    const prog = assemble(src, { file: 'hello.s' });
    expect(prog.name).toBe('hello');
    expect(prog.addr('_main')).toBe(prog.symbols.find((s) => s.name === '_main')!.value);
    const r = await boot(prog).run();
    expect(r.stdout).toBe('hello, world\n');
    expect(r.exitstr).toBe('13');   // pwrite's result
    expect(r.code).toBe(13);
    expect(r.exits).toEqual({ 1: '13' });
    const names = r.events.filter((e): e is Extract<TraceEvent, { kind: 'sys' }> => e.kind === 'sys').map((e) => e.name);
    expect(names).toEqual(['pwrite', 'exits']);
    expect(r.events.some((e) => e.kind === 'proc' && e.what === 'exits' && e.status === '13')).toBe(true);
  });

  it('delivers events live, in the order of the final list', async () => {
    const seen: string[] = [];
    const g = boot(assemble(src));
    g.onEvent((e) => seen.push(e.kind));
    const r = await g.run();
    expect(seen).toEqual(r.events.map((e) => e.kind));
    expect(seen).toContain('sysenter');
  });

  it('reports source errors as data', () => {
    let err: unknown;
    try {
      assemble('TEXT _main(SB), 7, $0\n\tMOVL\tnosuch, AX\n', { file: 'bad.s' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProgramError);
    expect((err as ProgramError).errors[0]).toMatch(/^bad\.s:2: /);
  });

  it('names what a file that is not an a.out is', () => {
    expect(() => load(new Uint8Array(0))).toThrow('image: is empty, not a Plan 9 a.out');
    expect(() => load(new TextEncoder().encode('\x7fELF\x01\x01\x01'))).toThrow('is an ELF file');
    expect(() => load('/')).toThrow('/: is a directory');
    expect(() => load('/nonexistent/x')).toThrow('/nonexistent/x: file does not exist');
  });

  it('takes the CLI options: args, env, kernel, cpus, seed, timeout', async () => {
    const prog = assemble(src);
    const r = await boot(prog, { kernel: '9front', args: ['a'], env: { x: '1' }, cpus: 2, seed: 7, timeout: 600 }).run();
    expect(r.stdout).toBe('hello, world\n');
    expect(() => boot(prog, { cpus: 0 })).toThrow('cpus: a whole number from 1 to 64');
    expect(() => boot(prog, { root: '/nonexistent' })).toThrow('root: /nonexistent: file does not exist');
  });
});

describe('system-call hooks', () => {
  it('see the decoded call and registers at enter and exit', async () => {
    const g = boot(assemble(src));
    const got: unknown[] = [];
    g.onSyscall('pwrite', {
      enter: (c) => void got.push(['enter', c.name, c.num, c.args[1], c.words[2], c.regs.ax, c.string(c.words[1]!)]),
      exit: (c) => void got.push(['exit', c.ret, c.err]),
    });
    await g.run();
    expect(got).toEqual([
      ['enter', 'pwrite', 51, { t: 'buf', v: expect.any(Number), dir: 'in', len: 13, data: 'hello, world\\x0a' }, 13, 51, 'hello, world\n'],
      ['exit', 13, ''],
    ]);
  });

  it('replace a call (a mock kernel call) or fail it with an error string', async () => {
    const mocked = boot(assemble(src));
    mocked.onSyscall('pwrite', { enter: () => ({ ret: 99 }) });
    const m = await mocked.run();
    expect(m.stdout).toBe('');          // the call did not run
    expect(m.exitstr).toBe('99');
    expect(m.events.find((e) => e.kind === 'sys' && e.name === 'pwrite')).toMatchObject({ ret: 99, injected: true });

    const failed = boot(assemble(src));
    failed.onSyscall(51, { exit: (c) => (c.ret === 13 ? { error: 'i/o error' } : undefined) });
    const f = await failed.run();
    expect(f.stdout).toBe('hello, world\n');  // it ran; its result was replaced
    expect(f.exitstr).toBe('4294967295');
    expect(f.events.find((e) => e.kind === 'sys' && e.name === 'pwrite')).toMatchObject({ ret: -1, err: 'i/o error' });
  });

  it('refuse a call that does not exist', () => {
    expect(() => boot(assemble(src)).onSyscall('nosuch', {})).toThrow("no system call 'nosuch'");
  });
});
