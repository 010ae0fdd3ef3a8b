// rfork: an RFMEM child shares data and bss but has its own copy of the
// stack, and starts with every register (XMM0 included) as at the INT;
// a child without RFMEM gets copies of data and bss. The parent prints
// each await() record on stdout and exits "" when everything held.
#include "lib.s"

GLOBL	shared<>(SB), $4
DATA	e1<>+0(SB)/8, $"rfmem: n"
DATA	e1<>+8(SB)/8, $"ot share"
DATA	e1<>+16(SB)/8, $"d\x00\x00\x00\x00\x00\x00\x00"
GLOBL	e1<>(SB), $24
DATA	e2<>+0(SB)/8, $"stack sh"
DATA	e2<>+8(SB)/8, $"ared\x00\x00\x00\x00"
GLOBL	e2<>(SB), $16
DATA	e3<>+0(SB)/8, $"data not"
DATA	e3<>+8(SB)/8, $" copied\x00"
GLOBL	e3<>(SB), $16
DATA	e4<>+0(SB)/8, $"child re"
DATA	e4<>+8(SB)/8, $"gs\x00\x00\x00\x00\x00\x00"
GLOBL	e4<>(SB), $16

TEXT _main(SB), 7, $24
	MOVL	$0x5a5a1234, AX
	MOVL	AX, X0
	MOVL	$0x13572468, BX
	MOVL	$7, 20(SP)
	MOVL	$0x30, 0(SP)		// RFPROC|RFMEM
	CALL	runtime·rfork(SB)
	CMPL	AX, $0
	JEQ	child
	CALL	wait(SB)
	CMPL	shared<>(SB), $42
	JNE	notshared
	CMPL	20(SP), $7
	JNE	stackshared
	MOVL	$0x10, 0(SP)		// RFPROC: copies
	CALL	runtime·rfork(SB)
	CMPL	AX, $0
	JEQ	child2
	CALL	wait(SB)
	CMPL	shared<>(SB), $42
	JNE	notcopied
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
notshared:
	MOVL	$e1<>(SB), AX
	JMP	die
stackshared:
	MOVL	$e2<>(SB), AX
	JMP	die
notcopied:
	MOVL	$e3<>(SB), AX
die:
	MOVL	AX, 0(SP)
	CALL	runtime·exits(SB)
child:
	CMPL	BX, $0x13572468
	JNE	badregs
	MOVL	X0, CX
	CMPL	CX, $0x5a5a1234
	JNE	badregs
	MOVL	$42, shared<>(SB)
	MOVL	$8, 20(SP)
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
badregs:
	MOVL	$e4<>(SB), AX
	JMP	die
child2:
	MOVL	$99, shared<>(SB)
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
