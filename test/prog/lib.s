// Helpers for the self-checking test programs: call macros (8c convention:
// arguments at 0(SP), 4(SP)… of the caller's frame), WRITE, the SYSCALL
// stub macro, CHECK/FAIL for programs that check themselves and end in
// exits("fail: …"), and small routines.
#include "../../asm/sys_plan9_386.s"

#define CALL1(fn, a) MOVL a, 0(SP); CALL fn(SB)
#define CALL2(fn, a, b) MOVL a, 0(SP); MOVL b, 4(SP); CALL fn(SB)
#define CALL3(fn, a, b, c) MOVL a, 0(SP); MOVL b, 4(SP); MOVL c, 8(SP); CALL fn(SB)
#define CALL4(fn, a, b, c, d) MOVL a, 0(SP); MOVL b, 4(SP); MOVL c, 8(SP); MOVL d, 12(SP); CALL fn(SB)
// pwrite(fd, buf, n, -1): write at the fd's offset.
#define WRITE(fd, buf, n) MOVL fd, 0(SP); MOVL buf, 4(SP); MOVL n, 8(SP); MOVL $-1, 12(SP); MOVL $-1, 16(SP); CALL runtime·pwrite(SB)
// pread and pwrite at a 32-bit offset.
#define PREAD(fd, buf, n, off) MOVL fd, 0(SP); MOVL buf, 4(SP); MOVL n, 8(SP); MOVL off, 12(SP); MOVL $0, 16(SP); CALL runtime·pread(SB)
#define PWRITE(fd, buf, n, off) MOVL fd, 0(SP); MOVL buf, 4(SP); MOVL n, 8(SP); MOVL off, 12(SP); MOVL $0, 16(SP); CALL runtime·pwrite(SB)

GLOBL	pbuf<>(SB), $128
GLOBL	wbuf<>(SB), $64

// A system call stub: the number in AX, INT $64, the result in AX.
#define SYSCALL(name, n) TEXT name(SB), 7, $0; MOVL $n, AX; INT $64; RET
// End the program with a failure status (msg: the address of its text).
#define FAIL(msg) MOVL msg, 0(SP); CALL runtime·exits(SB)
// After a compare: unless jcc jumps (the check holds), FAIL(msg).
#define CHECK(jcc, msg) jcc 3(PC); FAIL(msg)

// System calls the 2012 stub file lacks.
SYSCALL(alarm, 6)
SYSCALL(rendezvous, 34)
SYSCALL(segattach, 30)
SYSCALL(segdetach, 31)
SYSCALL(segfree, 32)
SYSCALL(exec, 7)
SYSCALL(bind, 2)
SYSCALL(pipe, 21)
SYSCALL(create, 22)
SYSCALL(remove, 25)

// strlen(s): AX = the length of the NUL-terminated string s.
TEXT strlen(SB), 7, $0
	MOVL	4(SP), DI
	MOVL	$0, AX
slen:
	MOVBLZX	0(DI)(AX*1), CX
	CMPL	CX, $0
	JEQ	sdone
	INCL	AX
	JMP	slen
sdone:
	RET

// print(s): write the NUL-terminated string s to fd 1.
TEXT print(SB), 7, $20
	MOVL	24(SP), SI
	CALL1(strlen, SI)
	WRITE($1, SI, AX)
	RET

// printerr(): print the process's errstr and a newline.
TEXT printerr(SB), 7, $20
	CALL2(runtime·errstr, $pbuf<>(SB), $128)
	CALL1(print, $pbuf<>(SB))
	CALL1(print, $nl<>(SB))
	RET

// wait(): await a child, and print its wait record and a newline.
TEXT wait(SB), 7, $24
	CALL2(runtime·await, $wbuf<>(SB), $63)
	MOVL	$wbuf<>(SB), CX
	MOVB	$10, 0(CX)(AX*1)
	MOVB	$0, 1(CX)(AX*1)
	CALL1(print, $wbuf<>(SB))
	RET

// printd(): print AX as one character: '-' for -1, else '0'+AX.
TEXT printd(SB), 7, $8
	CMPL	AX, $-1
	JNE	2(PC)
	MOVL	$('-'-'0'), AX
	ADDL	$'0', AX
	MOVL	AX, dbuf<>(SB)
	CALL1(print, $dbuf<>(SB))
	RET

GLOBL	dbuf<>(SB), $4
DATA	nl<>+0(SB)/4, $"\n\x00\x00\x00"
GLOBL	nl<>(SB), $4
