// REP MOVSL of 4 KiB (1024 elements) from one bss buffer to another,
// 1e6 times, then exits(nil). The bench divides the run time (less a
// process's start and end) by the copy count.
TEXT _main(SB), 7, $0
	MOVL	$1000000, DX
	CLD
loop:
	LEAL	src(SB), SI
	LEAL	dst(SB), DI
	MOVL	$1024, CX
	REP;	MOVSL
	SUBL	$1, DX
	JNE	loop
	MOVL	$0, 4(SP)
	MOVL	$8, AX	// exits(nil)
	INT	$64
	RET

GLOBL	src(SB), $4096
GLOBL	dst(SB), $4096
