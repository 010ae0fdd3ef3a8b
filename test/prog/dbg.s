// A program for the debugger tests (control.ts, the gdb stub):
//   bump() adds one to `counter` three times (a watchpoint's target);
//   pwrite(1, "ok\n") returns 3 in AX; then `pick` prints the letter
//   'A' + BX with BX set to 0 just before it (a debugger that sets BX
//   changes the output); with argv[1] "f" it then loads from address 0,
//   whose fault kills it.
#include "lib.s"

GLOBL	counter(SB), $4
DATA	okmsg<>+0(SB)/4, $"ok\n\x00"
GLOBL	okmsg<>(SB), $4
GLOBL	letter<>(SB), $4

TEXT bump(SB), 7, $0
	MOVL	counter(SB), AX
	INCL	AX
	MOVL	AX, counter(SB)
	RET

TEXT _main(SB), 7, $24
	MOVL	$0, counter(SB)
loop:
	CALL	bump(SB)
	CMPL	counter(SB), $3
	JLT	loop
	WRITE($1, $okmsg<>(SB), $3)
	MOVL	$0, BX
	CALL	pick(SB)
	MOVL	24(SP), AX	// argc
	CMPL	AX, $2
	JLT	done
	MOVL	$0, CX
	MOVL	0(CX), AX
done:
	CALL1(runtime·exits, $0)
	RET

TEXT pick(SB), 7, $24
	ADDL	$'A', BX
	MOVB	BX, letter<>+0(SB)
	MOVB	$'\n', letter<>+1(SB)
	WRITE($1, $letter<>(SB), $2)
	RET
