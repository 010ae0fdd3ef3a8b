// Each function of the 2012 runtime's thread_plan9.c (after commit
// ccdca2c), run alone against the kernel model.
import { describe, expect, it } from 'vitest';
import { PUT, runMain } from './kit.ts';
import { callText } from '../../emu/trace/text.ts';

// itoa(n, buf, len) then write the 16-byte buffer raw.
function itoaMain(cases: Array<[number, number]>): string {
  const calls = cases
    .map(
      ([n, len]) => `
	MOVL	$${n}, 0(SP)
	LEAL	16(SP), AX
	MOVL	AX, 4(SP)
	MOVL	$0x5a5a5a5a, 0(AX)
	MOVL	$0x5a5a5a5a, 4(AX)
	MOVL	$0x5a5a5a5a, 8(AX)
	MOVL	$0x5a5a5a5a, 12(AX)
	MOVL	$${len}, 8(SP)
	CALL	runtime·itoa(SB)
	LEAL	16(SP), AX
	MOVL	AX, 0(SP)
	MOVL	$16, 4(SP)
	CALL	put<>(SB)`,
    )
    .join('\n');
  return `${PUT}
TEXT main·main(SB),7,$32
${calls}
	RET
`;
}

describe('itoa', () => {
  it('zero, negative, multi-digit, and the era\'s length rules', async () => {
    const cases: Array<[number, number]> = [
      [0, 16], [7, 16], [-5, 16], [1234, 16], [-2147483647, 16], [2147483647, 16], [12345, 3], [99, 1], [0, 2],
    ];
    const r = await runMain('after', itoaMain(cases));
    expect(r.exitstr).toBe('');
    const bufs = [];
    for (let i = 0; i < cases.length; i++) bufs.push(r.stdout.slice(i * 16, i * 16 + 16));
    const str = (b: string) => b.slice(0, b.indexOf('\0') < 0 ? 16 : b.indexOf('\0'));
    expect(str(bufs[0]!)).toBe('0');
    expect(str(bufs[1]!)).toBe('7');
    expect(str(bufs[2]!)).toBe('-5');
    expect(str(bufs[3]!)).toBe('1234');
    expect(str(bufs[4]!)).toBe('-2147483647');
    expect(str(bufs[5]!)).toBe('2147483647');
    // The rest of the buffer is cleared.
    expect(bufs[3]!.slice(4)).toBe('\0'.repeat(12));
    // len 3: at most 3 digits, least significant first, then reversed; no room for a NUL.
    expect(bufs[6]!.slice(0, 3)).toBe('345');
    // len <= 1: the buffer is not touched at all.
    expect(bufs[7]!).toBe('Z'.repeat(16));
    // len 2 still writes a lone '0'.
    expect(bufs[8]!.slice(0, 2)).toBe('0\0');
  });
});

describe('getpid', () => {
  it('reads #c/pid and equals Tos.pid (after a syscall)', async () => {
    const r = await runMain(
      'after',
      `${PUT}
TEXT main·main(SB),7,$16
	CALL	getpid<>(SB)
	MOVL	AX, 8(SP)
	get_tls(AX)
	MOVL	tos_pid(AX), AX
	MOVL	AX, 12(SP)
	LEAL	8(SP), AX
	MOVL	AX, 0(SP)
	MOVL	$8, 4(SP)
	CALL	put<>(SB)
	RET
`,
    );
    expect(r.exitstr).toBe('');
    const b = Buffer.from(r.stdout, 'latin1');
    expect(b.readUInt32LE(0)).toBe(r.pid);
    expect(b.readUInt32LE(4)).toBe(r.pid);
    const opens = r.events.flatMap((e) => (e.kind === 'sys' && e.name === 'open' ? [callText(e)] : []));
    expect(opens.some((a) => a.includes('#c/pid'))).toBe(true);
  });
});

describe('postnote', () => {
  it('returns -1 for a pid with no process, 0 for a live one (itself: gointr, continued)', async () => {
    const r = await runMain(
      'after',
      `${PUT}
TEXT main·main(SB),7,$16
	MOVL	$999, 0(SP)
	MOVL	$gointr<>(SB), AX
	MOVL	AX, 4(SP)
	CALL	runtime·postnote(SB)
	MOVL	AX, 8(SP)
	CALL	getpid<>(SB)
	MOVL	AX, 0(SP)
	MOVL	$gointr<>(SB), AX
	MOVL	AX, 4(SP)
	CALL	runtime·postnote(SB)
	MOVL	AX, 12(SP)
	LEAL	8(SP), AX
	MOVL	AX, 0(SP)
	MOVL	$8, 4(SP)
	CALL	put<>(SB)
	RET
`,
    );
    expect(r.exitstr).toBe('');
    const b = Buffer.from(r.stdout, 'latin1');
    expect(b.readInt32LE(0)).toBe(-1);
    expect(b.readInt32LE(4)).toBe(0);
    const opens = r.events.flatMap((e) => (e.kind === 'sys' && e.name === 'open' ? [callText(e)] : []));
    expect(opens.some((a) => a.includes('/proc/999/note'))).toBe(true);
    const noted = r.events.filter((e) => e.kind === 'note' && e.what === 'noted');
    expect(noted.map((e) => (e as { mode?: number }).mode)).toEqual([0]);
  });
});

describe('gonote', () => {
  it('receives the frame of facts §4: ESP=S-476, [ESP]=0, ureg=ESP+144, msg=ureg-132', async () => {
    // spy: record ESP and the three words there, then tail-jump to gonote
    // so that gonote sees exactly this frame.
    const r = await runMain(
      'after',
      `${PUT}
GLOBL	spy<>(SB), $20
TEXT spyhandler<>(SB),7,$0
	MOVL	SP, spy<>+0(SB)
	MOVL	0(SP), AX
	MOVL	AX, spy<>+4(SB)
	MOVL	4(SP), AX
	MOVL	AX, spy<>+8(SB)
	MOVL	8(SP), AX
	MOVL	AX, spy<>+12(SB)
	MOVL	4(SP), AX
	MOVL	68(AX), AX		// Ureg.usp: S
	MOVL	AX, spy<>+16(SB)
	JMP	runtime·gonote(SB)
TEXT main·main(SB),7,$16
	MOVL	$spyhandler<>(SB), AX
	MOVL	AX, 0(SP)
	CALL	runtime·notify(SB)
	CALL	getpid<>(SB)
	MOVL	AX, 0(SP)
	MOVL	$gointr<>(SB), AX
	MOVL	AX, 4(SP)
	CALL	runtime·postnote(SB)
	MOVL	$spy<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$20, 4(SP)
	CALL	put<>(SB)
	MOVL	spy<>+12(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$7, 4(SP)
	CALL	put<>(SB)
	RET
`,
    );
    expect(r.exitstr).toBe('');
    const b = Buffer.from(r.stdout, 'latin1');
    const [esp, ret, ureg, msg, usp] = [0, 4, 8, 12, 16].map((o) => b.readUInt32LE(o));
    expect(ret).toBe(0);
    expect(ureg).toBe(esp! + 144);
    expect(msg).toBe(ureg! - 132);
    expect(esp).toBe(usp! - 476);
    expect(b.subarray(20, 27).toString('latin1')).toBe('gointr\0');
    const deliver = r.events.find((e) => e.kind === 'note' && e.what === 'deliver') as { ureg?: number } | undefined;
    expect(deliver?.ureg).toBe(ureg);
  });

  it('a note while exitstatus is set: exits with that status', async () => {
    const r = await runMain(
      'after',
      `
DATA	seven<>+0(SB)/4, $"7\\x00\\x00\\x00"
GLOBL	seven<>(SB), $4
DATA	hello<>+0(SB)/8, $"hello\\x00\\x00\\x00"
GLOBL	hello<>(SB), $8
TEXT main·main(SB),7,$16
	MOVL	$seven<>(SB), AX
	MOVL	AX, runtime·exitstatus(SB)
	CALL	getpid<>(SB)
	MOVL	AX, 0(SP)
	MOVL	$hello<>(SB), AX
	MOVL	AX, 4(SP)
	CALL	runtime·postnote(SB)
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
`,
    );
    expect(r.exitstr).toBe('7');
  });

  it('a sys: note becomes the exit status and the M dies with it (NDFLT)', async () => {
    const r = await runMain(
      'after',
      `
TEXT main·main(SB),7,$0
	MOVL	$0, BX
	MOVL	0(BX), AX
	RET
`,
    );
    expect(r.exitstr).toMatch(/^sys: trap: fault read addr=0x0 pc=0x[0-9a-f]{8}$/);
    const noted = r.events.filter((e) => e.kind === 'note' && e.what === 'noted');
    expect(noted.map((e) => (e as { mode?: number }).mode)).toEqual([1]);
  });

  it('any other note with no exit status: death by the note', async () => {
    const r = await runMain(
      'after',
      `
DATA	hello<>+0(SB)/8, $"hello\\x00\\x00\\x00"
GLOBL	hello<>(SB), $8
TEXT main·main(SB),7,$16
	CALL	getpid<>(SB)
	MOVL	AX, 0(SP)
	MOVL	$hello<>(SB), AX
	MOVL	AX, 4(SP)
	CALL	runtime·postnote(SB)
	MOVL	$1000, 0(SP)
	CALL	runtime·sleep(SB)
	RET
`,
    );
    expect(r.exitstr).toBe('hello');
  });
});

describe('exit', () => {
  it('after: exit(3) exits "3"; exit(0) exits ""', async () => {
    const three = await runMain('after', `TEXT main·main(SB),7,$4\n\tMOVL\t$3, 0(SP)\n\tCALL\truntime·exit(SB)\n\tRET\n`);
    expect(three.exitstr).toBe('3');
    const neg = await runMain('after', `TEXT main·main(SB),7,$4\n\tMOVL\t$-12, 0(SP)\n\tCALL\truntime·exit(SB)\n\tRET\n`);
    expect(neg.exitstr).toBe('-12');
    const zero = await runMain('after', `TEXT main·main(SB),7,$0\n\tRET\n`);
    expect(zero.exitstr).toBe('');
  });

  it('before: exit(3) writes interrupt to /proc/<Tos.pid>/notepg and exits with no status', async () => {
    const r = await runMain('before', `TEXT main·main(SB),7,$4\n\tMOVL\t$3, 0(SP)\n\tCALL\truntime·exit(SB)\n\tRET\n`);
    expect(r.exitstr).toBe('');
    const sys = r.events.flatMap((e) => (e.kind === 'sys' ? [callText(e)] : []));
    expect(sys.some((s) => s.startsWith('open(') && s.includes(`/proc/${r.pid}/notepg`))).toBe(true);
    expect(sys.some((s) => s.startsWith('pwrite(') && s.includes('9'))).toBe(true);
    expect(r.events.some((e) => e.kind === 'sys' && e.name === 'notify')).toBe(false);
  });
});
