// Calls whose trace events the trace tests check: a failing open, an open
// and a write, rfork of a child that exits "bye", and await. Standalone,
// without lib.s: the trace tests pin its data addresses (0x2000…).
#include "../../asm/sys_plan9_386.s"
DATA	nofile<>+0(SB)/8, $"/nonexis"
DATA	nofile<>+8(SB)/8, $"tent\x00\x00\x00\x00"
GLOBL	nofile<>(SB), $16
DATA	cons<>+0(SB)/8, $"/dev/con"
DATA	cons<>+8(SB)/8, $"s\x00\x00\x00\x00\x00\x00\x00"
GLOBL	cons<>(SB), $16
DATA	msg<>+0(SB)/8, $"hi\n\x00\x00\x00\x00\x00"
GLOBL	msg<>(SB), $8
DATA	bye<>+0(SB)/8, $"bye\x00\x00\x00\x00\x00"
GLOBL	bye<>(SB), $8
GLOBL	buf<>(SB), $64
TEXT _main(SB), 7, $24
	MOVL	$nofile<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$0, 4(SP)
	CALL	runtime·open(SB)
	MOVL	$cons<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$1, 4(SP)
	CALL	runtime·open(SB)
	MOVL	AX, 0(SP)
	MOVL	$msg<>(SB), AX
	MOVL	AX, 4(SP)
	MOVL	$3, 8(SP)
	MOVL	$-1, 12(SP)
	MOVL	$-1, 16(SP)
	CALL	runtime·pwrite(SB)
	MOVL	$0x14, 0(SP)		// RFPROC|RFFDG
	CALL	runtime·rfork(SB)
	CMPL	AX, $0
	JEQ	child
	MOVL	$buf<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$64, 4(SP)
	CALL	runtime·await(SB)
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
	RET
child:
	MOVL	$bye<>(SB), AX
	MOVL	AX, 0(SP)
	CALL	runtime·exits(SB)
	RET
