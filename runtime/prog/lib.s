// Output for the demo programs (not part of the 2012 runtime): one
// progress line per write, "<prog> m<id>: <what>[<n>]\n". It formats
// its own numbers: the parent commit's runtime had no itoa.

// byte *cat(byte *dst, byte *src)
// Copy the string src to dst without its NUL; return the end of dst.
TEXT demo·cat(SB),7,$0-8
	MOVL	dst+0(FP), AX
	MOVL	src+4(FP), CX
cat_loop:
	MOVBLZX	0(CX), DX
	CMPL	DX, $0
	JEQ	cat_ret
	MOVB	DX, 0(AX)
	INCL	AX
	INCL	CX
	JMP	cat_loop
cat_ret:
	RET

// void line(byte *what, int32 n)
// Write "<progname> m<m->id>: <what><n>\n" to fd 1 in one write; n < 0
// prints no number.
TEXT demo·line(SB),7,$108-8
	LEAL	28(SP), AX		// buf[80] at 28(SP)
	MOVL	AX, 0(SP)
	MOVL	$progname<>(SB), AX
	MOVL	AX, 4(SP)
	CALL	demo·cat(SB)
	MOVB	$32, 0(AX)
	MOVB	$109, 1(AX)		// " m"
	ADDL	$2, AX
	MOVL	AX, 8(SP)		// keep end
	get_tls(CX)
	MOVL	m(CX), CX
	MOVL	m_id(CX), CX
	ADDL	$48, CX			// ids are single digits here
	MOVB	CX, 0(AX)
	MOVB	$58, 1(AX)		// ':'
	MOVB	$32, 2(AX)
	ADDL	$3, AX
	MOVL	AX, 0(SP)
	MOVL	what+0(FP), AX
	MOVL	AX, 4(SP)
	CALL	demo·cat(SB)
	MOVL	AX, 8(SP)
	MOVL	n+4(FP), CX		// 0 <= n < 100 here: one or two digits
	CMPL	CX, $0
	JLT	line_nl
	MOVL	AX, DI
	MOVL	CX, AX
	MOVL	$10, CX
	CDQ
	IDIVL	CX
	CMPL	AX, $0
	JEQ	line_one
	ADDL	$48, AX
	MOVB	AX, 0(DI)
	INCL	DI
line_one:
	ADDL	$48, DX
	MOVB	DX, 0(DI)
	INCL	DI
	MOVL	DI, AX
line_nl:
	MOVB	$10, 0(AX)
	INCL	AX
	LEAL	28(SP), CX
	SUBL	CX, AX
	MOVL	$1, 0(SP)
	MOVL	CX, 4(SP)
	MOVL	AX, 8(SP)
	CALL	runtime·write(SB)
	RET

// void worker(void): the loop of a worker M. Every PERIOD ms, a line.
// With FAULT defined, M 2 reads address 0 at its second line.
TEXT demo·worker(SB),7,$12
	MOVL	$1, 8(SP)
wk_loop:
	MOVL	$WORKPERIOD, 0(SP)
	CALL	runtime·sleep(SB)
#ifdef FAULT
	CMPL	8(SP), $2
	JNE	wk_say
	get_tls(AX)
	MOVL	m(AX), AX
	CMPL	m_id(AX), $2
	JNE	wk_say
	MOVL	$faultmsg<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	$-1, 4(SP)
	CALL	demo·line(SB)
	MOVL	$0, BX
	MOVL	0(BX), AX		// nil dereference: sys: trap: fault read addr=0x0
wk_say:
#endif
	MOVL	$tickmsg<>(SB), AX
	MOVL	AX, 0(SP)
	MOVL	8(SP), AX
	MOVL	AX, 4(SP)
	CALL	demo·line(SB)
	INCL	8(SP)
	JMP	wk_loop

DATA	tickmsg<>+0(SB)/8, $"tick \x00\x00\x00"
GLOBL	tickmsg<>(SB), $8
#ifdef FAULT
DATA	faultmsg<>+0(SB)/8, $"*nil\x00\x00\x00\x00"
GLOBL	faultmsg<>(SB), $8
#endif
