// Constants of the 2012 os_plan9.h, the Plan 9 386 "TLS" macros of the
// 2012 zasm_plan9_386.h, and the layout of the demo's minimal M.

#define OREAD		0
#define OWRITE		1
#define NCONT		0	/* continue after note */
#define NDFLT		1	/* terminate after note */
#define RFPROC		16
#define RFMEM		32
#define RFNOWAIT	64
#define ERRMAX		128

// Tos.pid (facts §9); rewritten by the kernel at every return to user mode.
#define tos_pid		48

// Per-process storage: m and g live in the two words just below Tos,
// in the stack segment, which every process has to itself even with
// RFMEM (facts §7). rt0 makes room for them.
#define get_tls(r)	MOVL _tos(SB), r
#define g(r)		-8(r)
#define m(r)		-4(r)

// struct M, only what this model needs.
#define m_procid	0
#define m_alllink	4
#define m_id		8
#define m_g0		12
#define MSIZE		16

// Stacks of the worker Ms and of the main goroutine, in bss (shared with
// RFMEM), as the 2012 runtime's stacks came from its heap.
#define STKSIZE		16384
