#include "../../asm/sys_plan9_386.s"
TEXT _main(SB),7,$24
	MOVL	$112, 0(SP)
	CALL	runtime·rfork(SB)
	CMPL	AX, $0
	JEQ	child
	MOVL	$200, 0(SP)
	CALL	runtime·sleep(SB)
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
child:
	MOVL	$0, 0(SP)
	CALL	runtime·sleep(SB)
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
