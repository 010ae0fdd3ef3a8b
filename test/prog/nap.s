// Sleep 2^31-1 ms (24.8 days), the longest sleep(2) takes, then exit:
// a run that ends at all did not wait on the host clock.
#include "lib.s"

TEXT _main(SB), 7, $8
	CALL1(runtime·sleep, $0x7fffffff)
	CALL1(runtime·exits, $0)
