// p9emu's library API: what `import { ... } from 'p9emu'` gives
// (docs/api.md). Everything here is the published surface; the rest of
// the tree is internal.

export { assemble, load, stubsDir, ProgramError, type Program, type Symbol, type AssembleOptions } from './program.ts';
export { boot, Guest } from './guest.ts';
export type { BootOptions } from './options.ts';
export type {
  RunResult, SyscallContext, SyscallHook, SyscallOverride, CodeContext, MemoryRange, MemoryAccess,
} from './shapes.ts';
export type { Until, Stop } from './until.ts';
export type { Snapshot } from './snapshot.ts';
export { checkAbi, type AbiOptions } from './abi.ts';
export type { AllRegs, FpRegs, RegChange } from '../emu/debug/regs.ts';
export type { Regs, Reg } from '../emu/cpu/cpu.ts';
export type {
  TraceEvent, SysEvent, SysEnterEvent, NoteEvent, ProcEvent, FaultEvent, InsnEvent, SysArg, NoteWhat, ProcWhat,
} from '../emu/trace/event.ts';
export type { StubReport, ArgRead } from '../emu/abi/check.ts';
