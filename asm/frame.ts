// What Go's assembler adds around a hand-written 386 function
// (cmd/internal/obj/x86/obj6.go: progedit, preprocess, stacksplit, loadG):
//
//   - a stack-split check unless the function is NOSPLIT, calling
//     runtime.morestack_noctxt (runtime.morestack if NEEDCTXT) from a block
//     at the end of the function;
//   - `SUBL $frame, SP` on entry and `ADDL $frame, SP` before each RET;
//   - the WRAPPER panic-argp adjustment;
//   - rewriting x+0(FP) and y-4(SP) to hardware-SP offsets, tracking
//     PUSHL/POPL so the offsets stay right after pushes.
//
// We reproduce these byte for byte; the stack check refers to `_privates`
// and `runtime.morestack*`, which the program must then define.

import { REG_AX, REG_BX, REG_CX, REG_DI, REG_SP, REG_TLS, isGPR } from './arch.ts';
import { emptyAddr, newProg, type Addr, type Prog } from './prog.ts';
import type { TextSym } from './parse.ts';

export const NOSPLIT = 4;
export const WRAPPER = 32;
export const NEEDCTXT = 64;
const STACK_SMALL = 128; // Go's objabi.StackSmall
const STACK_BIG = 4096; // objabi.StackBig

const reg = (r: number): Addr => ({ ...emptyAddr(), type: 'reg', reg: r });
const con = (v: number): Addr => ({ ...emptyAddr(), type: 'const', offset: v });
const mem = (base: number, off: number): Addr => ({ ...emptyAddr(), type: 'mem', reg: base, offset: off });
const branchTo = (target: Prog | null, sym: string | null = null): Addr => ({ ...emptyAddr(), type: 'branch', target, sym, name: sym ? 'extern' : 'none' });

/** Per-instruction rewrites Go applies before layout (obj6.go progedit, Plan 9 386 case). */
export function progedit(progs: Prog[]): Prog[] {
  const out: Prog[] = [];
  for (const p of progs) {
    out.push(p);
    // MOVL off(TLS), R  →  MOVL TLS, R; MOVL off(R)(TLS*2), R  (Plan 9 cannot use one-instruction TLS).
    if (p.as === 'MOVL' && p.from.type === 'mem' && p.from.reg === REG_TLS && p.to.type === 'reg' && isGPR(p.to.reg)) {
      const q = newProg('MOVL', p.file, p.line);
      q.from = { ...p.from, reg: p.to.reg, index: REG_TLS, scale: 2 };
      q.to = { ...p.to };
      p.from = reg(REG_TLS);
      out.push(q);
    }
    for (const a of [p.from, p.to]) if (a.index === REG_TLS && a.scale === 1) a.scale = 2;
    if ((p.as === 'CALL' || p.as === 'JMP' || p.as === 'RET') && p.to.type === 'mem' && (p.to.name === 'extern' || p.to.name === 'static') && p.to.sym)
      p.to.type = 'branch';
    // MOVL $x+0(FP), R is really LEAL.
    if (p.as === 'MOVL' && p.from.type === 'addr' && p.from.name !== 'extern' && p.from.name !== 'static') {
      p.as = 'LEAL';
      p.from.type = 'mem';
    }
  }
  return out;
}

/**
 * Go's linkpatch/brloop (cmd/internal/obj/pass.go): a branch to an
 * unconditional JMP goes straight to that JMP's final destination, and a
 * branch into an endless chain of JMPs becomes a jump to itself. This
 * changes the bytes, so we must do it too.
 */
export function threadJumps(progs: Prog[]): Prog[] {
  const brloop = (p: Prog): Prog | null => {
    let q: Prog | null | undefined = p;
    for (let c = 0; q; q = q.to.target) {
      if (q.as !== 'JMP' || !q.to.target || q.to.type !== 'branch') return q;
      if (++c >= 5000) return null;
    }
    return null;
  };
  for (const p of progs) {
    if (p.to.type === 'branch' && p.to.target) p.to.target = brloop(p.to.target) ?? p;
  }
  return progs;
}

/** Go's ADJSP: SUBL/ADDL on SP, flipping sign when that gives the shorter $-128 form (asm6.go span6). */
function adjsp(p: Prog, v: number): void {
  p.from = emptyAddr();
  p.to = reg(REG_SP);
  p.spadj = v;
  if (v === 0x80 || (v < 0 && v !== -0x80)) {
    p.as = 'ADDL';
    p.from = con(-v);
  } else {
    p.as = 'SUBL';
    p.from = con(v);
  }
}

/** Add prologue, epilogue and stack check to fn.progs and rewrite pseudo-register offsets. Throws on unbalanced PUSH/POP. */
export function preprocess(fn: TextSym): Prog[] {
  const at = (as: string, from: Addr, to: Addr): Prog => {
    const p = newProg(as, fn.file, fn.line);
    p.from = from;
    p.to = to;
    return p;
  };
  const body = threadJumps(progedit(fn.progs));
  const autoffset = Math.max(fn.frame, 0);
  const pro: Prog[] = [];
  const tail: Prog[] = [];
  const loadG = () => {
    pro.push(at('MOVL', reg(REG_TLS), reg(REG_CX)));
    pro.push(at('MOVL', { ...mem(REG_CX, 0), index: REG_TLS, scale: 2 }, reg(REG_CX)));
  };
  let end: Prog | null = null;
  if (!(fn.flags & NOSPLIT)) {
    loadG();
    let jcs: Prog | null = null;
    if (autoffset <= STACK_SMALL) {
      pro.push(at('CMPL', reg(REG_SP), mem(REG_CX, 8))); // g.stackguard0
    } else if (autoffset <= STACK_BIG) {
      pro.push(at('LEAL', mem(REG_SP, -(autoffset - STACK_SMALL)), reg(REG_AX)));
      pro.push(at('CMPL', reg(REG_AX), mem(REG_CX, 8)));
    } else {
      pro.push(at('MOVL', reg(REG_SP), reg(REG_AX)));
      pro.push(at('SUBL', con(autoffset - STACK_SMALL), reg(REG_AX)));
      jcs = at('JCS', emptyAddr(), branchTo(null));
      pro.push(jcs);
      pro.push(at('CMPL', reg(REG_AX), mem(REG_CX, 8)));
    }
    const jls = at('JLS', emptyAddr(), branchTo(null));
    pro.push(jls);
    const morestack = fn.flags & NEEDCTXT ? 'runtime.morestack' : 'runtime.morestack_noctxt';
    const call = at('CALL', emptyAddr(), branchTo(null, morestack));
    jls.to.target = call;
    if (jcs) jcs.to.target = call;
    const back = at('JMP', emptyAddr(), branchTo(pro[0]!));
    tail.push(call, back);
  } else if (fn.flags & WRAPPER) {
    loadG();
  }
  if (autoffset !== 0) {
    const p = newProg('ADJSP', fn.file, fn.line);
    adjsp(p, autoffset);
    pro.push(p);
  }
  if (fn.flags & WRAPPER) {
    // if g._panic != nil && g._panic.argp == FP { g._panic.argp = bottom-of-frame }
    end = newProg('NOP', fn.file, fn.line);
    pro.push(at('MOVL', mem(REG_CX, 16), reg(REG_BX))); // g._panic
    pro.push(at('TESTL', reg(REG_BX), reg(REG_BX)));
    const lea = at('LEAL', mem(REG_SP, autoffset + 4), reg(REG_DI));
    pro.push(at('JNE', emptyAddr(), branchTo(lea)));
    pro.push(end);
    tail.push(lea);
    tail.push(at('CMPL', mem(REG_BX, 0), reg(REG_DI))); // panic.argp
    tail.push(at('JNE', emptyAddr(), branchTo(end)));
    tail.push(at('MOVL', reg(REG_SP), mem(REG_BX, 0)));
    tail.push(at('JMP', emptyAddr(), branchTo(end)));
  }
  const all = [...pro, ...body, ...tail];
  return fixOffsets(all, autoffset, fn);
}

const pushSize: ReadonlyMap<string, number> = new Map([
  ['PUSHL', 4],
  ['PUSHFL', 4],
  ['PUSHW', 2],
  ['PUSHFW', 2],
  ['POPL', -4],
  ['POPFL', -4],
  ['POPW', -2],
  ['POPFW', -2],
]);

/** Turn FP/pseudo-SP references into SP offsets and expand RET into ADDL+RET (obj6.go preprocess, second loop). */
function fixOffsets(progs: Prog[], autoffset: number, fn: TextSym): Prog[] {
  const out: Prog[] = [];
  let deltasp = 0;
  for (const p of progs) {
    for (const a of [p.from, p.from3, p.to]) {
      if (!a) continue;
      if (a.name === 'auto') a.offset += deltasp;
      else if (a.name === 'param') a.offset += deltasp + 4; // +4: the return address
    }
    out.push(p);
    if (p.spadj !== 0) {
      deltasp += p.spadj; // a prologue ADJSP
      continue;
    }
    const push = pushSize.get(p.as);
    if (push !== undefined) {
      deltasp += push;
      continue;
    }
    if (p.as !== 'RET') continue;
    if (autoffset !== deltasp) throw Object.assign(new Error(`${fn.name}: unbalanced PUSH/POP`), { file: p.file, line: p.line });
    if (autoffset !== 0) {
      // The RET itself becomes the ADJSP so that branches to it run the epilogue too.
      const ret = newProg('RET', p.file, p.line);
      ret.to = p.to;
      adjsp(p, -autoffset);
      out.push(ret);
    }
  }
  return out;
}

