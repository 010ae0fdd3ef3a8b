// Memory helpers that the 2012 runtime had in assembly (asm_386.s,
// memmove_386.s). Frame sizes and argument offsets follow 8c: the first
// argument at 4(SP) on entry, named n+0(FP) here.

// void memclr(byte *p, uint32 n)
// Store n zero bytes starting at p.
TEXT runtime·memclr(SB),7,$0-8
	MOVL	p+0(FP), DI
	MOVL	n+4(FP), CX
	MOVL	$0, AX
	CLD
	REP;	STOSB
	RET

// void memmove(void *to, void *from, uint32 n)
// Copy n bytes. The runtime's copies here never overlap, but like the
// real one this copies backwards when to lies above from, so overlap
// would be safe too.
TEXT runtime·memmove(SB),7,$0-12
	MOVL	to+0(FP), DI
	MOVL	from+4(FP), SI
	MOVL	n+8(FP), CX
	CMPL	DI, SI
	JHI	mm_back
mm_fwd:
	CMPL	CX, $0
	JEQ	mm_ret
	MOVB	0(SI), AX
	MOVB	AX, 0(DI)
	INCL	SI
	INCL	DI
	DECL	CX
	JMP	mm_fwd
mm_back:
	CMPL	CX, $0
	JEQ	mm_ret
	DECL	CX
	MOVB	0(SI)(CX*1), AX
	MOVB	AX, 0(DI)(CX*1)
	JMP	mm_back
mm_ret:
	RET
