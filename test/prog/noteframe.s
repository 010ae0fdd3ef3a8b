// Self-checking: post a note to ourselves through /proc/1/note, take it in
// a handler that dumps what it was given, clobbers every general register
// and flag, and continues with noted(NCONT). Back in _main every register,
// flag and XMM0 must be as they were at the INT, and SSE must work again. Output (stdout): the Ureg (76 bytes),
// the message buffer (128 bytes), then 4 words: the handler's ESP at entry
// and the three words there (fake pc, Ureg*, msg).
#include "lib.s"

DATA	path<>+0(SB)/8, $"/proc/1/"
DATA	path<>+8(SB)/8, $"note\x00\x00\x00\x00"
GLOBL	path<>(SB), $16
DATA	msg<>+0(SB)/8, $"hello\x00\x00\x00"
GLOBL	msg<>(SB), $8
GLOBL	words<>(SB), $16
DATA	failbx<>+0(SB)/8, $"fail: re"
DATA	failbx<>+8(SB)/8, $"gisters\x00"
GLOBL	failbx<>(SB), $16
DATA	failx<>+0(SB)/8, $"fail: xm"
DATA	failx<>+8(SB)/8, $"m0\x00\x00\x00\x00\x00\x00"
GLOBL	failx<>(SB), $16
DATA	failc<>+0(SB)/8, $"fail: fl"
DATA	failc<>+8(SB)/8, $"ags\x00\x00\x00\x00\x00"
GLOBL	failc<>(SB), $16

TEXT _main(SB), 7, $32
	MOVL	$handler(SB), AX
	MOVL	AX, 0(SP)
	CALL	runtime·notify(SB)
	MOVL	$path<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$1, 4(SP)
	CALL	runtime·open(SB)
	MOVL	AX, 0(SP)
	MOVL	$msg<>(SB), AX
	MOVL	AX, 4(SP)
	MOVL	$5, 8(SP)
	MOVL	$-1, 12(SP)
	MOVL	$-1, 16(SP)
	// Known values everywhere the handler will clobber.
	MOVL	$0x7f00ff01, AX
	MOVL	AX, X0
	MOVL	$0x11111111, BX
	MOVL	$0x22222222, CX
	MOVL	$0x33333333, DX
	MOVL	$0x44444444, SI
	MOVL	$0x55555555, DI
	MOVL	$0x66666666, BP
	STC
	CALL	runtime·pwrite(SB)
	CHECK(JCS, $failc<>(SB))
	CMPL	BX, $0x11111111
	CHECK(JEQ, $failbx<>(SB))
	CMPL	CX, $0x22222222
	CHECK(JEQ, $failbx<>(SB))
	CMPL	DX, $0x33333333
	CHECK(JEQ, $failbx<>(SB))
	CMPL	SI, $0x44444444
	CHECK(JEQ, $failbx<>(SB))
	CMPL	DI, $0x55555555
	CHECK(JEQ, $failbx<>(SB))
	CMPL	BP, $0x66666666
	CHECK(JEQ, $failbx<>(SB))
	CMPL	AX, $5
	CHECK(JEQ, $failbx<>(SB))
	MOVL	X0, AX
	CMPL	AX, $0x7f00ff01
	CHECK(JEQ, $failx<>(SB))
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
	RET

// handler(Ureg *u, char *msg)
TEXT handler(SB), 7, $32
	LEAL	32(SP), AX
	MOVL	AX, words<>+0(SB)
	MOVL	32(SP), AX
	MOVL	AX, words<>+4(SB)
	MOVL	36(SP), AX
	MOVL	AX, words<>+8(SB)
	MOVL	40(SP), AX
	MOVL	AX, words<>+12(SB)
	MOVL	36(SP), AX
	WRITE($1, AX, $76)
	MOVL	40(SP), AX
	WRITE($1, AX, $128)
	WRITE($1, $words<>(SB), $16)
	// Clobber every general register and flag the interrupted code had
	// (not XMM0: any x87/MMX/SSE instruction here would be fatal, as on
	// Plan 9; notes.s 'f' tests that).
	MOVL	$0xdeadbeef, AX
	MOVL	AX, BX
	MOVL	AX, CX
	MOVL	AX, DX
	MOVL	AX, SI
	MOVL	AX, DI
	MOVL	AX, BP
	CLC
	MOVL	$0, 0(SP)
	CALL	runtime·noted(SB)
	RET
