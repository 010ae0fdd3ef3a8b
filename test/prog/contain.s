// Containment cases, chosen by argv[1][0]:
//   b  segdetach the bss, then brk_: the call fails with 'bad arg in
//      system call' (9front ibrk), printed from the stack: "-bad arg …"
//   n  open a path of 9000 'a's (mapped, NUL-terminated): an error
//      string, not a note; then one of 70000: "-name too long"
//   k  an rfork child calls sleep (which a test makes throw); the parent
//      prints the child's wait message
//   m  past --mem: brk_ to 0x30000000 and a segattach of 768 MiB fail
//      ("-virtual memory allocation failed" twice)
//   f  rfork until it fails (--procs): "-no procs"; each child reads a
//      pipe nobody writes, and waits there for good once the parent exits
//   p  write into a pipe nobody reads until it is full: blocked for good
#include "lib.s"

DATA	minus<>+0(SB)/4, $"-\x00\x00\x00"
GLOBL	minus<>(SB), $4
GLOBL	lbuf<>(SB), $262144
DATA	memory<>+0(SB)/8, $"memory\x00\x00"
GLOBL	memory<>(SB), $8

TEXT _main(SB), 7, $160
	MOVL	168(SP), AX	// argv[1]
	MOVBLZX	0(AX), AX
	CMPL	AX, $'b'
	JEQ	brk
	CMPL	AX, $'n'
	JEQ	names
	CMPL	AX, $'k'
	JEQ	kid
	CMPL	AX, $'m'
	JEQ	mem
	CMPL	AX, $'f'
	JEQ	forks
	CMPL	AX, $'p'
	JEQ	pipew
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

mem:
	CALL1(runtime·brk_, $0x30000000)
	CMPL	AX, $-1
	JNE	2(PC)
	CALL	bad(SB)
	CALL4(segattach, $0, $memory<>(SB), $0, $0x30000000)
	CMPL	AX, $-1
	JNE	2(PC)
	CALL	bad(SB)
	CALL1(runtime·exits, $0)

forks:
	LEAL	20(SP), AX
	CALL1(pipe, AX)
fork1:
	CALL1(runtime·rfork, $0x14)	// RFPROC|RFFDG
	CMPL	AX, $0
	JEQ	waiter
	CMPL	AX, $-1
	JNE	fork1
	CALL	bad(SB)
	CALL1(runtime·exits, $0)
waiter:
	MOVL	20(SP), AX
	MOVL	AX, 0(SP)
	MOVL	$lbuf<>(SB), 4(SP)
	MOVL	$1, 8(SP)
	MOVL	$-1, 12(SP)
	MOVL	$-1, 16(SP)
	CALL	runtime·pread(SB)
	CALL1(runtime·exits, $0)

pipew:
	LEAL	20(SP), AX
	CALL1(pipe, AX)
	MOVL	20(SP), AX
	WRITE(AX, $lbuf<>(SB), $262144)
	MOVL	20(SP), AX
	WRITE(AX, $lbuf<>(SB), $262144)
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

