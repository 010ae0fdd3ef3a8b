#include "../../asm/sys_plan9_386.s"
DATA	msg<>+0(SB)/8, $"hello, w"
DATA	msg<>+8(SB)/8, $"orld\n\x00\x00\x00"
GLOBL	msg<>(SB), $16
TEXT _main(SB), 7, $20
	MOVL	$1, 0(SP)
	MOVL	$msg<>(SB), AX
	MOVL	AX, 4(SP)
	MOVL	$12, 8(SP)
	MOVL	$-1, 12(SP)
	MOVL	$-1, 16(SP)
	CALL	runtime·pwrite(SB)
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
	RET
