// System-call behaviours, chosen by argv[1][0]:
//   b  an unassigned call number (48)
//   a  pwrite from an unmapped buffer
//   e  a failing open, then errstr twice (the swap: the second read is empty)
//   s  semaphores: tsemacquire times out, semrelease, semacquire (blocking
//      and not); prints the results as digits
//   w  await with no children
//   r  brk_: grow the bss, touch it, and ask for far too much
//   t  sleep(30) takes at least 30 ms by nsec
#include "lib.s"

DATA	nopath<>+0(SB)/8, $"/nonexis"
DATA	nopath<>+8(SB)/8, $"tent\x00\x00\x00\x00"
GLOBL	nopath<>(SB), $16
GLOBL	sem<>(SB), $4
GLOBL	t0<>(SB), $8
GLOBL	t1<>(SB), $8
DATA	slow<>+0(SB)/8, $"too fast"
GLOBL	slow<>(SB), $8

TEXT _main(SB), 7, $24
	MOVL	32(SP), AX
	MOVBLZX	0(AX), AX
	CMPL	AX, $'b'
	JEQ	badcall
	CMPL	AX, $'a'
	JEQ	badaddr
	CMPL	AX, $'e'
	JEQ	errs
	CMPL	AX, $'s'
	JEQ	semas
	CMPL	AX, $'w'
	JEQ	await
	CMPL	AX, $'r'
	JEQ	brk
	CMPL	AX, $'t'
	JEQ	sleep
	RET

badcall:
	MOVL	$48, AX
	INT	$64
	CALL1(runtime·exits, $0)

badaddr:
	WRITE($1, $0x10, $4)
	CALL1(runtime·exits, $0)

errs:
	CALL2(runtime·open, $nopath<>(SB), $0)
	CALL	printd(SB)
	CALL	printerr(SB)
	CALL	printerr(SB)
	CALL1(runtime·exits, $0)

semas:
	CALL2(runtime·plan9_tsemacquire, $sem<>(SB), $30)
	CALL	printd(SB)
	CALL2(runtime·plan9_semrelease, $sem<>(SB), $2)
	CALL	printd(SB)
	CALL2(runtime·plan9_semacquire, $sem<>(SB), $1)
	CALL	printd(SB)
	CALL2(runtime·plan9_semacquire, $sem<>(SB), $1)
	CALL	printd(SB)
	CALL2(runtime·plan9_semacquire, $sem<>(SB), $0)
	CALL	printd(SB)
	CALL1(runtime·exits, $0)

await:
	CALL2(runtime·await, $pbuf<>(SB), $64)
	CALL	printd(SB)
	CALL	printerr(SB)
	CALL1(runtime·exits, $0)

brk:
	CALL1(runtime·brk_, $0)
	MOVL	AX, BX			// the bss base
	LEAL	0x10000(BX), CX
	CALL1(runtime·brk_, CX)
	CALL	printd(SB)
	MOVL	$0x5a, 0xfff0(BX)	// now mapped
	CALL1(runtime·brk_, $0xc0000000)
	CALL	printd(SB)
	CALL	printerr(SB)
	CALL1(runtime·exits, $0)

sleep:
	CALL1(runtime·nsec, $t0<>(SB))
	CALL1(runtime·sleep, $30)
	CALL	printd(SB)
	CALL1(runtime·nsec, $t1<>(SB))
	MOVL	t1<>(SB), AX
	SUBL	t0<>(SB), AX		// low words suffice for 30 ms
	CMPL	AX, $30000000
	JCS	tooquick
	CALL1(runtime·exits, $0)
tooquick:
	CALL1(runtime·exits, $slow<>(SB))
