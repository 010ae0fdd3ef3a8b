// REP MOVSL running past the end of bss: 2048 elements from buf to
// buf+4096, where the image's memory ends a page or less after buf's 8 KiB.
// The kernel kills the program with the note of the first store that
// leaves mapped memory, at the REP instruction.
TEXT _main(SB), 7, $0
	CLD
	LEAL	buf(SB), SI
	LEAL	buf+4096(SB), DI
	MOVL	$2048, CX
	REP;	MOVSL
	MOVL	$0, 4(SP)
	MOVL	$8, AX
	INT	$64
	RET

GLOBL	buf(SB), $8192
