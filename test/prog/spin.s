// A runaway guest: a process and an RFMEM child that spin without ever
// entering the kernel.
#include "lib.s"
TEXT _main(SB), 7, $8
	CALL1(runtime·rfork, $0x30)
loop:
	JMP	loop
