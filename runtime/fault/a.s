// Program A linked with the after runtime, with worker M 2 dereferencing
// nil at its second line. Run alone: p9emu run runtime/fault/a.s
#define FAULT
#include "../common/os_plan9.h"
#include "../../asm/sys_plan9_386.s"
#include "../common/rt0_plan9_386.s"
#include "../common/asm_386.s"
#include "../common/string.s"
#include "../common/runtime.s"
#include "../common/proc.s"
#include "../after/thread_plan9.s"
#include "../prog/a.s"
