// thread_plan9.c as of Go commit ccdca2c ("runtime: Plan 9 signal
// handling", May 2012): a note handler, exit status shared by all Ms,
// and exit that tells the program's other Ms with a "gointr" note.

#include "../common/thread_plan9_common.s"

// static int32 getpid(void)
// Read #c/pid (11 characters, right-aligned, then a space), skip the
// leading blanks and tabs and convert the digits.
TEXT getpid<>(SB),7,$44
	LEAL	24(SP), AX		// b[20] at 24(SP); fd at 20(SP)
	MOVL	AX, 0(SP)
	MOVL	$20, 4(SP)
	CALL	runtime·memclr(SB)
	MOVL	$pidpath<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$OREAD, 4(SP)
	CALL	runtime·open(SB)
	MOVL	AX, 20(SP)
	CMPL	AX, $0
	JLT	gp_parse
	MOVL	AX, 0(SP)
	LEAL	24(SP), AX
	MOVL	AX, 4(SP)
	MOVL	$20, 8(SP)
	CALL	runtime·read(SB)
	MOVL	20(SP), AX
	MOVL	AX, 0(SP)
	CALL	runtime·close(SB)
gp_parse:
	LEAL	24(SP), AX
gp_skip:
	MOVBLZX	0(AX), CX
	CMPL	CX, $32
	JEQ	gp_next
	CMPL	CX, $9
	JNE	gp_atoi
gp_next:
	INCL	AX
	JMP	gp_skip
gp_atoi:
	MOVL	AX, 0(SP)
	CALL	runtime·atoi(SB)
	RET

// void osinit(void)
// Record m0's pid in m->procid and install gonote as the note handler.
TEXT runtime·osinit(SB),7,$4
	CALL	getpid<>(SB)
	get_tls(CX)
	MOVL	m(CX), CX
	MOVL	AX, m_procid(CX)
	MOVL	$runtime·gonote(SB), AX
	MOVL	AX, 0(SP)
	CALL	runtime·notify(SB)
	RET

// void itoa(int32 n, byte *p, uint32 len)
// Decimal n into p, as the commit wrote it: nothing at all if len <= 1;
// otherwise clear p[0..len), a lone '0' for zero, a '-' for a negative n
// (then work on -n), digits least significant first while n > 0 and
// fewer than len digits were written, and finally reverse the digits in
// place. (Digits are capped at len, not len-1, so a number too long for
// the buffer loses its NUL; the runtime always passes 16 bytes.)
TEXT runtime·itoa(SB),7,$8-12
	MOVL	len+8(FP), AX
	CMPL	AX, $1
	JLS	it_ret
	MOVL	p+4(FP), AX
	MOVL	AX, 0(SP)
	MOVL	len+8(FP), AX
	MOVL	AX, 4(SP)
	CALL	runtime·memclr(SB)
	MOVL	p+4(FP), DI		// q
	MOVL	DI, SI			// p: where the digits start
	MOVL	n+0(FP), AX
	CMPL	AX, $0
	JNE	it_nz
	MOVB	$48, 0(DI)
	RET
it_nz:
	JGT	it_pos
	MOVB	$45, 0(DI)
	INCL	DI
	INCL	SI
	NEGL	AX
it_pos:
	MOVL	$0, BX			// i
	MOVL	$10, CX
it_loop:
	CMPL	AX, $0
	JLE	it_rev
	CMPL	BX, len+8(FP)
	JCC	it_rev
	CDQ
	IDIVL	CX
	ADDL	$48, DX
	MOVB	DX, 0(DI)
	INCL	DI
	INCL	BX
	JMP	it_loop
it_rev:
	DECL	DI
it_swap:
	CMPL	DI, SI
	JCS	it_ret
	MOVBLZX	0(SI), AX
	MOVBLZX	0(DI), DX
	MOVB	DX, 0(SI)
	MOVB	AX, 0(DI)
	INCL	SI
	DECL	DI
	JMP	it_swap
it_ret:
	RET

// static void goexitsall(void)
// Post "gointr" to every M on allm whose procid is not ours.
TEXT goexitsall<>(SB),7,$16
	CALL	getpid<>(SB)
	MOVL	AX, 8(SP)		// pid
	MOVL	runtime·allm(SB), AX
ge_loop:
	CMPL	AX, $0
	JEQ	ge_done
	MOVL	AX, 12(SP)		// mp
	MOVL	m_procid(AX), CX
	CMPL	CX, 8(SP)
	JEQ	ge_next
	MOVL	CX, 0(SP)
	MOVL	$gointr<>(SB), CX
	MOVL	CX, 4(SP)
	CALL	runtime·postnote(SB)
ge_next:
	MOVL	12(SP), AX
	MOVL	m_alllink(AX), AX
	JMP	ge_loop
ge_done:
	RET

// void gonote(void *ureg, byte *s)
// The note handler. A "sys:" note (a fault, …) becomes the program's exit
// status: copy it into a buffer here (the handler runs on the M's own
// stack, shared memory), point exitstatus at it, tell the other Ms, and
// die with the note (NDFLT). Any other note when an exit status is
// already set: leave with that status. "gointr" otherwise: carry on.
// Anything else: the default, death by the note.
TEXT runtime·gonote(SB),7,$144-8
	MOVL	s+4(FP), AX		// l at 12(SP); buf[128] at 16(SP)
	MOVL	AX, 0(SP)
	CALL	runtime·findnull(SB)
	MOVL	AX, 12(SP)
	CMPL	AX, $4
	JLE	gn_notsys
	MOVL	s+4(FP), AX
	MOVL	AX, 0(SP)
	MOVL	$sysprefix<>(SB), AX
	MOVL	AX, 4(SP)
	MOVL	$4, 8(SP)
	CALL	runtime·mcmp(SB)
	CMPL	AX, $0
	JNE	gn_notsys
	LEAL	16(SP), AX
	MOVL	AX, 0(SP)
	MOVL	$128, 4(SP)
	CALL	runtime·memclr(SB)
	MOVL	s+4(FP), AX
	MOVL	AX, 0(SP)
	CALL	runtime·findnull(SB)
	MOVL	AX, 8(SP)
	LEAL	16(SP), AX
	MOVL	AX, 0(SP)
	MOVL	s+4(FP), AX
	MOVL	AX, 4(SP)
	CALL	runtime·memmove(SB)
	LEAL	16(SP), AX
	MOVL	AX, runtime·exitstatus(SB)
	CALL	goexitsall<>(SB)
	MOVL	$NDFLT, 0(SP)
	CALL	runtime·noted(SB)
gn_notsys:
	MOVL	runtime·exitstatus(SB), AX
	CMPL	AX, $0
	JEQ	gn_nostatus
	MOVL	AX, 0(SP)
	CALL	runtime·exits(SB)
gn_nostatus:
	MOVL	s+4(FP), AX
	MOVL	AX, 0(SP)
	MOVL	$gointr<>(SB), AX
	MOVL	AX, 4(SP)
	CALL	runtime·strcmp(SB)
	CMPL	AX, $0
	JNE	gn_default
	MOVL	$NCONT, 0(SP)
	CALL	runtime·noted(SB)
gn_default:
	MOVL	$NDFLT, 0(SP)
	CALL	runtime·noted(SB)
	RET

// int32 postnote(int32 pid, int8 *msg)
// Write msg to /proc/<pid>/note. -1 if the file cannot be opened or the
// write is short, 0 on success.
TEXT runtime·postnote(SB),7,$172-8
	LEAL	44(SP), AX		// fd 20(SP), len 24(SP), tmp[16] 28(SP), buf[128] 44(SP)
	MOVL	AX, 0(SP)
	MOVL	$128, 4(SP)
	CALL	runtime·memclr(SB)
	MOVL	pid+0(FP), AX
	MOVL	AX, 0(SP)
	LEAL	28(SP), AX
	MOVL	AX, 4(SP)
	MOVL	$16, 8(SP)
	CALL	runtime·itoa(SB)
	LEAL	44(SP), AX
	MOVL	AX, 0(SP)
	MOVL	$procdir<>(SB), AX
	MOVL	AX, 4(SP)
	MOVL	$6, 8(SP)
	CALL	runtime·memmove(SB)
	LEAL	50(SP), DI		// p = buf+6
	LEAL	28(SP), SI		// q = tmp
pn_copy:
	MOVBLZX	0(SI), AX		// while(*p++ = *q++)
	MOVB	AX, 0(DI)
	INCL	SI
	INCL	DI
	CMPL	AX, $0
	JNE	pn_copy
	DECL	DI			// p--
	MOVL	DI, 0(SP)
	MOVL	$notefile<>(SB), AX
	MOVL	AX, 4(SP)
	MOVL	$5, 8(SP)
	CALL	runtime·memmove(SB)
	LEAL	44(SP), AX
	MOVL	AX, 0(SP)
	MOVL	$OWRITE, 4(SP)
	CALL	runtime·open(SB)
	CMPL	AX, $0
	JLT	pn_fail
	MOVL	AX, 20(SP)
	MOVL	msg+4(FP), AX
	MOVL	AX, 0(SP)
	CALL	runtime·findnull(SB)
	MOVL	AX, 24(SP)
	MOVL	20(SP), AX
	MOVL	AX, 0(SP)
	MOVL	msg+4(FP), AX
	MOVL	AX, 4(SP)
	MOVL	24(SP), AX
	MOVL	AX, 8(SP)
	CALL	runtime·write(SB)
	CMPL	AX, 24(SP)
	JNE	pn_short
	MOVL	20(SP), AX
	MOVL	AX, 0(SP)
	CALL	runtime·close(SB)
	MOVL	$0, AX
	RET
pn_short:
	MOVL	20(SP), AX
	MOVL	AX, 0(SP)
	CALL	runtime·close(SB)
pn_fail:
	MOVL	$-1, AX
	RET

// void exit(int32 e)
// The exit status is "" for 0, else e in decimal (in a buffer on this
// goroutine's stack, which is shared memory). Tell the other Ms, then exits.
TEXT runtime·exit(SB),7,$28-4
	MOVL	e+0(FP), AX		// tmp[16] at 12(SP)
	CMPL	AX, $0
	JNE	ex_status
	MOVL	$emptystatus<>(SB), AX
	MOVL	AX, runtime·exitstatus(SB)
	JMP	ex_tell
ex_status:
	MOVL	AX, 0(SP)
	LEAL	12(SP), AX
	MOVL	AX, 4(SP)
	MOVL	$16, 8(SP)
	CALL	runtime·itoa(SB)
	LEAL	12(SP), AX
	MOVL	AX, runtime·exitstatus(SB)
ex_tell:
	CALL	goexitsall<>(SB)
	MOVL	runtime·exitstatus(SB), AX
	MOVL	AX, 0(SP)
	CALL	runtime·exits(SB)
	RET

DATA	pidpath<>+0(SB)/8, $"#c/pid\x00\x00"
GLOBL	pidpath<>(SB), $8
DATA	gointr<>+0(SB)/8, $"gointr\x00\x00"
GLOBL	gointr<>(SB), $8
DATA	sysprefix<>+0(SB)/4, $"sys:"
GLOBL	sysprefix<>(SB), $4
DATA	procdir<>+0(SB)/8, $"/proc/\x00\x00"
GLOBL	procdir<>(SB), $8
DATA	notefile<>+0(SB)/8, $"/note\x00\x00\x00"
GLOBL	notefile<>(SB), $8
GLOBL	emptystatus<>(SB), $4
