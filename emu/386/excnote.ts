// The note a CPU exception becomes: 9front pc/trap.c (excname, fault386,
// debugexc) and pc/fpu.c (mathnote, matherror); 4e pc/trap.c
// and pc/main.c (its mathnote). The kernel appends " pc=..." when it
// delivers any sys: note (notify.ts).

import type { ExcState, Stop } from '../cpu/cpu.ts';
import type { Flavor } from '../port/dat.ts';

/** 9front pc/fpu.c mathmsg, by status bit (bit 0 is named below). */
const MATHMSG_9FRONT = ['', 'denormalized operand', 'division by zero', 'numeric overflow', 'numeric underflow', 'precision loss'];
/** 4e pc/main.c mathmsg, by status bit. */
const MATHMSG_4E = ['invalid', 'denormalized', 'div-by-zero', 'overflow', 'underflow', 'precision', 'stack', 'error'];

const hex = (v: number): string => (v >>> 0).toString(16);

/** The name of status's lowest bit set among names' from `first` on, as both mathnotes look. */
function lowest(status: number, names: readonly string[], first: number): string | undefined {
  for (let i = first; i < names.length; i++) if (status & (1 << i)) return names[i];
  return undefined;
}

/** 9front mathnote(status, pc). */
function mathnote9(status: number, pc: number): string {
  let msg = lowest(status, MATHMSG_9FRONT, 1) ?? 'unknown exception';
  if (status & 0x01) msg = status & 0x40 ? (status & 0x200 ? 'stack overflow' : 'stack underflow') : 'invalid operation';
  return `sys: fp: ${msg} fppc=0x${hex(pc)} status=0x${hex(status)}`;
}

/** 4e mathnote(): the lowest status bit set names it. */
function mathnote4e(status: number, pc: number): string {
  return `sys: fp: ${lowest(status, MATHMSG_4E, 0) ?? 'unknown'} fppc=0x${hex(pc)}`;
}

/**
 * The note text of a CPU exception. `state` reads Cpu.excState, only for
 * the exceptions whose note names it, as reading DR6 clears it (undefined:
 * the CPU cannot say).
 */
export function excnote(stop: Extract<Stop, { kind: 'trap' | 'fault' }>, flavor: Flavor, state: () => ExcState | undefined): string {
  if (stop.kind === 'fault') {
    const rw = stop.access === 'write' ? 'write' : 'read';
    return `sys: trap: fault ${rw} addr=0x${hex(stop.addr)}`;
  }
  switch (stop.vector) {
    case 0: return 'sys: trap: divide error';
    case 1: {
      // 9front's debugexc names DR6 (watchpoints go out as 'sys: watchpoint N', watchpt.ts).
      const st = flavor === '9front' ? state() : undefined;
      return st ? `sys: debug exception dr6=0x${hex(st.dr6).padStart(8, '0')}` : 'sys: trap: debug exception';
    }
    case 3: return 'sys: breakpoint';
    case 4: return 'sys: trap: overflow';
    case 5: return 'sys: trap: bounds check';
    case 6: return 'sys: trap: invalid opcode';
    case 7: return 'sys: trap: coprocessor not available';
    case 12: return 'sys: trap: stack exception';
    case 11: return 'sys: trap: segment not present';
    case 16: {
      // #MF: the x87 status word and the faulting x87 instruction's address (FIP), not the pc of the one that reported it.
      const st = state();
      if (!st) return 'sys: fp: unknown exception';
      return flavor === '9front' ? mathnote9(st.fsw, st.fip) : mathnote4e(st.fsw, st.fip);
    }
    case 17: return 'sys: trap: alignment check';
    case 19: return 'sys: fp: unknown exception';  // #XM: never raised by Unicorn 2.0.1 (docs/unicorn.md)
    default: return 'sys: trap: general protection violation';
  }
}
