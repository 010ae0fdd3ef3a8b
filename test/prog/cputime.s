// CPU time accounting: a child yields 300 times (sleep(0)) and exits; the
// parent prints the child's wait record, then its own /dev/cputime (user,
// sys, real and the children's three, in ms).
#include "lib.s"
TEXT _main(SB), 7, $24
	CALL1(runtime·rfork, $0x14)	// RFPROC|RFFDG
	CMPL	AX, $0
	JEQ	child
	CALL	wait(SB)
	CALL2(runtime·open, $cputime<>(SB), $0)
	PREAD(AX, $tbuf<>(SB), $72, $0)
	MOVL	$tbuf<>(SB), CX
	MOVB	$0, 0(CX)(AX*1)
	CALL1(print, $tbuf<>(SB))
	CALL1(print, $nl<>(SB))
	CALL1(runtime·exits, $0)
child:
	MOVL	$300, BX
yield:
	CALL1(runtime·sleep, $0)
	DECL	BX
	JNE	yield
	CALL1(runtime·exits, $0)

DATA	cputime<>+0(SB)/8, $"/dev/cpu"
DATA	cputime<>+8(SB)/8, $"time\x00\x00\x00\x00"
GLOBL	cputime<>(SB), $16
GLOBL	tbuf<>(SB), $80
