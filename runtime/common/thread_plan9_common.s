// The parts of the 2012 thread_plan9.c that the parent commit and the
// commit share: read, write and newosproc. Included by before/ and after/.

// int32 read(int32 fd, void *buf, int32 n)
// pread at the fd's own offset: the -1LL offset (two words of -1).
TEXT runtime·read(SB),7,$20-12
	MOVL	fd+0(FP), AX
	MOVL	AX, 0(SP)
	MOVL	buf+4(FP), AX
	MOVL	AX, 4(SP)
	MOVL	n+8(FP), AX
	MOVL	AX, 8(SP)
	MOVL	$-1, 12(SP)
	MOVL	$-1, 16(SP)
	CALL	runtime·pread(SB)
	RET

// int32 write(int32 fd, void *buf, int32 n)
// pwrite at the fd's own offset, as libc write() is.
TEXT runtime·write(SB),7,$20-12
	MOVL	fd+0(FP), AX
	MOVL	AX, 0(SP)
	MOVL	buf+4(FP), AX
	MOVL	AX, 4(SP)
	MOVL	n+8(FP), AX
	MOVL	AX, 8(SP)
	MOVL	$-1, 12(SP)
	MOVL	$-1, 16(SP)
	CALL	runtime·pwrite(SB)
	RET

// void newosproc(M *mp, G *g, void *stk, void (*fn)(void))
// rfork(RFPROC|RFMEM|RFNOWAIT, stk, mp, g, fn): a new process sharing
// data and bss, not waited for. The parent returns. The child comes back
// from the same stub on its private copy of this stack, with AX = 0 and
// our outgoing arguments still at 4(SP): it moves to stk, stores m and g
// just below Tos, saves Tos.pid as m->procid and calls fn. (The 2012 stub
// did this inside runtime·rfork itself; asm/'s stub is the bare call.)
//
// Tos.pid and the rfork child: the kernel rewrites Tos.pid on every return
// to user mode, but the child's first return (forkret) skips that, so its
// copy of Tos still holds the parent's pid until it next enters the kernel
// (facts §9). On a real 386 the child's very first user access faults in
// a page (a fresh process has no user MMU entries), and that trap's exit
// rewrites Tos.pid before any of this code runs; the emulator maps memory
// up front, so no such trap happens. We stand in for it with one
// osyield() (sleep(0)) before reading Tos.pid; define STALE_TOSPID to
// leave it out and read the parent's pid, as docs/demo.md shows.
TEXT runtime·newosproc(SB),7,$20-16
	MOVL	$(RFPROC|RFMEM|RFNOWAIT), 0(SP)
	MOVL	stk+8(FP), AX
	MOVL	AX, 4(SP)
	MOVL	mp+0(FP), AX
	MOVL	AX, 8(SP)
	MOVL	gp+4(FP), AX
	MOVL	AX, 12(SP)
	MOVL	fn+12(FP), AX
	MOVL	AX, 16(SP)
	CALL	runtime·rfork(SB)
	CMPL	AX, $0
	JEQ	nop_child
	JLT	nop_fail
	RET
nop_fail:
	MOVL	$rforkfailed<>(SB), AX
	MOVL	AX, 0(SP)
	CALL	runtime·exits(SB)
	RET
nop_child:
	MOVL	8(SP), BX		// m
	MOVL	12(SP), DX		// g
	MOVL	16(SP), SI		// fn
	MOVL	4(SP), CX		// stk
	SUBL	$16, CX
	MOVL	CX, SP
	get_tls(AX)
	MOVL	DX, g(AX)
	MOVL	BX, m(AX)
#ifndef STALE_TOSPID
	MOVL	$0, 0(SP)
	CALL	runtime·sleep(SB)	// osyield: an exit through kexit
	get_tls(AX)
	MOVL	m(AX), BX
	MOVL	g(AX), DX
#endif
	MOVL	tos_pid(AX), AX
	MOVL	AX, m_procid(BX)
	CALL	SI
	MOVL	$0, 0(SP)
	CALL	runtime·exit(SB)
	RET

DATA	rforkfailed<>+0(SB)/8, $"newospro"
DATA	rforkfailed<>+8(SB)/8, $"c: rfork"
DATA	rforkfailed<>+16(SB)/8, $" failed\x00"
GLOBL	rforkfailed<>(SB), $24
