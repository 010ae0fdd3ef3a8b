// Code run from data, bss and the stack, and rewritten there. Plan 9 386
// has no no-execute bit, so all of it must work; p9emu maps these segments
// without exec for fast stores and grants it on the first fetch
// (AddressSpace.execfault). The rewrite checks that a store into code that
// already ran is still seen (the stale translation is dropped).
// Prints "7 9 7 5\n".
#include "lib.s"

// MOVL $7, AX; RET
DATA	tmpl<>+0(SB)/8, $"\xb8\x07\x00\x00\x00\xc3\x00\x00"
GLOBL	tmpl<>(SB), $8
GLOBL	code<>(SB), $64
DATA	space<>+0(SB)/4, $" \x00\x00\x00"
GLOBL	space<>(SB), $4

// show(): print the digit in AX and a space.
TEXT show(SB), 7, $8
	CALL	printd(SB)
	CALL1(print, $space<>(SB))
	RET

TEXT _main(SB), 7, $36
	// data: the template itself
	MOVL	$tmpl<>(SB), BX
	CALL	BX
	CALL	show(SB)
	// bss: a copy, run, then its immediate rewritten and run again
	MOVL	tmpl<>+0(SB), AX
	MOVL	AX, code<>+0(SB)
	MOVL	tmpl<>+4(SB), AX
	MOVL	AX, code<>+4(SB)
	MOVL	$code<>(SB), BX
	CALL	BX
	MOVB	$9, code<>+1(SB)
	CALL	BX
	CALL	show(SB)
	// stack: a copy in this frame
	MOVL	tmpl<>+0(SB), AX
	MOVL	AX, 24(SP)
	MOVL	tmpl<>+4(SB), AX
	MOVL	AX, 28(SP)
	LEAL	24(SP), BX
	CALL	BX
	CALL	show(SB)
	MOVB	$5, 25(SP)
	LEAL	24(SP), BX
	CALL	BX
	CALL	printd(SB)
	CALL1(print, $nl<>(SB))
	CALL1(runtime·exits, $0)
	RET
