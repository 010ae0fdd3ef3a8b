// /proc/N/notefpregs (9front): the FPU state notify saved, the interrupted
// code's, readable and writable only while a note handler runs. XMM1 holds
// 0x1234 when a note comes; the handler (which must not touch the FPU)
// prints XMM1's low word from notefpregs (FXSAVE: XMM1 at 176), writes
// 0x9999 there and continues; back in _main XMM1 is what noted restored.
// Outside the handler a read fails.
#include "lib.s"

TEXT _main(SB), 7, $32
	CALL1(runtime·notify, $handler(SB))
	CALL2(runtime·open, $fppath<>(SB), $2)
	MOVL	AX, fd<>(SB)
	PREAD(AX, $buf<>(SB), $512, $0)
	CMPL	AX, $-1
	CHECK(JEQ, $failread<>(SB))
	CALL	printerr(SB)
	MOVL	$0x1234, AX
	MOVL	AX, X1
	CALL2(runtime·open, $notepath<>(SB), $1)
	WRITE(AX, $msg<>(SB), $4)
	MOVL	X1, AX
	CALL1(hexw, AX)
	CALL1(runtime·exits, $0)

// handler: print notefpregs' XMM1 word, write 0x9999 there, continue.
TEXT handler(SB), 7, $24
	MOVL	fd<>(SB), SI
	PREAD(SI, $buf<>(SB), $512, $0)
	CMPL	AX, $512
	CHECK(JEQ, $failread<>(SB))
	MOVL	buf<>+176(SB), AX
	CALL1(hexw, AX)
	MOVL	$0x9999, buf<>+176(SB)
	MOVL	fd<>(SB), SI
	PWRITE(SI, $buf<>+176(SB), $4, $176)
	CALL1(runtime·noted, $0)
	RET

// hexw(v): print v's low 16 bits as 4 hex digits and a newline.
TEXT hexw(SB), 7, $8
	MOVL	12(SP), AX
	MOVL	$4, CX
hloop:
	MOVL	AX, BX
	ANDL	$15, BX
	MOVB	digits<>(SB)(BX*1), BL
	MOVB	BL, hbuf<>-1(SB)(CX*1)
	SHRL	$4, AX
	DECL	CX
	JNE	hloop
	CALL1(print, $hbuf<>(SB))
	RET

GLOBL	fd<>(SB), $4
GLOBL	buf<>(SB), $512
DATA	fppath<>+0(SB)/8, $"/proc/1/"
DATA	fppath<>+8(SB)/8, $"notefpre"
DATA	fppath<>+16(SB)/4, $"gs\x00\x00"
GLOBL	fppath<>(SB), $20
DATA	notepath<>+0(SB)/8, $"/proc/1/"
DATA	notepath<>+8(SB)/8, $"note\x00\x00\x00\x00"
GLOBL	notepath<>(SB), $16
DATA	msg<>+0(SB)/4, $"hey\x00"
GLOBL	msg<>(SB), $4
DATA	hbuf<>+4(SB)/4, $"\n\x00\x00\x00"
GLOBL	hbuf<>(SB), $8
DATA	digits<>+0(SB)/8, $"01234567"
DATA	digits<>+8(SB)/8, $"89abcdef"
GLOBL	digits<>(SB), $16
DATA	failread<>+0(SB)/8, $"fail: re"
DATA	failread<>+8(SB)/4, $"ad\x00\x00"
GLOBL	failread<>(SB), $12
