// String helpers of the 2012 runtime (string.goc).

// int32 findnull(byte *s)
// The length of the NUL-terminated string s; 0 for a nil s.
TEXT runtime·findnull(SB),7,$0-4
	MOVL	s+0(FP), CX
	MOVL	$0, AX
	CMPL	CX, $0
	JEQ	fn_ret
fn_loop:
	MOVBLZX	0(CX)(AX*1), DX
	CMPL	DX, $0
	JEQ	fn_ret
	INCL	AX
	JMP	fn_loop
fn_ret:
	RET

// int32 strcmp(byte *s1, byte *s2)
// Compare byte by byte as unsigned chars: <0, 0 or >0.
TEXT runtime·strcmp(SB),7,$0-8
	MOVL	s1+0(FP), CX
	MOVL	s2+4(FP), DX
sc_loop:
	MOVBLZX	0(CX), AX
	PUSHL	BX
	MOVBLZX	0(DX), BX
	SUBL	BX, AX
	POPL	BX
	JNE	sc_ret
	MOVBLZX	0(CX), AX
	CMPL	AX, $0
	JEQ	sc_ret
	INCL	CX
	INCL	DX
	JMP	sc_loop
sc_ret:
	RET
