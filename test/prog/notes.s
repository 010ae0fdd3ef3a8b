// Note behaviours, chosen by argv[1][0]:
//   q  the queue: a handler posts 6 notes to itself; 5 queue, the 6th fails
//   m  noted(NCONT) when not notified
//   d  a handler that answers noted(NDFLT)
//   n  a note with no handler
//   g  /proc/1/notepg reaches the group but not the writer nor another group
//   k  a child that spins without system calls still lets the parent run;
//      the parent kills it through /proc/2/ctl
//   s  noted(NSAVE) continues at a pc the handler chose, on the handler's
//      frame; a later noted(NRSTR) restores the interrupted context
//   p  a child that posts notes to itself without pause (each one stops the
//      CPU for delivery and noted) still lets the parent run its ticks;
//      the parent kills it through /proc/2/ctl
//   f  FPillegal: a first note's handler returns at once, and SSE works
//      after it ("fp ok"); a second one's handler executes an SSE move,
//      which kills the process ('sys: floating point in note handler')
//   t  three HLTs, each a #GP: the handler prints each note and continues
//      past the HLT, so the program ends ("done")
#include "lib.s"

DATA	notepath<>+0(SB)/8, $"/proc/1/"
DATA	notepath<>+8(SB)/8, $"note\x00\x00\x00\x00"
GLOBL	notepath<>(SB), $16
DATA	pgpath<>+0(SB)/8, $"/proc/1/"
DATA	pgpath<>+8(SB)/8, $"notepg\x00\x00"
GLOBL	pgpath<>(SB), $16
DATA	ctlpath<>+0(SB)/8, $"/proc/2/"
DATA	ctlpath<>+8(SB)/8, $"ctl\x00\x00\x00\x00\x00"
GLOBL	ctlpath<>(SB), $16
DATA	note2<>+0(SB)/8, $"/proc/2/"
DATA	note2<>+8(SB)/8, $"note\x00\x00\x00\x00"
GLOBL	note2<>(SB), $16
DATA	boom<>+0(SB)/8, $"boom\x00\x00\x00\x00"
GLOBL	boom<>(SB), $8
DATA	intr<>+0(SB)/16, $"interrupt\x00\x00\x00\x00\x00\x00\x00"
GLOBL	intr<>(SB), $16
DATA	kill<>+0(SB)/8, $"kill\x00\x00\x00\x00"
GLOBL	kill<>(SB), $8
DATA	bok<>+0(SB)/8, $"b-ok\x00\x00\x00\x00"
GLOBL	bok<>(SB), $8
DATA	plus<>+0(SB)/4, $"+\x00\x00\x00"
GLOBL	plus<>(SB), $4
DATA	minus<>+0(SB)/4, $"-\x00\x00\x00"
GLOBL	minus<>(SB), $4
DATA	hh<>+0(SB)/4, $"h\x00\x00\x00"
GLOBL	hh<>(SB), $4
DATA	tick<>+0(SB)/8, $"tick\n\x00\x00\x00"
GLOBL	tick<>(SB), $8
GLOBL	count<>(SB), $4
GLOBL	savedpc<>(SB), $4
DATA	saved<>+0(SB)/8, $"saved\n\x00\x00"
GLOBL	saved<>(SB), $8
DATA	restored<>+0(SB)/16, $"restored\n\x00\x00\x00\x00\x00\x00\x00"
GLOBL	restored<>(SB), $16
GLOBL	fd<>(SB), $4
DATA	fpok<>+0(SB)/8, $"fp ok\n\x00\x00"
GLOBL	fpok<>(SB), $8
DATA	done<>+0(SB)/8, $"done\n\x00\x00\x00"
GLOBL	done<>(SB), $8

TEXT _main(SB), 7, $24
	MOVL	32(SP), AX	// argv[1]
	MOVBLZX	0(AX), AX
	CMPL	AX, $'q'
	JEQ	queue
	CMPL	AX, $'m'
	JEQ	misuse
	CMPL	AX, $'d'
	JEQ	dflt
	CMPL	AX, $'n'
	JEQ	nohandler
	CMPL	AX, $'g'
	JEQ	notepg
	CMPL	AX, $'k'
	JEQ	spin
	CMPL	AX, $'s'
	JEQ	nsave
	CMPL	AX, $'f'
	JEQ	fpill
	CMPL	AX, $'p'
	JEQ	storm
	CMPL	AX, $'t'
	JEQ	traps
	RET

traps:
	CALL1(runtime·notify, $thandler(SB))
	HLT
	HLT
	HLT
	CALL1(print, $done<>(SB))
	CALL1(runtime·exits, $0)

storm:
	CALL1(runtime·rfork, $0x30)		// RFPROC|RFMEM
	CMPL	AX, $0
	JNE	ticks				// the parent, as in 'k'
stormer:
	CALL1(runtime·notify, $nhandler(SB))
	CALL2(runtime·open, $note2<>(SB), $1)
	MOVL	AX, SI
stormloop:
	WRITE(SI, $boom<>(SB), $4)
	JMP	stormloop

fpill:
	CALL1(runtime·notify, $fhandler(SB))
	CALL2(runtime·open, $notepath<>(SB), $1)
	MOVL	AX, fd<>(SB)
	WRITE(AX, $boom<>(SB), $4)
	MOVL	$7, AX
	MOVL	AX, X1
	MOVL	X1, BX
	CMPL	BX, $7
	JNE	nsavebad
	CALL1(print, $fpok<>(SB))
	MOVL	fd<>(SB), AX
	WRITE(AX, $boom<>(SB), $4)
	CALL1(runtime·exits, $0)

nsave:
	CALL1(runtime·notify, $shandler(SB))
	CALL2(runtime·open, $notepath<>(SB), $1)
	MOVL	$0x1234, BX
	WRITE(AX, $boom<>(SB), $4)
	CMPL	BX, $0x1234
	JNE	nsavebad
	CALL1(print, $restored<>(SB))
	CALL1(runtime·exits, $0)
nsavebad:
	CALL1(runtime·exits, $boom<>(SB))

queue:
	CALL1(runtime·notify, $qhandler(SB))
	CALL2(runtime·open, $notepath<>(SB), $1)
	MOVL	AX, fd<>(SB)
	WRITE(AX, $boom<>(SB), $4)
	CALL1(runtime·exits, $0)

misuse:
	CALL1(runtime·noted, $0)
	CALL1(runtime·exits, $0)

dflt:
	CALL1(runtime·notify, $dhandler(SB))
	// fall through: post a note to ourselves
nohandler:
	CALL2(runtime·open, $notepath<>(SB), $1)
	WRITE(AX, $boom<>(SB), $4)
	CALL1(runtime·exits, $0)

notepg:
	CALL1(runtime·rfork, $0x30)		// RFPROC|RFMEM: same note group
	CMPL	AX, $0
	JEQ	sleeper
	CALL1(runtime·rfork, $0x38)		// RFPROC|RFMEM|RFNOTEG: its own group
	CMPL	AX, $0
	JEQ	other
	CALL1(runtime·sleep, $20)
	CALL2(runtime·open, $pgpath<>(SB), $1)
	WRITE(AX, $intr<>(SB), $9)
	CALL	wait(SB)
	CALL	wait(SB)
	CALL1(runtime·exits, $0)
sleeper:
	CALL1(runtime·sleep, $1000)
	JMP	sleeper
other:
	CALL1(runtime·sleep, $100)
	CALL1(runtime·exits, $bok<>(SB))

spin:
	CALL1(runtime·rfork, $0x30)
	CMPL	AX, $0
	JEQ	spinner
ticks:	// the parent of 'k' and 'p': two ticks, then kill the child (pid 2)
	CALL1(runtime·sleep, $30)
	CALL1(print, $tick<>(SB))
	CALL1(runtime·sleep, $30)
	CALL1(print, $tick<>(SB))
	CALL2(runtime·open, $ctlpath<>(SB), $1)
	WRITE(AX, $kill<>(SB), $4)
	CALL	wait(SB)
	CALL1(runtime·exits, $0)
spinner:
	JMP	spinner

// qhandler(ureg, msg): the first time, post six notes to ourselves and
// print + or - for each write (and the error after a -); every time, h.
TEXT qhandler(SB), 7, $24
	INCL	count<>(SB)
	CMPL	count<>(SB), $1
	JNE	again
	MOVL	$6, BX
post:
	MOVL	fd<>(SB), CX
	WRITE(CX, $boom<>(SB), $4)
	CMPL	AX, $4
	JNE	failed
	CALL1(print, $plus<>(SB))
	DECL	BX
	JNE	post
	JMP	again
failed:
	CALL1(print, $minus<>(SB))
	CALL	printerr(SB)
again:
	CALL1(print, $hh<>(SB))
	CALL1(runtime·noted, $0)
	RET

// shandler(ureg, msg): continue in cont() with noted(NSAVE).
TEXT shandler(SB), 7, $24
	MOVL	28(SP), BX		// ureg
	MOVL	56(BX), AX		// ureg->pc
	MOVL	AX, savedpc<>(SB)
	MOVL	$cont(SB), AX
	MOVL	AX, 56(BX)
	CALL1(runtime·noted, $2)	// NSAVE
	RET

// cont(ureg), entered by NSAVE with (0, ureg) on the stack: put the pc
// back, clobber BX, and let noted(NRSTR) restore everything.
TEXT cont(SB), 7, $24
	CALL1(print, $saved<>(SB))
	MOVL	28(SP), BX
	MOVL	savedpc<>(SB), AX
	MOVL	AX, 56(BX)
	MOVL	$0xdead, BX
	CALL1(runtime·noted, $3)	// NRSTR
	RET

// thandler(ureg, msg): print the note, step past the one-byte HLT, go on.
TEXT thandler(SB), 7, $24
	MOVL	32(SP), AX		// msg
	CALL1(print, AX)
	CALL1(print, $nl<>(SB))
	MOVL	28(SP), BX		// ureg
	INCL	56(BX)			// ureg->pc
	CALL1(runtime·noted, $0)	// NCONT
	RET

// nhandler: continue at once.
TEXT nhandler(SB), 7, $8
	CALL1(runtime·noted, $0)
	RET

// fhandler: the first time, noted(NCONT) at once; then an SSE move.
TEXT fhandler(SB), 7, $8
	INCL	count<>(SB)
	CMPL	count<>(SB), $1
	JEQ	fdone
	MOVL	AX, X0
fdone:
	CALL1(runtime·noted, $0)
	RET

TEXT dhandler(SB), 7, $8
	CALL1(runtime·noted, $1)
	RET
