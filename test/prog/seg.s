// segattach(2) and friends, chosen by argv[1][0]:
//   s  a "shared" segment attached below the stack is shared with an rfork
//      child (no RFMEM) and a "memory" one is not: the child stores 7 in
//      both, the parent then reads 7 and 0 ("shared 7 memory 0");
//      segfree zeroes the shared page again ("freed 0")
//   e  errors: an unknown class and an overlap ("-bad arg in system call",
//      "-segments overlap"), then segdetach of the stack ("-bad arg …")
//   d  segdetach, then a load from the old address: the fault kills
#include "lib.s"

DATA	shared<>+0(SB)/8, $"shared\x00\x00"
GLOBL	shared<>(SB), $8
DATA	memory<>+0(SB)/8, $"memory\x00\x00"
GLOBL	memory<>(SB), $8
DATA	bogus<>+0(SB)/8, $"bogus\x00\x00\x00"
GLOBL	bogus<>(SB), $8
DATA	msh<>+0(SB)/8, $"shared \x00"
GLOBL	msh<>(SB), $8
DATA	mmem<>+0(SB)/8, $" memory "
DATA	mmem<>+8(SB)/4, $"\x00\x00\x00\x00"
GLOBL	mmem<>(SB), $12
DATA	mfree<>+0(SB)/8, $"\nfreed \x00"
GLOBL	mfree<>(SB), $8
DATA	minus<>+0(SB)/4, $"-\x00\x00\x00"
GLOBL	minus<>(SB), $4
GLOBL	shva<>(SB), $4
GLOBL	memva<>(SB), $4
GLOBL	wbuf<>(SB), $64

// bad(): print "-", the error and a newline.
TEXT bad(SB), 7, $8
	CALL1(print, $minus<>(SB))
	CALL	printerr(SB)
	RET

TEXT _main(SB), 7, $24
	MOVL	32(SP), AX	// argv[1]
	MOVBLZX	0(AX), AX
	CMPL	AX, $'e'
	JEQ	errors
	CMPL	AX, $'d'
	JEQ	detach
	// s
	CALL4(segattach, $0, $shared<>(SB), $0, $4096)
	MOVL	AX, shva<>(SB)
	CALL4(segattach, $0, $memory<>(SB), $0, $4096)
	MOVL	AX, memva<>(SB)
	CALL1(runtime·rfork, $0x10)	// RFPROC: copies, but "shared" is shared
	CMPL	AX, $0
	JNE	parent
	MOVL	shva<>(SB), BX
	MOVL	$7, 0(BX)
	MOVL	memva<>(SB), BX
	MOVL	$7, 0(BX)
	CALL1(runtime·exits, $0)
parent:
	CALL2(runtime·await, $wbuf<>(SB), $64)
	CALL1(print, $msh<>(SB))
	MOVL	shva<>(SB), BX
	MOVL	0(BX), AX
	CALL	printd(SB)
	CALL1(print, $mmem<>(SB))
	MOVL	memva<>(SB), BX
	MOVL	0(BX), AX
	CALL	printd(SB)
	CALL1(print, $mfree<>(SB))
	MOVL	shva<>(SB), BX
	CALL2(segfree, BX, $4096)
	MOVL	shva<>(SB), BX
	MOVL	0(BX), AX
	CALL	printd(SB)
	CALL1(print, $nl<>(SB))
	CALL1(runtime·exits, $0)
	RET

errors:
	CALL4(segattach, $0, $bogus<>(SB), $0, $4096)
	CALL	bad(SB)
	// over the data segment
	CALL4(segattach, $0, $shared<>(SB), $shared<>(SB), $4096)
	CALL	bad(SB)
	LEAL	0(SP), AX
	CALL1(segdetach, AX)
	CALL	bad(SB)
	CALL1(runtime·exits, $0)
	RET

detach:
	CALL4(segattach, $0, $shared<>(SB), $0, $4096)
	MOVL	AX, shva<>(SB)
	MOVL	$5, 0(AX)
	MOVL	shva<>(SB), BX
	CALL1(segdetach, BX)
	MOVL	shva<>(SB), BX
	MOVL	0(BX), AX
	CALL1(runtime·exits, $0)
	RET
