// thread_plan9.c as it was before Go commit ccdca2c (its parent): no note
// handler, and exit interrupts the whole note group and loses the status.

#include "../common/thread_plan9_common.s"

// void osinit(void)
// Nothing to do for notes: no handler is installed.
TEXT runtime·osinit(SB),7,$0
	RET

// void exit(int32 e)
// Ignore e. Build "/proc/<pid>/notepg" from Tos.pid (digits written least
// significant first into tmp, then copied back reversed), open it for
// writing, write "interrupt" (every other process of the note group gets
// it, this program's Ms and anyone else's alike), and exits(nil).
TEXT runtime·exit(SB),7,$176-4
	LEAL	48(SP), AX		// tmp[16] at 32(SP), buf[128] at 48(SP)
	MOVL	AX, 0(SP)
	MOVL	$128, 4(SP)
	CALL	runtime·memclr(SB)
	LEAL	32(SP), AX
	MOVL	AX, 0(SP)
	MOVL	$16, 4(SP)
	CALL	runtime·memclr(SB)
	get_tls(AX)
	MOVL	tos_pid(AX), AX		// pid = _tos->pid
	LEAL	32(SP), DI		// q = tmp
	MOVL	$10, CX
bx_digits:
	CMPL	AX, $0
	JLE	bx_path
	CDQ
	IDIVL	CX
	ADDL	$48, DX
	MOVB	DX, 0(DI)
	INCL	DI
	JMP	bx_digits
bx_path:
	MOVL	DI, 24(SP)		// end of the digits
	LEAL	48(SP), AX
	MOVL	AX, 0(SP)
	MOVL	$procdir<>(SB), AX
	MOVL	AX, 4(SP)
	MOVL	$6, 8(SP)
	CALL	runtime·memmove(SB)
	MOVL	24(SP), SI
	LEAL	54(SP), DI		// p = buf+6
	LEAL	32(SP), DX
bx_rev:
	DECL	SI			// for(q--; q >= tmp;) *p++ = *q--
	CMPL	SI, DX
	JCS	bx_tail
	MOVBLZX	0(SI), AX
	MOVB	AX, 0(DI)
	INCL	DI
	JMP	bx_rev
bx_tail:
	MOVL	DI, 0(SP)
	MOVL	$notepgfile<>(SB), AX
	MOVL	AX, 4(SP)
	MOVL	$7, 8(SP)
	CALL	runtime·memmove(SB)
	LEAL	48(SP), AX
	MOVL	AX, 0(SP)
	MOVL	$OWRITE, 4(SP)
	CALL	runtime·open(SB)
	MOVL	AX, 0(SP)
	MOVL	$interrupt<>(SB), AX
	MOVL	AX, 4(SP)
	MOVL	$9, 8(SP)
	MOVL	$-1, 12(SP)
	MOVL	$-1, 16(SP)
	CALL	runtime·pwrite(SB)
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
	RET

DATA	procdir<>+0(SB)/8, $"/proc/\x00\x00"
GLOBL	procdir<>(SB), $8
DATA	notepgfile<>+0(SB)/8, $"/notepg\x00"
GLOBL	notepgfile<>(SB), $8
DATA	interrupt<>+0(SB)/8, $"interrup"
DATA	interrupt<>+8(SB)/8, $"t\x00\x00\x00\x00\x00\x00\x00"
GLOBL	interrupt<>(SB), $16
