// cat FILE: copy FILE to fd 1 (error: '-' and the errstr).
// cat -c FILE: create FILE (0664) and write "new\n" into it.
// For the tree tests: what a name space makes of a name.
#include "lib.s"

GLOBL	buf<>(SB), $512
GLOBL	fd<>(SB), $4
DATA	minus<>+0(SB)/4, $"-\x00\x00\x00"
GLOBL	minus<>(SB), $4
DATA	newtxt<>+0(SB)/4, $"new\n"
GLOBL	newtxt<>(SB), $4

TEXT _main(SB), 7, $24
	MOVL	32(SP), AX	// argv[1]
	MOVBLZX	0(AX), BX
	CMPL	BX, $'-'
	JEQ	mk
	CALL2(runtime·open, AX, $0)
	CMPL	AX, $0
	JLT	bad
	MOVL	AX, fd<>(SB)
loop:
	MOVL	fd<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$buf<>(SB), 4(SP)
	MOVL	$512, 8(SP)
	MOVL	$-1, 12(SP)
	MOVL	$-1, 16(SP)
	CALL	runtime·pread(SB)
	CMPL	AX, $0
	JLE	done
	WRITE($1, $buf<>(SB), AX)
	JMP	loop
mk:
	MOVL	36(SP), AX	// argv[2]
	CALL3(create, AX, $1, $0664)
	CMPL	AX, $0
	JLT	bad
	WRITE(AX, $newtxt<>(SB), $4)
done:
	CALL1(runtime·exits, $0)
bad:
	CALL1(print, $minus<>(SB))
	CALL	printerr(SB)
	CALL1(runtime·exits, $0)
