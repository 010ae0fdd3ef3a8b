// Containment cases, chosen by argv[1][0]:
//   b  segdetach the bss, then brk_: the call fails with 'bad arg in
//      system call' (9front ibrk), printed from the stack: "-bad arg …"
//   n  open a path of 9000 'a's (mapped, NUL-terminated): an error
//      string, not a note; then one of 70000: "-name too long"
//   k  an rfork child calls sleep (which a test makes throw); the parent
//      prints the child's wait message
#include "lib.s"

DATA	minus<>+0(SB)/4, $"-\x00\x00\x00"
GLOBL	minus<>(SB), $4
GLOBL	lbuf<>(SB), $70016

TEXT _main(SB), 7, $160
	MOVL	168(SP), AX	// argv[1]
	MOVBLZX	0(AX), AX
	CMPL	AX, $'b'
	JEQ	brk
	CMPL	AX, $'n'
	JEQ	names
	CMPL	AX, $'k'
	JEQ	kid
	CALL1(runtime·exits, $0)

brk:
	CALL1(segdetach, $lbuf<>+8192(SB))	// past the data segment's last page
	CALL1(runtime·brk_, $0x00800000)
	CMPL	AX, $-1
	JNE	2(PC)
	CALL	bad(SB)
	CALL1(runtime·exits, $0)

kid:
	CALL1(runtime·rfork, $0x14)	// RFPROC|RFFDG
	CMPL	AX, $0
	JNE	parent
	CALL1(runtime·sleep, $1)
	CALL1(runtime·exits, $0)
parent:
	LEAL	20(SP), AX
	CALL2(runtime·await, AX, $127)
	LEAL	20(SP), BX
	MOVB	$0, 0(BX)(AX*1)
	CALL1(print, BX)
	CALL1(print, $nl<>(SB))
	CALL1(runtime·exits, $0)

names:
	MOVL	$9000, BX
	CALL	longname(SB)
	MOVL	$70000, BX
	CALL	longname(SB)
	CALL1(runtime·exits, $0)

// longname(BX): open a path of BX 'a's; print its error.
TEXT longname(SB), 7, $24
	MOVL	$lbuf<>(SB), DI
	MOVL	$0, CX
fill:
	MOVB	$'a', 0(DI)(CX*1)
	INCL	CX
	CMPL	CX, BX
	JLT	fill
	MOVB	$0, 0(DI)(CX*1)
	CALL2(runtime·open, $lbuf<>(SB), $0)
	CMPL	AX, $-1
	JNE	2(PC)
	CALL	bad(SB)
	RET

// bad(): "-", the error string (through a stack buffer: the bss may be gone), a newline.
TEXT bad(SB), 7, $148
	CALL1(print, $minus<>(SB))
	LEAL	20(SP), AX
	CALL2(runtime·errstr, AX, $128)
	LEAL	20(SP), AX
	CALL1(print, AX)
	CALL1(print, $nl<>(SB))
	RET

