// Calls to a function on another page: _main's loop CALLs far() 1e7
// times, then exits(nil). Each iteration is 5 instructions (CALL, ADDL,
// RET, DECL, JNE); pad() keeps far() 4 KiB away from the loop, as a Go
// function's callees mostly are. The RET is an indirect jump, which
// Unicorn resolves through helper_lookup_tb_ptr every time; a direct
// CALL to another page did the same until pagechain.ts.
#define B8 BYTE $0x90; BYTE $0x90; BYTE $0x90; BYTE $0x90; BYTE $0x90; BYTE $0x90; BYTE $0x90; BYTE $0x90
#define B64 B8; B8; B8; B8; B8; B8; B8; B8
#define B512 B64; B64; B64; B64; B64; B64; B64; B64

TEXT _main(SB), 7, $0
	MOVL	$10000000, CX
loop:
	CALL	far(SB)
	DECL	CX
	JNE	loop
	MOVL	$0, 4(SP)
	MOVL	$8, AX	// exits(nil)
	INT	$64
	RET

TEXT pad(SB), 7, $0
	B512; B512; B512; B512; B512; B512; B512; B512
	RET

TEXT far(SB), 7, $0
	ADDL	$1, AX
	RET
