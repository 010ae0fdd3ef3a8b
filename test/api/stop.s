// A program for the library's stop tests (test/api/stop.test.ts):
// bump() adds one to `counter` three times; open("/dev/null") leaves
// its fd in `fd`; check() stores the x87 control word in `cw` and X0 in
// `xbuf`, then writes xbuf (16 bytes) to stdout; the program exits with
// "" when BX is 0 at `pick`, else "picked".
#include "sys_plan9_386.s"

GLOBL	counter(SB), $4
GLOBL	fd(SB), $4
GLOBL	cw(SB), $4
GLOBL	xbuf(SB), $16
DATA	null<>+0(SB)/8, $"/dev/nul"
DATA	null<>+8(SB)/4, $"l\x00\x00\x00"
GLOBL	null<>(SB), $12
DATA	picked<>+0(SB)/8, $"picked\x00\x00"
GLOBL	picked<>(SB), $8

TEXT bump(SB), 7, $0
	INCL	counter(SB)
	RET

TEXT check(SB), 7, $20
	FSTCW	cw(SB)
	MOVOU	X0, xbuf(SB)
	MOVL	$1, 0(SP)
	MOVL	$xbuf(SB), 4(SP)
	MOVL	$16, 8(SP)
	MOVL	$-1, 12(SP)
	MOVL	$-1, 16(SP)
	CALL	runtime·pwrite(SB)
	RET

TEXT pick(SB), 7, $0
	CMPL	BX, $0
	RET

TEXT _main(SB), 7, $8
	MOVL	$0, counter(SB)
	MOVL	$3, SI
loop:
	CALL	bump(SB)
	DECL	SI
	JNE	loop
	MOVL	$null<>(SB), 0(SP)
	MOVL	$0, 4(SP)
	CALL	runtime·open(SB)
	MOVL	AX, fd(SB)
	CALL	check(SB)
	MOVL	$0, BX
	MOVL	$0, AX
	CALL	pick(SB)
	JEQ	done
	MOVL	$picked<>(SB), AX
done:
	MOVL	AX, 0(SP)
	CALL	runtime·exits(SB)
	RET
