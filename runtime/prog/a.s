// Program A: the main M starts two worker Ms, prints NTICKS lines at
// PERIOD ms, then a final line, and returns from main (exit(0)).
// It outlives B.

#define WORKPERIOD	70

#include "../prog/lib.s"

TEXT main·main(SB),7,$8
	MOVL	$demo·worker(SB), AX
	MOVL	AX, 0(SP)
	CALL	runtime·newm(SB)
	MOVL	$demo·worker(SB), AX
	MOVL	AX, 0(SP)
	CALL	runtime·newm(SB)
	MOVL	$1, 4(SP)
a_loop:
	MOVL	$100, 0(SP)
	CALL	runtime·sleep(SB)
	MOVL	$tickmsg<>(SB), AX
	MOVL	AX, 0(SP)
	CALL	demo·line(SB)		// n is already at 4(SP)
	INCL	4(SP)
	CMPL	4(SP), $6
	JLE	a_loop
	MOVL	$donemsg<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$-1, 4(SP)
	CALL	demo·line(SB)
	RET

DATA	progname<>+0(SB)/4, $"A\x00\x00\x00"
GLOBL	progname<>(SB), $4
DATA	donemsg<>+0(SB)/8, $"done, ex"
DATA	donemsg<>+8(SB)/8, $"it(0)\x00\x00\x00"
GLOBL	donemsg<>(SB), $16
