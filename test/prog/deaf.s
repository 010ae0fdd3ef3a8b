// Survives notes: installs a handler that prints "note" and continues
// (noted NCONT), prints "ready", then spins without system calls. Only a
// kill ends it. With any argument: no handler (a note kills it).
#include "lib.s"
DATA	ready<>+0(SB)/8, $"ready\n\x00\x00"
GLOBL	ready<>(SB), $8
DATA	note<>+0(SB)/8, $"note\n\x00\x00\x00"
GLOBL	note<>(SB), $8

TEXT _main(SB), 7, $8
	CMPL	8(SP), $1	// argc
	JGT	bare
	CALL1(runtime·notify, $handler(SB))
bare:
	CALL1(print, $ready<>(SB))
loop:
	JMP	loop

TEXT handler(SB), 7, $8
	CALL1(print, $note<>(SB))
	CALL1(runtime·noted, $0)
	RET
