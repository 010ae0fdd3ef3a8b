// init: the demo's shell. Like rc it survives "interrupt" (its handler
// continues), waits for its children and prints each wait message as
// "init: wait: <pid> <times> '<name> <pid>: <status>'", and exits when
// await says it has no living children. Any other note kills it.

#include "../asm/sys_plan9_386.s"
#include "common/string.s"

// void handler(void *ureg, byte *note)
// noted(NCONT) for "interrupt", noted(NDFLT) for anything else.
TEXT inithandler<>(SB),7,$8-8
	MOVL	note+4(FP), AX
	MOVL	AX, 0(SP)
	MOVL	$interrupt<>(SB), AX
	MOVL	AX, 4(SP)
	CALL	runtime·strcmp(SB)
	CMPL	AX, $0
	JNE	ih_die
	MOVL	$0, 0(SP)
	CALL	runtime·noted(SB)
ih_die:
	MOVL	$1, 0(SP)
	CALL	runtime·noted(SB)
	RET

// main: notify(handler); then for(;;): n = await(buf+12, 128); on
// failure, "interrupted" means try again and anything else (no living
// children) means exits(nil); on success write the line.
TEXT _main(SB),7,$180
	MOVL	$inithandler<>(SB), AX
	MOVL	AX, 0(SP)
	CALL	runtime·notify(SB)
init_loop:
	LEAL	32(SP), DI		// line[144] at 20(SP): "init: wait: " then the message
	MOVL	DI, 0(SP)
	MOVL	$130, 4(SP)
	CALL	runtime·await(SB)
	CMPL	AX, $0
	JLT	init_err
	MOVL	AX, 16(SP)
	MOVL	$waitprefix<>(SB), SI
	LEAL	20(SP), DI
	MOVL	$12, CX
	CLD
	REP;	MOVSB
	MOVL	16(SP), AX
	MOVB	$10, 32(SP)(AX*1)
	ADDL	$13, AX
	MOVL	$1, 0(SP)
	LEAL	20(SP), CX
	MOVL	CX, 4(SP)
	MOVL	AX, 8(SP)
	MOVL	$-1, 12(SP)
	MOVL	$-1, 16(SP)
	CALL	runtime·pwrite(SB)
	JMP	init_loop
init_err:
	LEAL	20(SP), AX
	MOVL	AX, 0(SP)
	MOVL	$128, 4(SP)
	CALL	runtime·errstr(SB)
	LEAL	20(SP), AX
	MOVL	AX, 0(SP)
	MOVL	$interrupted<>(SB), AX
	MOVL	AX, 4(SP)
	CALL	runtime·strcmp(SB)
	CMPL	AX, $0
	JEQ	init_loop
	MOVL	$0, 0(SP)
	CALL	runtime·exits(SB)
	RET

DATA	interrupt<>+0(SB)/8, $"interrup"
DATA	interrupt<>+8(SB)/8, $"t\x00\x00\x00\x00\x00\x00\x00"
GLOBL	interrupt<>(SB), $16
DATA	interrupted<>+0(SB)/8, $"interrup"
DATA	interrupted<>+8(SB)/8, $"ted\x00\x00\x00\x00\x00"
GLOBL	interrupted<>(SB), $16
DATA	waitprefix<>+0(SB)/8, $"init: wa"
DATA	waitprefix<>+8(SB)/8, $"it: \x00\x00\x00\x00"
GLOBL	waitprefix<>(SB), $16
