// pwd: print the working directory, as Plan 9's pwd.c does: getwd (open
// "." OREAD|OCEXEC, fd2path, close: libc/9sys/getwd.c), then the name and
// a newline, and exits(nil); if that fails, "pwd: <errstr>" on fd 2 and
// exits("getwd"). go_plan9_386_exec assembles it into the guest's /bin
// (bin/go_plan9_386_ns.ts): os's TestStartProcess runs /bin/pwd.
#include "../../../../asm/sys_plan9_386.s"

#define WRITE(fd, buf, n) MOVL fd, 0(SP); MOVL buf, 4(SP); MOVL n, 8(SP); MOVL $-1, 12(SP); MOVL $-1, 16(SP); CALL runtime·pwrite(SB)

// int fd2path(int fd, char *buf, int nbuf)
TEXT fd2path(SB),7,$0
	MOVL	$23, AX
	INT	$64
	RET

// The name, plus room for the newline (pwd.c: char pathname[512]).
GLOBL	path<>(SB), $516
DATA	dot<>+0(SB)/4, $".\x00\x00\x00"
GLOBL	dot<>(SB), $4
DATA	pfx<>+0(SB)/8, $"pwd: \x00\x00\x00"
GLOBL	pfx<>(SB), $8
DATA	nl<>+0(SB)/4, $"\n\x00\x00\x00"
GLOBL	nl<>(SB), $4
DATA	fail<>+0(SB)/8, $"getwd\x00\x00\x00"
GLOBL	fail<>(SB), $8

// strlen: CX = length of the string at DI.
TEXT strlen(SB),7,$0
	MOVL	$0, CX
more:
	MOVBLZX	0(DI)(CX*1), AX
	CMPL	AX, $0
	JEQ	end
	INCL	CX
	JMP	more
end:
	RET

TEXT _main(SB),7,$24
	MOVL	$dot<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$0x20, 4(SP)		// OREAD|OCEXEC
	CALL	runtime·open(SB)
	CMPL	AX, $0
	JLT	bad
	MOVL	AX, 20(SP)		// fd
	MOVL	AX, 0(SP)
	MOVL	$path<>(SB), AX
	MOVL	AX, 4(SP)
	MOVL	$512, 8(SP)
	CALL	fd2path(SB)
	MOVL	AX, 16(SP)		// fd2path's result
	MOVL	20(SP), AX
	MOVL	AX, 0(SP)
	CALL	runtime·close(SB)
	CMPL	16(SP), $0
	JLT	bad
	MOVL	$path<>(SB), DI
	CALL	strlen(SB)
	MOVB	$10, 0(DI)(CX*1)
	INCL	CX
	WRITE($1, DI, CX)
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
	RET
bad:
	MOVL	$path<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$512, 4(SP)
	CALL	runtime·errstr(SB)
	WRITE($2, $pfx<>(SB), $5)
	MOVL	$path<>(SB), DI
	CALL	strlen(SB)
	WRITE($2, $path<>(SB), CX)
	WRITE($2, $nl<>(SB), $1)
	MOVL	$fail<>(SB), AX
	MOVL	AX, 0(SP)
	CALL	runtime·exits(SB)
	RET
