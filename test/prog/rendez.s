// rendezvous(2), chosen by argv[1][0]:
//   x  parent and an rfork child meet under tag 7, each leaving a value:
//      the child (arriving second or first) prints the parent's 100 as "c100",
//      the parent prints the child's 200 as "p200" after the child exited
//   i  a note interrupts a waiting rendezvous: it answers ~0 (-1), no error
//      string ("-1 ''"): the child posts "hi" to the waiting parent
//   r  rfork(RFREND) puts the child in a new group: its rendezvous with
//      tag 7 cannot meet the waiting parent's; an alarm ends it ("alone"),
//      then the child's note ends the parent's ("-1 ''")
#include "lib.s"

DATA	c100<>+0(SB)/8, $"c100\n\x00\x00\x00"
GLOBL	c100<>(SB), $8
DATA	p200<>+0(SB)/8, $"p200\n\x00\x00\x00"
GLOBL	p200<>(SB), $8
DATA	bad<>+0(SB)/4, $"?\n\x00\x00"
GLOBL	bad<>(SB), $4
DATA	m1<>+0(SB)/8, $"-1 '\x00\x00\x00\x00"
GLOBL	m1<>(SB), $8
DATA	q<>+0(SB)/4, $"'\n\x00\x00"
GLOBL	q<>(SB), $4
DATA	ppath<>+0(SB)/8, $"/proc/1/"
DATA	ppath<>+8(SB)/8, $"note\x00\x00\x00\x00"
GLOBL	ppath<>(SB), $16
DATA	hi<>+0(SB)/4, $"hi\x00\x00"
GLOBL	hi<>(SB), $4
GLOBL	ebuf<>(SB), $128
DATA	alone<>+0(SB)/8, $"alone\n\x00\x00"
GLOBL	alone<>(SB), $8

// A handler that continues: the interrupted call's own result tells the story.
TEXT handler(SB), 7, $8
	CALL1(runtime·noted, $0)
	RET

TEXT _main(SB), 7, $24
	MOVL	32(SP), AX	// argv[1]
	MOVBLZX	0(AX), AX
	MOVL	AX, DI
	CALL1(runtime·notify, $handler(SB))
	CMPL	DI, $'x'
	JEQ	exchange
	// i and r: the child (after a sleep) posts "hi" to the parent, which waits.
	MOVL	$0x10, AX	// RFPROC
	CMPL	DI, $'r'
	JNE	fork1
	ORL	$0x2000, AX	// RFREND
fork1:
	CALL1(runtime·rfork, AX)
	CMPL	AX, $0
	JNE	waiter
	CMPL	DI, $'r'
	JNE	poster
	CALL1(alarm, $100)
	CALL2(rendezvous, $7, $300)
	CMPL	AX, $-1
	JNE	wrong
	CALL1(print, $alone<>(SB))
poster:
	CALL1(runtime·sleep, $50)
	CALL2(runtime·open, $ppath<>(SB), $1)
	WRITE(AX, $hi<>(SB), $2)
	CALL1(runtime·exits, $0)
	RET
waiter:
	CALL2(rendezvous, $7, $100)
	CMPL	AX, $-1
	JNE	wrong
	CALL2(runtime·errstr, $ebuf<>(SB), $128)
	CALL1(print, $m1<>(SB))
	CALL1(print, $ebuf<>(SB))
	CALL1(print, $q<>(SB))
	CALL1(runtime·exits, $0)
	RET

exchange:
	CALL1(runtime·rfork, $0x10)	// RFPROC
	CMPL	AX, $0
	JNE	parent
	CALL2(rendezvous, $7, $200)
	CMPL	AX, $100
	JNE	wrong
	CALL1(print, $c100<>(SB))
	CALL1(runtime·exits, $0)
	RET
parent:
	CALL1(runtime·sleep, $20)
	CALL2(rendezvous, $7, $100)
	MOVL	AX, SI
	CALL2(runtime·await, $ebuf<>(SB), $128)	// let the child print first
	CMPL	SI, $200
	JNE	wrong
	CALL1(print, $p200<>(SB))
	CALL1(runtime·exits, $0)
	RET
wrong:
	CALL1(print, $bad<>(SB))
	CALL1(runtime·exits, $bad<>(SB))
	RET
