// Run a test program linked with the 2012 runtime of runtime/after or
// runtime/before: the runtime's files plus a main·main given as source.

import { run, type RunResult } from '../../emu/run.ts';
import { unicornMachine } from '../../emu/cpu/machine.ts';
import { BufferConsole } from '../../emu/port/console.ts';
import type { TraceEvent } from '../../emu/trace/trace.ts';
import { assembleRuntime } from '../../emu/demo/demo.ts';

export function linked(variant: 'after' | 'before', main: string, defines = ''): string {
  return `${defines}
#include "../common/os_plan9.h"
#include "../../asm/sys_plan9_386.s"
#include "../common/rt0_plan9_386.s"
#include "../common/asm_386.s"
#include "../common/string.s"
#include "../common/runtime.s"
#include "../common/proc.s"
#include "thread_plan9.s"
${main}
`;
}

export function image(variant: 'after' | 'before', main: string, defines = ''): Uint8Array {
  return assembleRuntime(`${variant}/test.s`, linked(variant, main, defines));
}

export interface Ran extends RunResult {
  stdout: string;
  events: TraceEvent[];
}

export async function runMain(variant: 'after' | 'before', main: string, defines = ''): Promise<Ran> {
  const cons = new BufferConsole('');
  const events: TraceEvent[] = [];
  const r = await run(image(variant, main, defines), {
    machine: unicornMachine(),
    console: cons,
    name: 'test',
    trace: { cats: ['sys', 'notes', 'proc'], sink: (e) => events.push(e) },
    brkmax: 1 << 20,
  });
  return { ...r, stdout: Buffer.concat(cons.out).toString('latin1'), events };
}

/** Source of a helper that writes n bytes at p to fd 1. */
export const PUT = `
TEXT put<>(SB),7,$12-8
	MOVL	$1, 0(SP)
	MOVL	p+0(FP), AX
	MOVL	AX, 4(SP)
	MOVL	n+4(FP), AX
	MOVL	AX, 8(SP)
	CALL	runtime·write(SB)
	RET
`;
