// Helpers for the self-checking test programs: call macros (8c convention:
// arguments at 0(SP), 4(SP)… of the caller's frame) and small routines.
#include "../../asm/sys_plan9_386.s"

#define CALL1(fn, a) MOVL a, 0(SP); CALL fn(SB)
#define CALL2(fn, a, b) MOVL a, 0(SP); MOVL b, 4(SP); CALL fn(SB)
#define CALL3(fn, a, b, c) MOVL a, 0(SP); MOVL b, 4(SP); MOVL c, 8(SP); CALL fn(SB)
#define CALL4(fn, a, b, c, d) MOVL a, 0(SP); MOVL b, 4(SP); MOVL c, 8(SP); MOVL d, 12(SP); CALL fn(SB)
// pwrite(fd, buf, n, -1): write at the fd's offset.
#define WRITE(fd, buf, n) MOVL fd, 0(SP); MOVL buf, 4(SP); MOVL n, 8(SP); MOVL $-1, 12(SP); MOVL $-1, 16(SP); CALL runtime·pwrite(SB)

GLOBL	pbuf<>(SB), $128

// System calls the 2012 stub file lacks.
TEXT alarm(SB), 7, $0
	MOVL	$6, AX
	INT	$64
	RET

TEXT rendezvous(SB), 7, $0
	MOVL	$34, AX
	INT	$64
	RET

TEXT segattach(SB), 7, $0
	MOVL	$30, AX
	INT	$64
	RET

TEXT segdetach(SB), 7, $0
	MOVL	$31, AX
	INT	$64
	RET

TEXT segfree(SB), 7, $0
	MOVL	$32, AX
	INT	$64
	RET

TEXT exec(SB), 7, $0
	MOVL	$7, AX
	INT	$64
	RET

// print(s): write the NUL-terminated string s to fd 1.
TEXT print(SB), 7, $20
	MOVL	24(SP), SI
	MOVL	SI, DI
	MOVL	$0, CX
plen:
	MOVBLZX	0(DI)(CX*1), AX
	CMPL	AX, $0
	JEQ	pdone
	INCL	CX
	JMP	plen
pdone:
	WRITE($1, SI, CX)
	RET

// printerr(): print the process's errstr and a newline.
TEXT printerr(SB), 7, $20
	CALL2(runtime·errstr, $pbuf<>(SB), $128)
	CALL1(print, $pbuf<>(SB))
	CALL1(print, $nl<>(SB))
	RET

// printd(): print AX as one character: '-' for -1, else '0'+AX.
TEXT printd(SB), 7, $8
	CMPL	AX, $-1
	JNE	2(PC)
	MOVL	$('-'-'0'), AX
	ADDL	$'0', AX
	MOVL	AX, dbuf<>(SB)
	CALL1(print, $dbuf<>(SB))
	RET

GLOBL	dbuf<>(SB), $4
DATA	nl<>+0(SB)/4, $"\n\x00\x00\x00"
GLOBL	nl<>(SB), $4
