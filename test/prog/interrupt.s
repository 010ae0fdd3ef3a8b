// Handles notes once its handler is installed: prints a, installs the
// handler, prints b and c, and exits "interrupted" if a note came, else "".
// Before the handler exists, a note kills it (exit string: the note).
#include "lib.s"
GLOBL	flag<>(SB), $4
DATA	a<>+0(SB)/4, $"a\n\x00\x00"
GLOBL	a<>(SB), $4
DATA	b<>+0(SB)/4, $"b\n\x00\x00"
GLOBL	b<>(SB), $4
DATA	c<>+0(SB)/4, $"c\n\x00\x00"
GLOBL	c<>(SB), $4
DATA	intr<>+0(SB)/8, $"interrup"
DATA	intr<>+8(SB)/4, $"ted\x00"
GLOBL	intr<>(SB), $12

TEXT put<>(SB), 7, $20
	MOVL	s+0(FP), AX
	WRITE($1, AX, $2)
	RET

TEXT _main(SB), 7, $4
	MOVL	$a<>(SB), AX
	MOVL	AX, 0(SP)
	CALL	put<>(SB)
	MOVL	$handler(SB), AX
	MOVL	AX, 0(SP)
	CALL	runtime·notify(SB)
	MOVL	$b<>(SB), AX
	MOVL	AX, 0(SP)
	CALL	put<>(SB)
	MOVL	$c<>(SB), AX
	MOVL	AX, 0(SP)
	CALL	put<>(SB)
	MOVL	flag<>(SB), AX
	CMPL	AX, $0
	JEQ	clean
	MOVL	$intr<>(SB), AX
	MOVL	AX, 0(SP)
	CALL	runtime·exits(SB)
clean:
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
	RET

TEXT handler(SB), 7, $4
	MOVL	$1, flag<>(SB)
	MOVL	$0, 0(SP)
	CALL	runtime·noted(SB)
	RET
