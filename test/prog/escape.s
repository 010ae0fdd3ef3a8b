// Sandbox escapes, one path operation per run, by argv[1][0]:
//   r PATH        open PATH for reading; print what it holds (up to 64
//                 bytes) or "-" and the error
//   w PATH        create PATH for writing and write "pwned"; print "+" or
//                 "-" and the error
//   d PATH        remove PATH; "+" or "-" and the error
//   b NEW OLD P   bind NEW over OLD (MREPL), then read P as r does
#include "lib.s"

DATA	minus<>+0(SB)/4, $"-\x00\x00\x00"
GLOBL	minus<>(SB), $4
DATA	plus<>+0(SB)/4, $"+\n\x00\x00"
GLOBL	plus<>(SB), $4
DATA	pwned<>+0(SB)/8, $"pwned\x00\x00\x00"
GLOBL	pwned<>(SB), $8
GLOBL	rbuf<>(SB), $80

TEXT _main(SB), 7, $24
	MOVL	32(SP), AX	// argv[1] (argv is on the stack: argc at 24(SP))
	MOVBLZX	0(AX), AX
	MOVL	36(SP), BX	// argv[2]
	CMPL	AX, $'r'
	JEQ	rd
	CMPL	AX, $'w'
	JEQ	wr
	CMPL	AX, $'d'
	JEQ	rm
	CMPL	AX, $'b'
	JEQ	bd
	CALL1(runtime·exits, $0)
rd:
	CALL1(readfile, BX)
	CALL1(runtime·exits, $0)
wr:
	CALL3(create, BX, $1, $0666)
	CMPL	AX, $-1
	JEQ	fail
	WRITE(AX, $pwned<>(SB), $5)
	CMPL	AX, $5
	JNE	fail
	CALL1(print, $plus<>(SB))
	CALL1(runtime·exits, $0)
rm:
	CALL1(remove, BX)
	CMPL	AX, $-1
	JEQ	fail
	CALL1(print, $plus<>(SB))
	CALL1(runtime·exits, $0)
bd:
	MOVL	40(SP), CX	// argv[3]
	CALL3(bind, BX, CX, $0)
	CMPL	AX, $-1
	JEQ	fail
	MOVL	44(SP), BX	// argv[4]
	CALL1(readfile, BX)
	CALL1(runtime·exits, $0)
fail:
	CALL	bad(SB)
	CALL1(runtime·exits, $0)

// readfile(path): print up to 64 bytes of path and a newline, or the error.
TEXT readfile(SB), 7, $24
	MOVL	28(SP), BX
	CALL2(runtime·open, BX, $0)
	CMPL	AX, $-1
	JEQ	rfail
	MOVL	AX, 0(SP)
	MOVL	$rbuf<>(SB), 4(SP)
	MOVL	$64, 8(SP)
	MOVL	$0, 12(SP)
	MOVL	$0, 16(SP)
	CALL	runtime·pread(SB)
	CMPL	AX, $-1
	JEQ	rfail
	MOVL	$rbuf<>(SB), BX
	MOVB	$0, 0(BX)(AX*1)
	CALL1(print, BX)
	CALL1(print, $nl<>(SB))
	RET
rfail:
	CALL	bad(SB)
	RET

// bad(): "-", the error string, a newline.
TEXT bad(SB), 7, $8
	CALL1(print, $minus<>(SB))
	CALL	printerr(SB)
	RET

