// 1e6 reads of /dev/bintime (pread of 32 bytes at offset 0: nsec, ticks
// and fasthz come back, 24 bytes), as Go's nanotime does on Plan 9 from
// 1.24, then exits(nil). The bench divides the run time by the count.
#include "bench.h"
DATA	path<>+0(SB)/8, $"/dev/bin"
DATA	path<>+8(SB)/8, $"time\x00\x00\x00\x00"
GLOBL	path<>(SB), $16

TEXT _main(SB), 7, $64
	MOVL	$path<>(SB), AX
	MOVL	AX, 4(SP)
	MOVL	$0, 8(SP)	// OREAD
	MOVL	$14, AX		// open
	INT	$64
	MOVL	AX, SI
	MOVL	$1000000, BX
loop:
	MOVL	SI, 4(SP)	// fd
	LEAL	24(SP), AX
	MOVL	AX, 8(SP)	// buf
	MOVL	$32, 12(SP)	// n
	MOVL	$0, 16(SP)	// offset, a vlong
	MOVL	$0, 20(SP)
	MOVL	$50, AX		// pread
	INT	$64
	DECL	BX
	JNE	loop
	EXITS
