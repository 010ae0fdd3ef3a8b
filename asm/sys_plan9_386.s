// Plan 9 system-call stubs of the 2012 Go runtime (Go 1.0,
// src/pkg/runtime/sys_plan9_386.s), rewritten by hand for p9emu.
//
// Convention (Plan 9 386, /work/shared/plan9-386-facts.md §2): the
// system-call number goes in AX, INT $64 enters the kernel, and the kernel
// reads the arguments from the caller's stack starting at 4(SP), i.e.
// exactly where the Go caller left them, so the stubs do not touch them.
// The result comes back in AX. Flags 7 = NOPROF|DUPOK|NOSPLIT, as in 2012:
// the stubs have no frame and must not grow the stack.

// int32 open(uint8 *file, int32 mode)
TEXT runtime·open(SB),7,$0
	MOVL	$14, AX
	INT	$64
	RET

// int32 pread(int32 fd, void *buf, int32 nbytes, int64 offset)
TEXT runtime·pread(SB),7,$0
	MOVL	$50, AX
	INT	$64
	RET

// int32 pwrite(int32 fd, void *buf, int32 nbytes, int64 offset)
TEXT runtime·pwrite(SB),7,$0
	MOVL	$51, AX
	INT	$64
	RET

// int32 seek(int64 *ret, int32 fd, int64 offset, int32 whence)
// seek returns a vlong, so the C calling convention passes a hidden
// pointer to the result first (facts §2). The kernel stores the new offset
// through it and returns 0 in AX; on failure AX is -1 and, as the 2012 stub
// did, we store -1 into both halves of *ret ourselves.
TEXT runtime·seek(SB),7,$0
	MOVL	$39, AX
	INT	$64
	CMPL	AX, $-1
	JNE	4(PC)		// success: the kernel already wrote *ret
	MOVL	ret+0(FP), CX
	MOVL	AX, 0(CX)
	MOVL	AX, 4(CX)
	RET

// int32 close(int32 fd)
TEXT runtime·close(SB),7,$0
	MOVL	$4, AX
	INT	$64
	RET

// void exits(int8 *msg); does not return
TEXT runtime·exits(SB),7,$0
	MOVL	$8, AX
	INT	$64
	RET

// int32 brk_(void *addr)
TEXT runtime·brk_(SB),7,$0
	MOVL	$24, AX
	INT	$64
	RET

// int32 sleep(int32 ms)
TEXT runtime·sleep(SB),7,$0
	MOVL	$17, AX
	INT	$64
	RET

// int32 rfork(int32 flags, void *stk, M *m, G *g, void (*fn)(void))
// Only the system call itself: the kernel returns the child's pid in the
// parent and 0 in the child. The 2012 runtime then switched the child to
// stk, set m and g through TLS and called fn; that needs the runtime's
// generated structure offsets (zasm_plan9_386.h), so the child path
// belongs to the runtime code that calls this stub.
TEXT runtime·rfork(SB),7,$0
	MOVL	$19, AX
	INT	$64
	RET

// int32 plan9_semacquire(uint32 *addr, int32 block)
TEXT runtime·plan9_semacquire(SB),7,$0
	MOVL	$37, AX
	INT	$64
	RET

// int32 plan9_tsemacquire(uint32 *addr, int32 ms)
TEXT runtime·plan9_tsemacquire(SB),7,$0
	MOVL	$52, AX
	INT	$64
	RET

// int32 plan9_semrelease(uint32 *addr, int32 count)
TEXT runtime·plan9_semrelease(SB),7,$0
	MOVL	$38, AX
	INT	$64
	RET

// int32 notify(void (*fn)(void*, int8*))
TEXT runtime·notify(SB),7,$0
	MOVL	$28, AX
	INT	$64
	RET

// int32 noted(int32 v); with NCONT/NDFLT it does not return here (facts §5)
TEXT runtime·noted(SB),7,$0
	MOVL	$29, AX
	INT	$64
	RET

// int32 errstr(int8 *buf, int32 len)
TEXT runtime·errstr(SB),7,$0
	MOVL	$41, AX
	INT	$64
	RET

// int32 await(int8 *buf, int32 len)
TEXT runtime·await(SB),7,$0
	MOVL	$47, AX
	INT	$64
	RET

// int32 nsec(int64 *ret)
// Like seek: the vlong result goes through a hidden pointer at 4(SP).
TEXT runtime·nsec(SB),7,$0
	MOVL	$53, AX
	INT	$64
	CMPL	AX, $-1
	JNE	4(PC)
	MOVL	ret+0(FP), CX
	MOVL	AX, 0(CX)
	MOVL	AX, 4(CX)
	RET
