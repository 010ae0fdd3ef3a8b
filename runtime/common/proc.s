// The M part of the 2012 proc.c, reduced to what the demo needs: the
// allm list, mcommoninit, newm and runtime·main.

GLOBL	runtime·allm(SB), $4
GLOBL	runtime·mcount(SB), $4
GLOBL	runtime·exitstatus(SB), $4
GLOBL	runtime·m0(SB), $MSIZE
// Up to 4 extra Ms, each with its own stack (a g0 stack in 2012).
GLOBL	runtime·mslots(SB), $(4*MSIZE)
GLOBL	runtime·mstacks(SB), $(4*STKSIZE)
GLOBL	runtime·maingstk(SB), $STKSIZE
GLOBL	runtime·nextm(SB), $4

// void mcommoninit(M *mp)
// Give mp the next id and link it at the head of allm (the 2012 code
// did this under the scheduler lock with an atomic store; one CPU here).
TEXT runtime·mcommoninit(SB),7,$0-4
	MOVL	mp+0(FP), CX
	MOVL	runtime·mcount(SB), AX
	MOVL	AX, m_id(CX)
	INCL	AX
	MOVL	AX, runtime·mcount(SB)
	MOVL	runtime·allm(SB), AX
	MOVL	AX, m_alllink(CX)
	MOVL	CX, runtime·allm(SB)
	RET

// M *newm(void (*fn)(void))
// Take a fresh M and its stack, register it, and start an OS process
// for it with newosproc(mp, g0, top of stack, fn). Returns mp.
TEXT runtime·newm(SB),7,$20-4
	MOVL	runtime·nextm(SB), AX
	MOVL	AX, CX
	INCL	CX
	MOVL	CX, runtime·nextm(SB)
	IMULL	$MSIZE, AX
	ADDL	$runtime·mslots(SB), AX
	MOVL	AX, 16(SP)		// mp
	MOVL	AX, 0(SP)
	CALL	runtime·mcommoninit(SB)
	MOVL	16(SP), AX
	MOVL	AX, 0(SP)		// mp
	MOVL	$0, 4(SP)		// g0: no goroutines in this model
	MOVL	runtime·nextm(SB), AX
	IMULL	$STKSIZE, AX
	ADDL	$runtime·mstacks(SB), AX
	MOVL	AX, 8(SP)		// stk: top of the M's stack
	MOVL	fn+0(FP), AX
	MOVL	AX, 12(SP)
	CALL	runtime·newosproc(SB)
	MOVL	16(SP), AX
	RET

// void runtime·main(void)
// The main goroutine: run main.main, then exit(0).
TEXT runtime·main(SB),7,$4
	CALL	main·main(SB)
	MOVL	$0, 0(SP)
	CALL	runtime·exit(SB)
	RET
