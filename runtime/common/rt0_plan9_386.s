// The program entry of the 2012 runtime (rt0_plan9_386.s plus the part of
// asm_386.s's _rt0_386 that matters here).

GLOBL	_tos(SB), $4

// _main: the kernel starts us with AX = &Tos and [SP] = argc, argv at 4(SP).
// Remember Tos in _tos. Then move everything between SP and Tos (argc,
// argv, the argv strings) down 8 bytes, so that the two words just under
// Tos are free to hold m and g, fix the argv pointers by the same 8, and
// set m = &m0. schedinit's mcommoninit(m0) puts m0 on allm, osinit does
// the OS part, and the main goroutine runs runtime·main on its own stack
// (in bss here; on the 2012 runtime's heap there), never on the OS stack.
TEXT _main(SB),7,$0
	MOVL	AX, _tos(SB)
	MOVL	SP, SI
	SUBL	$8, SP
	MOVL	SP, DI
	MOVL	AX, CX
	SUBL	SI, CX
	CLD
	REP;	MOVSB
	MOVL	0(SP), CX		// argc
	LEAL	4(SP), BP		// &argv[0]
rt0_fix:
	CMPL	CX, $0
	JEQ	rt0_fixed
	SUBL	$8, 0(BP)
	ADDL	$4, BP
	DECL	CX
	JMP	rt0_fix
rt0_fixed:
	get_tls(AX)
	MOVL	$runtime·m0(SB), BX
	MOVL	BX, m(AX)
	MOVL	$0, g(AX)
	SUBL	$4, SP
	MOVL	BX, 0(SP)
	CALL	runtime·mcommoninit(SB)
	CALL	runtime·osinit(SB)
	MOVL	$runtime·maingstk+(STKSIZE-16)(SB), SP
	CALL	runtime·main(SB)
	MOVL	$0, BX			// not reached: runtime·main exits
	MOVL	0(BX), AX
