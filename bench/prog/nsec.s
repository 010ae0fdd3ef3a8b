// 1e6 nsec calls (number 53), each storing the time through its result
// pointer as Go's nanotime does on Plan 9 up to 1.23, then exits(nil).
// The bench divides the run time by the call count.
#include "bench.h"
TEXT _main(SB), 7, $16
	MOVL	$1000000, BX
loop:
	LEAL	8(SP), AX
	MOVL	AX, 4(SP)	// the result pointer, the call's argument
	MOVL	$53, AX
	INT	$64
	DECL	BX
	JNE	loop
	EXITS
