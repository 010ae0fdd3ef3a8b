// Every instruction form p9emu's assembler supports, for comparison with
// `GOOS=plan9 GOARCH=386 go tool asm`. Keep it valid for Go: the test
// assembles it with both and compares each TEXT symbol byte for byte.

#include "textflag.h"
#include "allforms_inc.h"

#define SIX 6
#define TWICE(x) ((x)*2)
#ifdef SIX
#define PICKED $SIX
#else
#define PICKED $99
#endif
#ifndef NOT_DEFINED
#define ALSO $7
#endif

// Data movement, every addressing mode and register.
TEXT ·moves(SB),NOSPLIT,$0
	MOVL	AX, BX
	MOVL	CX, DX
	MOVL	SP, BP
	MOVL	SI, DI
	MOVL	$0, AX
	MOVL	$-1, CX
	MOVL	$0x7fffffff, DX
	MOVL	$0x80000000, BX
	MOVL	$'a', SI
	MOVL	$'\n', DI
	MOVL	$017, AX
	MOVL	$(1<<10 | 3), AX
	MOVL	$((2+3)*4 - 1), BX
	MOVL	$(100/7), CX
	MOVL	$(100%7), CX
	MOVL	$(0xf0 & 0x3c ^ 1), DX
	MOVL	$~0, DX
	MOVL	$(256>>2), SI
	MOVL	PICKED, AX
	MOVL	ALSO, AX
	MOVL	$TWICE(21), AX
	MOVL	$INCLUDED_CONST, AX
	MOVL	(AX), BX
	MOVL	(SP), BX
	MOVL	(BP), BX
	MOVL	4(AX), BX
	MOVL	-4(BP), BX
	MOVL	128(SI), BX
	MOVL	-129(DI), BX
	MOVL	0x12345(CX), BX
	MOVL	8(SP), AX
	MOVL	1000(SP), AX
	MOVL	(AX)(BX*1), CX
	MOVL	(AX)(BX*2), CX
	MOVL	(AX)(BX*4), CX
	MOVL	(AX)(BX*8), CX
	MOVL	(BP)(SI*4), CX
	MOVL	(SP)(DI*4), CX
	MOVL	8(AX)(CX*4), DX
	MOVL	-200(DI)(SI*2), DX
	MOVL	AX, (BX)
	MOVL	AX, 8(SP)
	MOVL	$5, (BX)
	MOVL	$0x12345678, 16(SP)
	MOVL	$1000, 4(AX)(BX*4)
	MOVL	·var1(SB), AX
	MOVL	·var1+4(SB), AX
	MOVL	AX, ·var1(SB)
	MOVL	·table(SB)(AX*4), BX
	MOVL	$·var1(SB), AX
	MOVL	$·var1+8(SB), AX
	MOVL	$·var1(SB), 4(SP)
	MOVL	local<>(SB), AX
	MOVW	AX, BX
	MOVW	$0x1234, AX
	MOVW	$-2, (BX)
	MOVW	(SI), CX
	MOVW	CX, 2(DI)
	MOVB	AL, BL
	MOVB	AH, CL
	MOVB	$1, AL
	MOVB	$0xff, DH
	MOVB	$7, (BX)
	MOVB	(SI), DL
	MOVB	BH, 3(DI)
	MOVBLZX	AL, AX
	MOVBLZX	(SI), DX
	MOVBLSX	BL, CX
	MOVBLSX	-1(BP), DI
	MOVWLZX	AX, BX
	MOVWLZX	(SI), CX
	MOVWLSX	CX, DX
	MOVWLSX	2(SP), SI
	LEAL	(AX), BX
	LEAL	8(SP), AX
	LEAL	4(AX)(BX*8), CX
	LEAL	·var1(SB), DX
	LEAL	-1(BP), SP
	XCHGL	AX, BX
	XCHGL	CX, AX
	XCHGL	DX, SI
	XCHGL	DI, (BX)
	XCHGL	(BX), DI
	XCHGB	AL, BL
	XCHGW	AX, CX
	RET

// Arithmetic and logic in every width and operand shape.
TEXT ·arith(SB),NOSPLIT,$0
	ADDL	$1, AX
	ADDL	$127, BX
	ADDL	$128, AX
	ADDL	$128, BX
	ADDL	$-128, CX
	ADDL	$-129, CX
	ADDL	$1000, (SI)
	ADDL	$3, 8(SP)
	ADDL	AX, BX
	ADDL	(SI), DX
	ADDL	DX, (SI)
	ADDW	$1, AX
	ADDW	$1000, AX
	ADDW	$1000, BX
	ADDW	AX, BX
	ADDB	$1, AL
	ADDB	$1, BL
	ADDB	$200, (SI)
	ADDB	AL, BL
	ADDB	(SI), CH
	SUBL	$4, SP
	SUBL	$0x1000, AX
	SUBL	CX, DX
	SUBW	$2, (DI)
	SUBB	DL, DH
	ADCL	$0, AX
	ADCL	BX, CX
	ADCW	$5, DX
	ADCB	$1, AL
	SBBL	$-1, DI
	SBBL	(BX), AX
	SBBW	AX, AX
	SBBB	CL, (DI)
	ANDL	$0xff, AX
	ANDL	$0xfffffff0, SP
	ANDL	$0x0f, (BX)
	ANDW	$0xff00, CX
	ANDB	$0x0f, AL
	ORL	$1, AX
	ORL	$0x10000, DX
	ORL	CX, BX
	ORW	(SI), AX
	ORB	$0x80, BL
	XORL	AX, AX
	XORL	$-1, BX
	XORL	$0x55555555, AX
	XORW	CX, DX
	XORB	$0xaa, (BX)
	CMPL	AX, $0
	CMPL	AX, $-1
	CMPL	AX, $1000
	CMPL	BX, $1000
	CMPL	(SI), $5
	CMPL	AX, BX
	CMPL	(SI), AX
	CMPL	AX, (SI)
	CMPL	SP, 8(CX)
	CMPW	AX, $0x1234
	CMPW	CX, DX
	CMPB	AL, $'x'
	CMPB	BL, $0
	CMPB	(SI), $0
	CMPB	AL, BL
	TESTL	AX, AX
	TESTL	$1, AX
	TESTL	$0x100, BX
	TESTL	BX, (SI)
	TESTW	$1, CX
	TESTB	$1, AL
	TESTB	$0x80, BL
	TESTB	AL, (DI)
	INCL	AX
	INCL	DI
	INCL	(BX)
	INCW	AX
	INCB	AL
	INCB	(SI)
	DECL	CX
	DECL	4(SP)
	DECW	(BX)
	DECB	BH
	NEGL	AX
	NEGL	(BX)
	NEGW	CX
	NEGB	DL
	NOTL	SI
	NOTW	(BX)
	NOTB	AL
	SHLL	$1, AX
	SHLL	$4, BX
	SHLL	CX, DX
	SHLL	CL, DX
	SHLL	$31, (SI)
	SHRL	$1, (SI)
	SHRL	$7, AX
	SHRL	CX, BX
	SARL	$1, DX
	SARL	$31, AX
	SARL	CX, (BX)
	SHLW	$2, AX
	SHRW	CX, BX
	SARW	$1, CX
	SHLB	$1, AL
	SHRB	$3, BL
	SARB	CX, DL
	ROLL	$8, AX
	RORL	CX, BX
	ROLB	$1, AL
	RORW	$4, CX
	MULL	BX
	MULL	(SI)
	MULW	CX
	MULB	DL
	IMULL	CX
	IMULL	(BX)
	IMULL	$3, AX
	IMULL	$1000, BX
	IMULL	CX, DX
	IMULL	(SI), AX
	IMUL3L	$10, BX, AX
	IMUL3L	$100000, (SI), DX
	IMULW	CX, AX
	IMULB	BL
	DIVL	CX
	DIVL	4(SP)
	DIVW	BX
	DIVB	CL
	IDIVL	BX
	IDIVW	(SI)
	IDIVB	DH
	CDQ
	CWD
	BSWAPL	AX
	BSWAPL	DI
	BSFL	AX, BX
	BSRL	(SI), CX
	BTL	$3, AX
	BTL	CX, (BX)
	BTSL	$31, DX
	BTRL	AX, BX
	RET

// Stack, flags and string instructions.
TEXT ·stack(SB),NOSPLIT,$0
	PUSHL	AX
	PUSHL	DI
	PUSHL	$1
	PUSHL	$-128
	PUSHL	$1000
	PUSHL	(BX)
	PUSHL	8(SP)
	PUSHL	$·var1(SB)
	POPL	AX
	POPL	DI
	POPL	(BX)
	POPL	4(SP)
	POPL	BX
	POPL	BX
	POPL	BX
	POPL	BX
	PUSHW	AX
	POPW	CX
	PUSHFL
	POPFL
	PUSHAL
	POPAL
	PUSHFW
	POPFW
	PUSHAW
	POPAW
	CLD
	STD
	CLC
	STC
	CMC
	CLI
	STI
	REP
	MOVSB
	REP; MOVSL
	REP; STOSB
	REP; STOSL
	MOVSW
	STOSW
	LODSB
	LODSW
	LODSL
	SCASB
	SCASL
	CMPSB
	CMPSL
	REPN; SCASB
	LOCK
	CMPXCHGL	CX, (BX)
	LOCK; CMPXCHGL	DX, 4(SI)
	CMPXCHGW	AX, (DI)
	CMPXCHGB	AL, (DI)
	CMPXCHG8B	(SI)
	LOCK; XADDL	AX, (BX)
	XADDW	CX, (SI)
	XADDB	DL, (DI)
	INT	$64
	INT	$3
	HLT
	NOP
	PAUSE
	CPUID
	RDTSC
	MFENCE
	LFENCE
	SFENCE
	LEAVEL
	UNDEF
	BYTE	$0x90
	BYTE	$-1
	WORD	$0x1234
	LONG	$0xdeadbeef
	LONG	$·var1(SB)
	RET

// Condition codes: SETcc and CMOVLcc in every spelling.
TEXT ·conds(SB),NOSPLIT,$0
	SETEQ	AL
	SETNE	BL
	SETLT	CL
	SETGE	DL
	SETLE	AH
	SETGT	BH
	SETCS	CH
	SETCC	DH
	SETHI	AL
	SETLS	AL
	SETMI	AL
	SETPL	AL
	SETOS	AL
	SETOC	AL
	SETPS	AL
	SETPC	(BX)
	CMOVLEQ	AX, BX
	CMOVLNE	(SI), CX
	CMOVLLT	DX, DI
	CMOVLGE	SI, SI
	CMOVLLE	AX, AX
	CMOVLGT	AX, AX
	CMOVLCS	AX, AX
	CMOVLCC	AX, AX
	CMOVLHI	AX, AX
	CMOVLLS	AX, AX
	CMOVLMI	AX, AX
	CMOVLPL	AX, AX
	CMOVLOS	AX, AX
	CMOVLOC	AX, AX
	CMOVLPS	AX, AX
	CMOVLPC	AX, AX
	RET

// Every conditional-jump spelling, short and near, forward and backward.
TEXT ·jumps(SB),NOSPLIT,$0
back:
	JEQ	back
	JNE	back
	JLT	back
	JGE	back
	JLE	back
	JGT	back
	JCS	back
	JCC	back
	JHI	back
	JLS	back
	JMI	back
	JPL	back
	JOS	back
	JOC	back
	JPS	back
	JPC	back
	JZ	back
	JNZ	back
	JLO	back
	JHS	back
	JA	back
	JAE	back
	JB	back
	JBE	back
	JC	back
	JE	back
	JG	back
	JL	back
	JNA	back
	JNAE	back
	JNB	back
	JNBE	back
	JNC	back
	JNG	back
	JNGE	back
	JNL	back
	JNLE	back
	JNO	back
	JNP	back
	JNS	back
	JO	back
	JP	back
	JPE	back
	JPO	back
	JS	back
	JMP	back
	JEQ	near
	JNE	near
	JMP	near
	JCXZL	short
	JEQ	short
short:
	JMP	2(PC)
	NOP
	JMP	0(PC)
	BIG40
	BIG40
	BIG40
near:
	JEQ	back
	JMP	back
	JNE	near
	JMP	-1(PC)
	RET

// Calls and indirect jumps.
TEXT ·calls(SB),NOSPLIT,$0
	CALL	·moves(SB)
	CALL	local<>(SB)
	CALL	runtime·external(SB)
	CALL	AX
	CALL	DI
	CALL	(BX)
	CALL	8(SP)
	CALL	*·var1(SB)
	JMP	AX
	JMP	(BX)(SI*4)
	JMP	·arith(SB)

// A frame: automatic SUBL/ADDL, FP and pseudo-SP offsets, pushes.
TEXT ·frame(SB),NOSPLIT,$24-16
	MOVL	a+0(FP), AX
	MOVL	b+4(FP), BX
	MOVL	AX, x-4(SP)
	MOVL	y-24(SP), CX
	MOVL	0(SP), DX
	LEAL	a+0(FP), SI
	MOVL	$b+4(FP), DI
	PUSHL	AX
	MOVL	a+0(FP), AX
	MOVL	x-4(SP), AX
	POPL	AX
	MOVL	AX, ret+8(FP)
	CMPL	AX, $0
	JEQ	done
	RET
done:
	MOVL	$1, ret+12(FP)
	RET

TEXT ·bigframe(SB),NOSPLIT,$128
	MOVL	x-4(SP), AX
	RET

TEXT ·nofp(SB),NOSPLIT|NOFRAME,$0-8
	MOVL	x+0(FP), AX
	RET

// Go's stack-split prologues: small, medium and large frames, WRAPPER, NEEDCTXT.
TEXT ·split0(SB),$0
	RET
TEXT ·split64(SB),$64-4
	MOVL	x+0(FP), AX
	RET
TEXT ·split1000(SB),0,$1000
	RET
TEXT ·split8000(SB),$8000
	RET
TEXT ·wrapper(SB),WRAPPER,$8
	RET
TEXT ·wrapnosplit(SB),WRAPPER|NOSPLIT,$0
	RET
TEXT ·ctxt(SB),NEEDCTXT,$4
	JMP	2(PC)
	RET
	RET

// Thread-local storage as Go's runtime uses it on Plan 9.
TEXT ·tls(SB),NOSPLIT,$0
	MOVL	TLS, AX
	MOVL	0(AX)(TLS*1), BX
	MOVL	CX, 0(AX)(TLS*1)
	MOVL	0(TLS), DX
	RET

// SSE, MMX and x87 bits.
TEXT ·media(SB),NOSPLIT,$0
	MOVL	AX, X0
	MOVL	X1, BX
	MOVL	(SI), X2
	MOVL	X3, 4(DI)
	MOVQ	X0, X1
	MOVQ	(SI), X2
	MOVQ	X3, (DI)
	MOVQ	(SI), M2
	MOVQ	M3, (DI)
	MOVSD	X0, X1
	MOVSD	(SI), X2
	MOVSD	X3, 8(SP)
	MOVSS	(AX), X0
	MOVUPS	(SI), X4
	MOVUPS	X5, (DI)
	MOVAPS	X6, X7
	MOVOU	(SI), X0
	MOVOU	X1, (DI)
	MOVO	X2, X3
	PXOR	X0, X0
	PXOR	(SI), X1
	XORPS	X2, X2
	ADDSD	X1, X0
	SUBSD	(SI), X0
	MULSD	X2, X3
	DIVSD	X4, X5
	FLDCW	(SI)
	FSTCW	2(SP)
	EMMS
	RET

TEXT local<>(SB),NOSPLIT,$0
	RET

DATA ·var1+0(SB)/4, $1
DATA ·var1+4(SB)/4, $·var1(SB)
DATA ·var1+8(SB)/2, $0x1234
DATA ·var1+10(SB)/1, $'z'
DATA ·var1+12(SB)/4, $"abc"
GLOBL ·var1(SB), RODATA, $16
GLOBL ·table(SB), NOPTR, $64
