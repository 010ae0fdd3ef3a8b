// A compute-bound loop with no system calls: work() runs 22 instructions
// an iteration (four rounds of ADD, XOR, ADD, LEA, XOR, then DEC and JNE)
// for 10e6 iterations, 2.2e8 instructions; then _main exits(nil). A body
// this long keeps the figure about the code, not about where Unicorn's JIT
// puts a tight loop's back edge (a 5-instruction loop varies 900–2900
// MIPS with its address). The floor runs work()'s own bytes (bench/run.ts).
#define ROUND ADDL AX, DX; XORL $0x55, DX; ADDL $3, AX; LEAL (AX)(DX*1), BX; XORL BX, DX

TEXT _main(SB), 7, $0
	CALL	work(SB)
	MOVL	$0, 4(SP)
	MOVL	$8, AX
	INT	$64
	RET

TEXT work(SB), 7, $0
	MOVL	$10000000, CX
	MOVL	$1, AX
	MOVL	$0, DX
loop:
	ROUND
	ROUND
	ROUND
	ROUND
	DECL	CX
	JNE	loop
	RET
