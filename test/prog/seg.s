// segattach(2) and friends, chosen by argv[1][0]:
//   s  a "shared" segment attached below the stack is shared with an rfork
//      child (no RFMEM) and a "memory" one is not: the child stores 7 in
//      both, the parent then reads 7 and 0 ("shared 7 memory 0");
//      segfree zeroes the shared page again ("freed 0")
//   e  errors: an unknown class and an overlap ("-bad arg in system call",
//      "-segments overlap"), then segdetach of the stack ("-bad arg …")
//   d  segdetach, then a load from the old address: the fault kills
//   x  attach a "shared" segment at 0x30000000 and one with SG_CEXEC at
//      0x30001000, store 7 and 5 in them, exec /seg.out with argv[1] "y"
//   y  (after x's exec) print the word at 0x30000000 ("kept 7"), then
//      load from 0x30001000: SG_CEXEC dropped it, the fault kills
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
DATA	self<>+0(SB)/8, $"/seg.out"
DATA	self<>+8(SB)/4, $"\x00\x00\x00\x00"
GLOBL	self<>(SB), $12
DATA	argy<>+0(SB)/4, $"y\x00\x00\x00"
GLOBL	argy<>(SB), $4
DATA	mkept<>+0(SB)/8, $"kept \x00\x00\x00"
GLOBL	mkept<>(SB), $8
GLOBL	xargv<>(SB), $12
GLOBL	shva<>(SB), $4
GLOBL	memva<>(SB), $4

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
	CMPL	AX, $'x'
	JEQ	execx
	CMPL	AX, $'y'
	JEQ	execy
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

#define SEGVA 0x30000000
execx:
	CALL4(segattach, $0, $shared<>(SB), $SEGVA, $4096)
	MOVL	$SEGVA, BX
	MOVL	$7, 0(BX)
	CALL4(segattach, $0x40, $shared<>(SB), $(SEGVA+4096), $4096)	// SG_CEXEC
	MOVL	$5, 4096(BX)
	MOVL	$self<>(SB), xargv<>+0(SB)
	MOVL	$argy<>(SB), xargv<>+4(SB)
	CALL2(exec, $self<>(SB), $xargv<>(SB))
	CALL	bad(SB)
	CALL1(runtime·exits, $0)
	RET

execy:
	CALL1(print, $mkept<>(SB))
	MOVL	$SEGVA, BX
	MOVL	0(BX), AX
	CALL	printd(SB)
	CALL1(print, $nl<>(SB))
	MOVL	$SEGVA, BX
	MOVL	4096(BX), AX
	CALL1(runtime·exits, $0)
	RET
