// /proc/N/watchpt (9front): watchpoints through /proc, raised as 9front's
// debug exception raises them. Each hit goes to the handler, which prints
// the note, the Ureg's trap and its pc as an offset from the function that
// made the access, then clears the watchpoints (OTRUNC) and continues.
//   1. -w- on var, set by the process on itself: a store; pc after it
//   2. a list of two, rw- second: a load hits watchpoint 1
//   3. --x on xfn: pc is xfn itself, xfn not yet run; it runs after
//   4. -w- on var, written by the kernel: a pread into var; the note goes
//      out as the call returns, trap 64, pc after the INT in pread
//   5. a child (no handler) whose watchpoint its parent sets through
//      /proc/2/watchpt dies of the note: the parent prints its wait record
#include "lib.s"
#define CALL5(fn, a, b, c, d, e) MOVL a, 0(SP); MOVL b, 4(SP); MOVL c, 8(SP); MOVL d, 12(SP); MOVL e, 16(SP); CALL fn(SB)

TEXT _main(SB), 7, $32
	CALL1(runtime·notify, $handler(SB))
	MOVL	$store(SB), base<>(SB)
	CALL5(watch, $1, $wo<>(SB), $var<>(SB), $4, $0)
	CALL	store(SB)
	MOVL	$load(SB), base<>(SB)
	CALL5(watch, $1, $xo<>(SB), $xfn(SB), $1, $0)
	CALL5(watch, $1, $rw<>(SB), $var<>(SB), $4, $17)
	CALL	load(SB)
	MOVL	$xfn(SB), base<>(SB)
	CALL5(watch, $1, $xo<>(SB), $xfn(SB), $1, $0)
	CALL	xfn(SB)
	MOVL	$runtime·pread(SB), base<>(SB)
	CALL5(watch, $1, $wo<>(SB), $var<>(SB), $4, $0)
	CALL2(runtime·open, $wpath<>(SB), $0)
	PREAD(AX, $var<>(SB), $4, $0)
	// 5: the child waits for its parent to set the watchpoint.
	CALL1(runtime·rfork, $0x14)		// RFPROC|RFFDG
	CMPL	AX, $0
	JEQ	child
	CALL5(watch, AX, $wo<>(SB), $var<>(SB), $4, $0)
	CALL2(rendezvous, $7, $0)
	CALL	wait(SB)
	CALL1(runtime·exits, $0)
child:
	CALL1(runtime·notify, $0)
	CALL2(rendezvous, $7, $0)
	CALL	store(SB)
	CALL1(print, $survived<>(SB))
	CALL1(runtime·exits, $0)

// The watched accesses, each the first instruction of its function.
TEXT store(SB), 7, $0
	MOVL	$1, var<>(SB)
	RET

TEXT load(SB), 7, $0
	MOVL	var<>(SB), AX
	RET

TEXT xfn(SB), 7, $8
	CALL1(print, $xran<>(SB))
	RET

// watch(pid, type, addr, len, off): write "TYPE 0xADDR LEN\n" (17 bytes)
// at off in /proc/pid/watchpt (pid < 10, len one digit).
TEXT watch(SB), 7, $24
	MOVL	28(SP), AX
	ADDL	$'0', AX
	MOVB	AL, wpath<>+6(SB)
	MOVL	32(SP), AX
	MOVL	0(AX), AX
	MOVL	AX, line<>+0(SB)
	MOVL	36(SP), AX
	MOVL	$line<>+4(SB), DI
	CALL	hex(SB)
	MOVL	40(SP), AX
	ADDL	$'0', AX
	MOVB	AL, line<>+15(SB)
	CALL2(runtime·open, $wpath<>(SB), $1)
	MOVL	AX, SI
	MOVL	44(SP), CX
	PWRITE(SI, $line<>(SB), $17, CX)
	CALL1(runtime·close, SI)
	RET

// hex: "0x" and AX in 8 hex digits at DI.
TEXT hex(SB), 7, $0
	MOVB	$'0', 0(DI)
	MOVB	$'x', 1(DI)
	MOVL	$9, CX
hexloop:
	MOVL	AX, BX
	ANDL	$15, BX
	MOVB	digits<>(SB)(BX*1), BL
	MOVB	BL, 0(DI)(CX*1)
	SHRL	$4, AX
	DECL	CX
	CMPL	CX, $1
	JNE	hexloop
	RET

// handler(ureg, note): print "NOTE trap T pc +0xOFF", clear the list, continue.
TEXT handler(SB), 7, $24
	MOVL	32(SP), AX
	CALL1(print, AX)
	CALL1(print, $trap<>(SB))
	MOVL	28(SP), BX
	MOVL	48(BX), AX		// Ureg.trap, in decimal (1 or 64)
	MOVL	$0, DX
	MOVL	$10, CX
	DIVL	CX
	MOVL	DX, rem<>(SB)
	CMPL	AX, $0
	JEQ	2(PC)
	CALL	printd(SB)
	MOVL	rem<>(SB), AX
	CALL	printd(SB)
	CALL1(print, $pc<>(SB))
	MOVL	28(SP), BX
	MOVL	56(BX), AX		// Ureg.pc
	SUBL	base<>(SB), AX
	MOVL	$hbuf<>(SB), DI
	CALL	hex(SB)
	CALL1(print, $hbuf<>(SB))
	CALL1(print, $nl<>(SB))
	MOVB	$'1', wpath<>+6(SB)
	CALL2(runtime·open, $wpath<>(SB), $0x11)	// /proc/1/watchpt, OWRITE|OTRUNC: no watchpoints
	CALL1(runtime·close, AX)
	CALL1(runtime·noted, $0)
	RET

GLOBL	var<>(SB), $8
GLOBL	base<>(SB), $4
DATA	wpath<>+0(SB)/8, $"/proc/0/"
DATA	wpath<>+8(SB)/8, $"watchpt\x00"
GLOBL	wpath<>(SB), $16
DATA	wo<>+0(SB)/4, $"-w- "
GLOBL	wo<>(SB), $4
DATA	rw<>+0(SB)/4, $"rw- "
GLOBL	rw<>(SB), $4
DATA	xo<>+0(SB)/4, $"--x "
GLOBL	xo<>(SB), $4
DATA	line<>+14(SB)/1, $" "
DATA	line<>+16(SB)/1, $"\n"
GLOBL	line<>(SB), $20
GLOBL	hbuf<>(SB), $12
GLOBL	rem<>(SB), $4
DATA	digits<>+0(SB)/8, $"01234567"
DATA	digits<>+8(SB)/8, $"89abcdef"
GLOBL	digits<>(SB), $16
DATA	trap<>+0(SB)/8, $" trap \x00\x00"
GLOBL	trap<>(SB), $8
DATA	pc<>+0(SB)/8, $" pc +\x00\x00\x00"
GLOBL	pc<>(SB), $8
DATA	xran<>+0(SB)/8, $"xfn ran\n"
DATA	xran<>+8(SB)/8, $"\x00\x00\x00\x00\x00\x00\x00\x00"
GLOBL	xran<>(SB), $16
DATA	survived<>+0(SB)/8, $"survived"
DATA	survived<>+8(SB)/8, $"\n\x00\x00\x00\x00\x00\x00\x00"
GLOBL	survived<>(SB), $16
