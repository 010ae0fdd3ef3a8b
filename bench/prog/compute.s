// A compute-bound loop with no system calls: 5 instructions an iteration,
// 200e6 iterations (1e9 instructions), then exits(nil).
TEXT _main(SB), 7, $0
	MOVL	$200000000, CX
	MOVL	$1, AX
	MOVL	$0, DX
loop:
	ADDL	AX, DX
	XORL	$0x55, DX
	ADDL	$3, AX
	DECL	CX
	JNE	loop
	MOVL	$0, 4(SP)
	MOVL	$8, AX
	INT	$64
	RET
