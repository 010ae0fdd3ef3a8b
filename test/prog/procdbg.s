// A debugger that drives /proc as acid and ratrace do. It forks a child
// and, through /proc/PID:
//   stop          ctl "stop" while the child sleeps; status says Stopped
//   startsyscall  twice: the child's pwrite as /proc/PID/syscall gives it,
//                 at its entry and then at its exit (9front; skipped when
//                 the program has an argument, for 4e)
//   regs          AX of the stopped child (pwrite's 6, or sleep's 0), as a digit
//   mem           reads the child's `marker` (MARK), writes EDIT over it
//   start         the child prints its marker (EDIT now) and exits
// then a second child that spins is killed by ctl "kill", and a third
// that faults stays Broken (status) until ctl kill takes it away (open
// of its status fails). Each result is a line on stdout.
#include "lib.s"

DATA	procs<>+0(SB)/8, $"/proc/\x00\x00"
GLOBL	procs<>(SB), $8
DATA	sctl<>+0(SB)/4, $"ctl\x00"
GLOBL	sctl<>(SB), $4
DATA	sstatus<>+0(SB)/8, $"status\x00\x00"
GLOBL	sstatus<>(SB), $8
DATA	ssyscall<>+0(SB)/8, $"syscall\x00"
GLOBL	ssyscall<>(SB), $8
DATA	sregs<>+0(SB)/8, $"regs\x00\x00\x00\x00"
GLOBL	sregs<>(SB), $8
DATA	smem<>+0(SB)/4, $"mem\x00"
GLOBL	smem<>(SB), $4
DATA	mstop<>+0(SB)/8, $"stop\x00\x00\x00\x00"
GLOBL	mstop<>(SB), $8
DATA	msys<>+0(SB)/8, $"startsys"
DATA	msys<>+8(SB)/8, $"call\x00\x00\x00\x00"
GLOBL	msys<>(SB), $16
DATA	mstart<>+0(SB)/8, $"start\x00\x00\x00"
GLOBL	mstart<>(SB), $8
DATA	mkill<>+0(SB)/8, $"kill\x00\x00\x00\x00"
GLOBL	mkill<>(SB), $8
DATA	edit<>+0(SB)/8, $"EDIT\x00\x00\x00\x00"
GLOBL	edit<>(SB), $8
DATA	marker+0(SB)/8, $"MARK\n\x00\x00\x00"
GLOBL	marker(SB), $8
DATA	hello<>+0(SB)/8, $"child.\x00\x00"
GLOBL	hello<>(SB), $8
DATA	gone<>+0(SB)/8, $"gone\n\x00\x00\x00"
GLOBL	gone<>(SB), $8
DATA	efail<>+0(SB)/8, $"procdbg "
DATA	efail<>+8(SB)/8, $"failed\x00\x00"
GLOBL	efail<>(SB), $16

GLOBL	pathbuf<>(SB), $64
GLOBL	digits<>(SB), $16
GLOBL	rbuf<>(SB), $256
GLOBL	child<>(SB), $4
GLOBL	ctlfd<>(SB), $4

// scopy: copy the NUL-terminated string at SI to DI, the NUL too; DI ends on the NUL.
TEXT scopy(SB), 7, $0
scl:
	MOVBLZX	0(SI), AX
	MOVB	AX, 0(DI)
	CMPL	AX, $0
	JEQ	scd
	INCL	SI
	INCL	DI
	JMP	scl
scd:
	RET

// procpath(pid, name): "/proc/PID/NAME" in pathbuf; AX is its address.
TEXT procpath(SB), 7, $16
	MOVL	$procs<>(SB), SI
	MOVL	$pathbuf<>(SB), DI
	CALL	scopy(SB)
	MOVL	$digits<>(SB), SI
	MOVL	20(SP), AX
	MOVL	$0, CX
	MOVL	$10, BX
ppdig:
	MOVL	$0, DX
	DIVL	BX
	ADDL	$'0', DX
	MOVB	DX, 0(SI)(CX*1)
	INCL	CX
	CMPL	AX, $0
	JNE	ppdig
ppput:
	DECL	CX
	MOVBLZX	0(SI)(CX*1), AX
	MOVB	AX, 0(DI)
	INCL	DI
	CMPL	CX, $0
	JNE	ppput
	MOVB	$'/', 0(DI)
	INCL	DI
	MOVL	24(SP), SI
	CALL	scopy(SB)
	MOVL	$pathbuf<>(SB), AX
	RET

// popen(pid, name, mode): open /proc/PID/NAME; fails the program if it cannot.
TEXT popen(SB), 7, $16
	MOVL	20(SP), AX
	MOVL	24(SP), BX
	CALL2(procpath, AX, BX)
	MOVL	28(SP), BX
	CALL2(runtime·open, AX, BX)
	CMPL	AX, $0
	CHECK(JGE, $efail<>(SB))
	RET

// ctl(msg): write msg to the child's ctl; fails the program if the write fails.
TEXT ctl(SB), 7, $24
	MOVL	28(SP), SI
	CALL1(strlen, SI)
	MOVL	ctlfd<>(SB), CX
	WRITE(CX, SI, AX)
	CMPL	AX, $0
	CHECK(JGT, $efail<>(SB))
	RET

// show(name, off, n): read n bytes of the child's /proc file at off and print them and a newline.
TEXT show(SB), 7, $24
	MOVL	child<>(SB), AX
	MOVL	28(SP), BX
	CALL3(popen, AX, BX, $0)
	MOVL	AX, 20(SP)
	MOVL	36(SP), BX
	MOVL	32(SP), CX
	PREAD(AX, $rbuf<>(SB), BX, CX)
	CMPL	AX, $0
	CHECK(JGE, $efail<>(SB))
	MOVL	$rbuf<>(SB), CX
	MOVB	$0, 0(CX)(AX*1)
	CALL1(print, $rbuf<>(SB))
	CALL1(print, $nl<>(SB))
	MOVL	20(SP), AX
	CALL1(runtime·close, AX)
	RET

TEXT _main(SB), 7, $24
	// The child: sleep, say hello, print its marker, exit.
	CALL1(runtime·rfork, $0x14)	// RFPROC|RFFDG
	CMPL	AX, $0
	JNE	parent
	CALL1(runtime·sleep, $20)
	WRITE($1, $hello<>(SB), $6)
	WRITE($1, $marker(SB), $5)
	CALL1(runtime·exits, $0)

parent:
	MOVL	AX, child<>(SB)
	CALL3(popen, AX, $sctl<>(SB), $1)
	MOVL	AX, ctlfd<>(SB)
	CALL1(ctl, $mstop<>(SB))
	CALL3(show, $sstatus<>(SB), $56, $11)	// the state field
	// With an argument (4e, which has no syscall tracing), the child stays where it stopped, after sleep.
	CMPL	24(SP), $1
	JNE	regs
	CALL1(ctl, $msys<>(SB))
	CALL3(show, $ssyscall<>(SB), $0, $255)	// pwrite's entry
	CALL1(ctl, $msys<>(SB))
	CALL3(show, $ssyscall<>(SB), $0, $255)	// and its exit
regs:

	// AX in the Ureg: pwrite returned 6 (sleep 0).
	MOVL	child<>(SB), AX
	CALL3(popen, AX, $sregs<>(SB), $0)
	PREAD(AX, $rbuf<>(SB), $76, $0)
	CMPL	AX, $76
	CHECK(JEQ, $efail<>(SB))
	MOVL	rbuf<>+28(SB), AX
	CALL	printd(SB)
	CALL1(print, $nl<>(SB))

	// The marker through mem, then EDIT written over it.
	CALL3(show, $smem<>(SB), $marker(SB), $4)
	MOVL	child<>(SB), AX
	CALL3(popen, AX, $smem<>(SB), $2)
	PWRITE(AX, $edit<>(SB), $4, $marker(SB))
	CMPL	AX, $4
	CHECK(JEQ, $efail<>(SB))

	CALL1(ctl, $mstart<>(SB))
	CALL	wait(SB)

	// A spinning child, killed.
	CALL1(runtime·rfork, $0x14)
	CMPL	AX, $0
	JNE	killit
spin:
	JMP	spin
killit:
	MOVL	AX, child<>(SB)
	CALL3(popen, AX, $sctl<>(SB), $1)
	MOVL	AX, ctlfd<>(SB)
	CALL1(ctl, $mkill<>(SB))
	CALL	wait(SB)

	// A child that faults stays Broken until killed.
	CALL1(runtime·rfork, $0x14)
	CMPL	AX, $0
	JNE	broken
	MOVL	$0, BX
	MOVL	0(BX), AX
broken:
	MOVL	AX, child<>(SB)
	CALL	wait(SB)
	CALL3(show, $sstatus<>(SB), $56, $11)
	MOVL	child<>(SB), AX
	CALL3(popen, AX, $sctl<>(SB), $1)
	MOVL	AX, ctlfd<>(SB)
	CALL1(ctl, $mkill<>(SB))
	MOVL	child<>(SB), AX
	CALL2(procpath, AX, $sstatus<>(SB))
	CALL2(runtime·open, AX, $0)
	CMPL	AX, $0
	CHECK(JLT, $efail<>(SB))
	CALL1(print, $gone<>(SB))
	CALL1(runtime·exits, $0)
