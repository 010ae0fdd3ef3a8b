// Three calls deep, then a fault: _main → a ($8) → b ($16) → c ($0), which
// loads from 0. b keeps a word in its frame that looks like a return
// address (a+5, just after a CALL), which a stack scan would take for one;
// the .frame symbols the assembler writes give the exact frames.
#include "lib.s"

TEXT c(SB), 7, $0
	MOVL	$0, BX
	MOVL	0(BX), AX
	RET

TEXT b(SB), 7, $16
	MOVL	$decoy+5(SB), AX
	MOVL	AX, 8(SP)
	CALL	c(SB)
	RET

TEXT decoy(SB), 7, $0
	CALL	c(SB)
	RET

TEXT a(SB), 7, $8
	MOVL	$1, 0(SP)
	CALL	b(SB)
	RET

TEXT _main(SB), 7, $8
	CALL	a(SB)
	CALL1(runtime·exits, $0)
