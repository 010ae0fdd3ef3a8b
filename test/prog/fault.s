// Take the CPU exception named by argv[1][0] with no note handler, so the
// kernel's note kills the process:
//   r read 0   w write 0   d divide by zero   u invalid opcode
//   g HLT (privileged)   b INT3   x jump to unmapped memory   i INT $0x21
//   o OUTB (I/O at IOPL 0)   e SYSENTER   s SYSCALL   k ICEBP
//   z x87 1/0 (Plan 9's control word leaves it unmasked)
//   t EFLAGS.TF set by POPFL: a single step
TEXT _main(SB), 7, $0
	MOVL	8(SP), AX	// argv[1]
	MOVBLZX	0(AX), AX
	CMPL	AX, $'r'
	JEQ	rd
	CMPL	AX, $'w'
	JEQ	wr
	CMPL	AX, $'d'
	JEQ	div
	CMPL	AX, $'u'
	JEQ	ud
	CMPL	AX, $'g'
	JEQ	gp
	CMPL	AX, $'b'
	JEQ	bp
	CMPL	AX, $'x'
	JEQ	nx
	CMPL	AX, $'i'
	JEQ	intn
	CMPL	AX, $'o'
	JEQ	out
	CMPL	AX, $'e'
	JEQ	sysenter
	CMPL	AX, $'s'
	JEQ	syscall
	CMPL	AX, $'k'
	JEQ	icebp
	CMPL	AX, $'z'
	JEQ	fpzero
	CMPL	AX, $'t'
	JEQ	step
	RET
rd:
	CALL	rdfault(SB)
	RET
wr:
	MOVL	$0, BX
	MOVL	AX, 0(BX)
	RET
div:
	MOVL	$0, CX
	MOVL	$1, AX
	MOVL	$0, DX
	DIVL	CX
	RET
ud:
	BYTE	$0x0f; BYTE $0x0b
	RET
gp:
	HLT
	RET
bp:
	BYTE	$0xcc
	RET
nx:
	MOVL	$0x10, AX
	JMP	AX
intn:
	INT	$0x21
	RET
out:
	MOVL	$0x80, DX
	BYTE	$0xee	// OUTB AL, DX
	RET
sysenter:
	MOVL	$1, AX
	MOVL	$2, CX
	BYTE	$0x0f; BYTE $0x34
	RET
syscall:
	MOVL	$1, AX
	BYTE	$0x0f; BYTE $0x05
	RET
icebp:
	BYTE	$0xf1
	RET
fpzero:
	CALL	fpzerofault(SB)
	RET
step:
	CALL	stepfault(SB)
	RET

// rdfault: the load from address 0 is its second instruction, 5 bytes in
// (after MOVL $0, BX: BB 00 00 00 00), where the note's pc must point.
TEXT rdfault(SB), 7, $0
	MOVL	$0, BX
	MOVL	0(BX), AX
	RET

// fpzerofault: FLD1; FLDZ; FDIVP (1/0) at +4, then FWAIT at +6, where the
// #MF is taken; fppc names the FDIVP.
TEXT fpzerofault(SB), 7, $0
	BYTE	$0xd9; BYTE $0xe8	// FLD1
	BYTE	$0xd9; BYTE $0xee	// FLDZ
	BYTE	$0xde; BYTE $0xf9	// FDIVP
	BYTE	$0x9b			// FWAIT
	RET

// stepfault: TF on by the POPFL at +8; the #DB comes after the next
// instruction, the XCHGL at +9, so the note's pc is +10.
TEXT stepfault(SB), 7, $0
	PUSHFL
	ORL	$0x100, 0(SP)
	POPFL
	BYTE	$0x90			// XCHGL AX, AX
	BYTE	$0x90
	RET
