// Program B: the main M starts one worker M, prints two lines at 100 ms,
// and 50 ms later calls exit(3), long before A is done.

#define WORKPERIOD	70

#include "../prog/lib.s"

TEXT main·main(SB),7,$8
	MOVL	$demo·worker(SB), AX
	MOVL	AX, 0(SP)
	CALL	runtime·newm(SB)
	MOVL	$1, 4(SP)
b_loop:
	MOVL	$100, 0(SP)
	CALL	runtime·sleep(SB)
	MOVL	$tickmsg<>(SB), AX
	MOVL	AX, 0(SP)
	CALL	demo·line(SB)
	INCL	4(SP)
	CMPL	4(SP), $2
	JLE	b_loop
	MOVL	$50, 0(SP)
	CALL	runtime·sleep(SB)
	MOVL	$exitmsg<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$-1, 4(SP)
	CALL	demo·line(SB)
	MOVL	$3, 0(SP)
	CALL	runtime·exit(SB)
	RET

DATA	progname<>+0(SB)/4, $"B\x00\x00\x00"
GLOBL	progname<>(SB), $4
DATA	exitmsg<>+0(SB)/8, $"exit(3)\x00"
GLOBL	exitmsg<>(SB), $8
