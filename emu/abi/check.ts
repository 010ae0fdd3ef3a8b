// The stub convention checker: run a stub alone (harness.ts), perturb one
// register at a time to find the registers it reads before writing, and
// judge what the kernel saw and what the caller gets back against the C
// convention of the 2012 runtime (result in AX, arguments where the caller
// left them) or Go ABI0 (result in ret+N(FP)).

import { systab } from '../port/systab.ts';
import {
  CANARY, FP0, GPR_NAMES, NARG, SP0, argWords as argWordValues, rng,
  type Gpr, type RunSetup, type StubHarness, type StubRun,
} from './harness.ts';
import { argWords, callForName, calleeSaved, goResult, vlongResult, type Convention } from './conventions.ts';

export interface ArgRead {
  /** Kernel argument word index. */
  word: number;
  /** Where the value the kernel read came from ('FP+4', '&FP+16', or the value in hex). */
  from: string;
  expected: string;
}

export interface StubReport {
  symbol: string;
  addr: number;
  convention: Convention;
  /** The call number in AX at the (first) INT $64, and its name. */
  call: number | null;
  callName: string | null;
  /** The call the symbol's name means. */
  expected: number | null;
  args: ArgRead[];
  /** Where the result went: 'AX', 'ret+12(FP)', … */
  result: string[];
  clobbers: string[];
  readsBeforeWrite: string[];
  /** SP after RET minus SP at entry plus 4 (0 when balanced); null when it did not return. */
  stack: number | null;
  /** Caller stack words written other than the result (FP+N, or canaries). */
  wrote: string[];
  end: StubRun['end'];
  violations: string[];
  /** Why the stub could not be judged alone (a Go function that needs its runtime before the trap); no violations then. */
  unchecked?: string;
}

const RESULT = 0x3039;
const VRESULT = 0x1122334455667788n;

function setup(seed: number, result = RESULT): RunSetup {
  const r = rng(seed);
  const regs = Object.fromEntries(GPR_NAMES.map((g) => [g, r()])) as Record<Gpr, number>;
  return { regs, args: argWordValues(r), result, vresult: VRESULT };
}

function fpname(addr: number): string {
  const off = addr - FP0;
  return off >= 0 ? `FP+${off}` : `SP0${off - 4}`;
}

/** The caller's stack words that differ after the run, other than `allowed`. */
function written(run: StubRun, allowed: Set<number>): string[] {
  const out: string[] = [];
  for (const [a, v] of run.after) {
    if (a < FP0 || allowed.has(a)) continue;  // below FP: the stub's own frame
    if (run.before.get(a) !== v) out.push(run.before.get(a) === CANARY && a >= FP0 + 4 * NARG ? `canary ${fpname(a)}` : fpname(a));
  }
  return out;
}

function origin(v: number, s: RunSetup): string {
  const j = s.args.indexOf(v >>> 0);
  if (j >= 0) return `FP+${4 * j}`;
  if (v >= FP0 && v < FP0 + 4 * NARG + 64) return `&FP+${v - FP0}`;
  return `0x${(v >>> 0).toString(16)}`;
}

/** What a run shows to the outside, for comparing perturbed runs. */
function observable(run: StubRun): string {
  const wrote = GPR_NAMES.filter((g) => run.exit[g] !== run.entry[g]).map((g) => `${g}=${run.exit[g]}`);
  return JSON.stringify([run.traps.map((t) => [t.num, t.words, t.sp]), run.end, [...run.after], wrote, run.exit.sp]);
}

function readsBeforeWrite(h: StubHarness, addr: number, base: RunSetup, baseRun: StubRun): string[] {
  const ref = observable(baseRun);
  return GPR_NAMES.filter((g) => {
    const s = { ...base, regs: { ...base.regs, [g]: (base.regs[g] ^ 0x5a5a5a5a) >>> 0 } };
    return observable(h.run(addr, s)) !== ref;
  });
}

/** Check one stub; `child` judges the rfork child's return (AX = 0). */
export function checkStub(h: StubHarness, symbol: string, addr: number, conv: Convention, seed = 1, child = false): StubReport {
  const s = setup(seed, child ? 0 : RESULT);
  const run = h.run(addr, s);
  const trap = run.traps[0];
  const expected = callForName(symbol);
  const call = trap?.num ?? null;
  const v: string[] = [];
  const rep: StubReport = {
    symbol, addr, convention: conv, call, callName: call === null ? null : systab[call]?.name ?? null, expected,
    args: [], result: [], clobbers: [], readsBeforeWrite: [], stack: null, wrote: [], end: run.end, violations: v,
  };
  if (!trap) v.push(`never reached INT $64 (${run.end}${run.detail ? ': ' + run.detail : ''})`);
  if (call !== null && expected !== null && call !== expected) {
    v.push(`calls ${call} (${systab[call]?.name ?? '?'}), but ${symbol} is ${expected} (${systab[expected]?.name})`);
  }
  const n = call ?? expected ?? -1;
  const [retoff, retsize] = conv === 'go' ? goResult(symbol, n) : [0, 0];
  const hidden = vlongResult(n);
  if (trap) {
    for (let i = 0; i < Math.min(argWords(n), 5); i++) {
      const from = origin(trap.words[i]!, s);
      const exp = conv === 'go' && hidden ? (i === 0 ? `&FP+${retoff}` : `FP+${4 * (i - 1)}`) : `FP+${4 * i}`;
      rep.args.push({ word: i, from, expected: exp });
      if (from !== exp) v.push(`kernel argument ${i} came from ${from}, expected ${exp}`);
    }
  }
  const isExits = systab[n]?.name === 'exits';
  if (run.end === 'returned') {
    rep.stack = run.exit.sp - (SP0 + 4);
    if (rep.stack !== 0) v.push(`stack unbalanced at RET: SP off by ${rep.stack}`);
    if (run.exit.ax === s.result >>> 0) rep.result.push('AX');
    const word = (off: number) => run.after.get(FP0 + off);
    for (let off = 0; off < 4 * NARG; off += 4) if (word(off) === s.result >>> 0 && run.before.get(FP0 + off) !== word(off)) rep.result.push(`ret+${off}(FP)`);
    const allowed = new Set<number>();
    if (conv === 'go' && retsize > 0) {
      for (let o = 0; o < retsize; o += 4) allowed.add(FP0 + retoff + o);
      const lo = word(retoff);
      const want = hidden ? Number(VRESULT & 0xffffffffn) : s.result >>> 0;
      if (lo !== want) v.push(`result not stored in ret+${retoff}(FP)`);
      if (hidden && !rep.result.includes(`ret+${retoff}(FP)`)) rep.result.push(`ret+${retoff}(FP) (vlong, by the kernel)`);
    }
    if (conv === 'c' && !isExits && run.exit.ax !== s.result >>> 0) v.push('result not left in AX');
    rep.wrote = written(run, allowed);
    for (const w of rep.wrote) v.push(`wrote the caller's ${w}`);
    rep.clobbers = GPR_NAMES.filter((g) => g !== 'ax' && run.exit[g] !== run.entry[g]);
    for (const g of rep.clobbers) if (calleeSaved(conv).includes(g)) v.push(`clobbers ${g.toUpperCase()}, which the caller keeps`);
  } else if (run.end !== 'exited' && !(isExits && run.end === 'steps')) {
    v.push(`did not return (${run.end}${run.detail ? ': ' + run.detail : ''})`);
  }
  rep.readsBeforeWrite = readsBeforeWrite(h, addr, s, run);
  for (const g of rep.readsBeforeWrite) v.push(`reads ${g.toUpperCase()} before writing it`);
  if (child) rep.violations = v.map((x) => `child: ${x}`);
  return rep;
}
