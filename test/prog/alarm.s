// alarm(2), chosen by argv[1][0]:
//   h  with a handler: alarm(500) then alarm(50) answers what was left of
//      the first (printed as "left>=400" or "left<400"); sleep(5000) is cut
//      short by the note ("-interrupted"); the handler prints the note and
//      continues; alarm(0) then answers 0 ("cleared 0").
//   n  no handler: alarm(20), then sleep: the note kills (exit string "alarm")
//   c  alarm(30) then alarm(0): the cleared alarm never comes (sleep 100, exit "")
#include "lib.s"

DATA	left1<>+0(SB)/8, $"left>=40"
DATA	left1<>+8(SB)/4, $"0\n\x00\x00"
GLOBL	left1<>(SB), $12
DATA	left2<>+0(SB)/8, $"left<400"
DATA	left2<>+8(SB)/4, $"\n\x00\x00\x00"
GLOBL	left2<>(SB), $12
DATA	minus<>+0(SB)/4, $"-\x00\x00\x00"
GLOBL	minus<>(SB), $4
DATA	cleared<>+0(SB)/8, $"cleared "
DATA	cleared<>+8(SB)/4, $"\x00\x00\x00\x00"
GLOBL	cleared<>(SB), $12

// handler(ureg, note): print the note and a newline, noted(NCONT).
TEXT handler(SB), 7, $8
	MOVL	16(SP), AX
	CALL1(print, AX)
	CALL1(print, $nl<>(SB))
	CALL1(runtime·noted, $0)
	RET

TEXT _main(SB), 7, $24
	MOVL	32(SP), AX	// argv[1]
	MOVBLZX	0(AX), AX
	CMPL	AX, $'n'
	JEQ	nohandler
	CMPL	AX, $'c'
	JEQ	clear
	CALL1(runtime·notify, $handler(SB))
	CALL1(alarm, $500)
	CALL1(alarm, $50)
	CMPL	AX, $400
	JLT	less
	CALL1(print, $left1<>(SB))
	JMP	slept
less:
	CALL1(print, $left2<>(SB))
slept:
	CALL1(runtime·sleep, $5000)
	CMPL	AX, $0
	JEQ	done
	CALL1(print, $minus<>(SB))
	CALL	printerr(SB)
done:
	CALL1(alarm, $0)
	MOVL	AX, BX
	CALL1(print, $cleared<>(SB))
	MOVL	BX, AX
	CALL	printd(SB)
	CALL1(print, $nl<>(SB))
	CALL1(runtime·exits, $0)
	RET

nohandler:
	CALL1(alarm, $20)
	CALL1(runtime·sleep, $5000)
	CALL1(runtime·exits, $0)
	RET

clear:
	CALL1(alarm, $30)
	CALL1(alarm, $0)
	CALL1(runtime·sleep, $100)
	CALL1(runtime·exits, $0)
	RET
