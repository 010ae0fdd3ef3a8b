// Helpers of the 2012 runtime.c.

// int32 atoi(byte *p)
// Decimal digits at p, up to the first non-digit.
TEXT runtime·atoi(SB),7,$0-4
	MOVL	p+0(FP), CX
	MOVL	$0, AX
at_loop:
	MOVBLZX	0(CX), DX
	SUBL	$48, DX
	CMPL	DX, $9
	JHI	at_ret		// below '0' wraps around to a big unsigned value
	IMULL	$10, AX
	ADDL	DX, AX
	INCL	CX
	JMP	at_loop
at_ret:
	RET

// int32 mcmp(byte *s1, byte *s2, uint32 n)
// Compare n bytes as unsigned chars: -1, 0 or 1.
TEXT runtime·mcmp(SB),7,$0-12
	MOVL	s1+0(FP), CX
	MOVL	s2+4(FP), DX
	MOVL	n+8(FP), AX
	PUSHL	BX
	PUSHL	SI
	MOVL	AX, SI
mc_loop:
	CMPL	SI, $0
	JEQ	mc_eq
	MOVBLZX	0(CX), AX
	MOVBLZX	0(DX), BX
	CMPL	AX, BX
	JCS	mc_lt
	JHI	mc_gt
	INCL	CX
	INCL	DX
	DECL	SI
	JMP	mc_loop
mc_eq:
	MOVL	$0, AX
	JMP	mc_ret
mc_lt:
	MOVL	$-1, AX
	JMP	mc_ret
mc_gt:
	MOVL	$1, AX
mc_ret:
	POPL	SI
	POPL	BX
	RET
