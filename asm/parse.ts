// Statement-level parsing: labels, TEXT/DATA/GLOBL pseudo-ops and
// instructions, producing one Prog list per TEXT symbol. The rules follow
// Go's cmd/asm/internal/asm/asm.go: labels are scoped to the enclosing TEXT,
// `N(PC)` counts instructions, a one-operand instruction puts its operand
// in From unless it only writes it (Go's unaryDst list), jumps put their
// target in To.

import { type Diag, type Stmt } from './cpp.ts';
import { Cursor, expr } from './expr.ts';
import type { Tok } from './lex.ts';
import { parseOperand, symName } from './operand.ts';
import { aliases, isJump, optab } from './optab.ts';
import { newProg, type Addr, type Prog } from './prog.ts';

export interface TextSym {
  name: string; // Plan 9 spelling, e.g. runtime.notify; file-local names keep their `<>`
  flags: number;
  frame: number; // as written; negative means NOFRAME-style "no frame"
  args: number | null;
  progs: Prog[];
  file: string;
  line: number;
}

export type DataValue = { kind: 'int'; value: bigint } | { kind: 'addr'; sym: string; add: number } | { kind: 'bytes'; bytes: number[] };

export interface DataInit {
  off: number;
  size: number;
  value: DataValue;
  file: string;
  line: number;
}

export interface DataSym {
  name: string;
  size: number | null; // from GLOBL
  flags: number;
  inits: DataInit[];
  file: string;
  line: number;
}

export interface Unit {
  texts: TextSym[];
  datas: Map<string, DataSym>;
  diags: Diag[];
}

// One-operand instructions whose operand is a destination (Go: x86 unaryDst, obj6.go).
const unaryDst = new Set([
  'BSWAPL',
  'CMPXCHG8B',
  'DECB',
  'DECL',
  'DECW',
  'INCB',
  'INCL',
  'INCW',
  'NEGB',
  'NEGL',
  'NEGW',
  'NOTB',
  'NOTL',
  'NOTW',
  'POPL',
  'POPW',
  'FSTCW',
  'RET',
]);

export function parseUnit(stmts: Stmt[], pkg: string): Unit {
  const p = new Parser(pkg);
  for (const s of stmts) p.statement(s);
  p.endText();
  return { texts: p.texts, datas: p.datas, diags: p.diags };
}

class Parser {
  texts: TextSym[] = [];
  datas = new Map<string, DataSym>();
  diags: Diag[] = [];
  private cur: TextSym | null = null;
  private labels = new Map<string, Prog>();
  private pendingLabels: { name: string; file: string; line: number }[] = [];
  private fixups: { addr: Addr; label: string; file: string; line: number }[] = [];

  constructor(private pkg: string) {}

  private error(file: string, line: number, msg: string): void {
    this.diags.push({ file, line, msg });
  }

  statement(s: Stmt): void {
    let toks = s.toks;
    // Leading labels: `name:`.
    while (toks.length >= 2 && toks[0]!.kind === 'ident' && toks[1]!.text === ':' && toks[1]!.kind === 'op') {
      this.pendingLabels.push({ name: toks[0]!.text, file: s.file, line: s.line });
      toks = toks.slice(2);
    }
    if (toks.length === 0) return;
    const head = toks[0]!;
    if (head.kind !== 'ident') return this.error(s.file, s.line, `unexpected ${head.text} at start of statement`);
    try {
      const ops = splitOperands(toks.slice(1));
      switch (head.text) {
        case 'TEXT':
          return this.text(s, ops);
        case 'DATA':
          return this.data(s, ops);
        case 'GLOBL':
          return this.globl(s, ops);
        case 'PCDATA':
        case 'FUNCDATA':
          return; // GC metadata: nothing to emit in a Plan 9 a.out
        default:
          return this.instruction(s, head.text, ops);
      }
    } catch (e) {
      this.error(s.file, s.line, (e as Error).message);
    }
  }

  /** Close the current TEXT: resolve its labels. */
  endText(): void {
    for (const f of this.fixups) {
      const target = this.labels.get(f.label);
      if (!target) this.error(f.file, f.line, `undefined label ${f.label}`);
      else f.addr.target = target;
    }
    for (const l of this.pendingLabels) this.error(l.file, l.line, `label ${l.name} not followed by an instruction`);
    this.pendingLabels = [];
    this.fixups = [];
    this.labels = new Map();
    if (this.cur) resolvePCRelative(this.cur, this.diags);
    this.cur = null;
  }

  private text(s: Stmt, ops: Tok[][]): void {
    this.endText();
    if (ops.length !== 2 && ops.length !== 3) throw new Error('expect two or three operands for TEXT');
    const name = this.symbolOperand(ops[0]!, 'TEXT');
    const flags = ops.length === 3 ? Number(BigInt.asIntN(32, constExpr(ops[1]!))) : 0;
    const { frame, args } = frameSize(ops[ops.length - 1]!, name);
    this.cur = { name, flags, frame, args, progs: [], file: s.file, line: s.line };
    // A duplicate still gets a (discarded) body, so its instructions do not cascade into more errors.
    if (this.texts.some((t) => t.name === name) || this.datas.has(name)) throw new Error(`duplicate symbol ${display(name)}`);
    this.texts.push(this.cur);
  }

  private data(s: Stmt, ops: Tok[][]): void {
    if (ops.length !== 2) throw new Error('expect two operands for DATA');
    const op0 = ops[0]!;
    const slash = op0.length - 2;
    if (slash < 1 || op0[slash]!.text !== '/' || op0[slash + 1]!.kind !== 'int') throw new Error('expect /size for DATA argument');
    const size = Number(op0[slash + 1]!.int!);
    const a = parseOperand(op0.slice(0, slash), { pkg: this.pkg, isJump: false });
    if (a.type !== 'mem' || (a.name !== 'extern' && a.name !== 'static') || a.reg !== 0 || a.index !== 0)
      throw new Error('DATA symbol must be of the form sym+off(SB)');
    const v = parseOperand(ops[1]!, { pkg: this.pkg, isJump: false });
    let value: DataValue;
    switch (v.type) {
      case 'const':
        value = { kind: 'int', value: BigInt(v.offset) };
        if (![1, 2, 4, 8].includes(size)) throw new Error(`bad DATA size ${size}`);
        break;
      case 'addr':
        if (v.name !== 'extern' && v.name !== 'static') throw new Error('DATA address must be $sym(SB)');
        if (size !== 4) throw new Error(`bad size ${size} for address in DATA`);
        value = { kind: 'addr', sym: v.sym!, add: v.offset };
        break;
      case 'sconst': {
        const bytes = [...Buffer.from(v.sval!, 'latin1')];  // one char per byte (lex.ts quoted)
        if (bytes.length > size) throw new Error(`string too long for DATA size ${size}`);
        while (bytes.length < size) bytes.push(0);
        value = { kind: 'bytes', bytes };
        break;
      }
      case 'fconst': {
        const b = Buffer.alloc(size);
        if (size === 8) b.writeDoubleLE(v.fval!);
        else if (size === 4) b.writeFloatLE(v.fval!);
        else throw new Error(`bad float size ${size}`);
        value = { kind: 'bytes', bytes: [...b] };
        break;
      }
      default:
        throw new Error('bad DATA value');
    }
    const d = this.dataSym(a.sym!, s);
    d.inits.push({ off: a.offset, size, value, file: s.file, line: s.line });
  }

  private globl(s: Stmt, ops: Tok[][]): void {
    if (ops.length !== 2 && ops.length !== 3) throw new Error('expect two or three operands for GLOBL');
    const name = this.symbolOperand(ops[0]!, 'GLOBL');
    const flags = ops.length === 3 ? Number(BigInt.asIntN(32, constExpr(ops[1]!))) : 0;
    const sz = ops[ops.length - 1]!;
    if (sz[0]?.text !== '$') throw new Error('GLOBL size must be an immediate constant');
    const size = Number(BigInt.asIntN(32, constExpr(sz.slice(1))));
    const d = this.dataSym(name, s);
    if (d.size !== null) throw new Error(`duplicate symbol ${display(name)}`);
    if (this.texts.some((t) => t.name === name)) throw new Error(`duplicate symbol ${display(name)}`);
    d.size = size;
    d.flags = flags;
    d.file = s.file;
    d.line = s.line;
  }

  private dataSym(name: string, s: Stmt): DataSym {
    let d = this.datas.get(name);
    if (!d) {
      d = { name, size: null, flags: 0, inits: [], file: s.file, line: s.line };
      this.datas.set(name, d);
    }
    return d;
  }

  /** TEXT/GLOBL first operand: exactly `name(SB)`. */
  private symbolOperand(toks: Tok[], what: string): string {
    const a = parseOperand(toks, { pkg: this.pkg, isJump: false });
    if (a.type !== 'mem' || (a.name !== 'extern' && a.name !== 'static') || a.offset !== 0 || a.reg !== 0 || a.index !== 0)
      throw new Error(`${what} symbol must be of the form name(SB)`);
    return a.sym!;
  }

  private instruction(s: Stmt, word: string, ops: Tok[][]): void {
    const as = aliases.get(word) ?? word;
    const canonical = as === 'IMULL' && ops.length === 3 ? 'IMUL3L' : as; // extension: 3-operand IMULL
    if (!optab.has(canonical)) throw new Error(`unknown instruction ${word}`);
    if (!this.cur) throw new Error(`instruction ${word} outside of TEXT`);
    const jump = isJump(canonical);
    const addrs = ops.map((o) => parseOperand(o, { pkg: this.pkg, isJump: jump }));
    const p = newProg(canonical, s.file, s.line);
    if (jump) {
      if (addrs.length !== 1) throw new Error(`wrong number of arguments to ${word} instruction`);
      p.to = addrs[0]!;
    } else if (addrs.length === 1) {
      if (unaryDst.has(canonical) || canonical.startsWith('SET')) p.to = addrs[0]!;
      else p.from = addrs[0]!;
    } else if (addrs.length === 2) {
      p.from = addrs[0]!;
      p.to = addrs[1]!;
    } else if (addrs.length === 3) {
      p.from = addrs[0]!;
      p.from3 = addrs[1]!;
      p.to = addrs[2]!;
    } else if (addrs.length > 3) {
      throw new Error(`wrong number of arguments to ${word} instruction`);
    }
    this.checkPseudo(p);
    // N(PC) is counted in instructions from this one (Go: p.pc + N).
    if (p.to.type === 'branch' && p.to.pcIndex !== undefined) p.to.pcIndex += this.cur.progs.length;
    if (p.to.type === 'branch' && p.to.label !== undefined) {
      const target = this.labels.get(p.to.label);
      if (target) p.to.target = target;
      else this.fixups.push({ addr: p.to, label: p.to.label, file: s.file, line: s.line });
    }
    for (const l of this.pendingLabels) {
      if (this.labels.has(l.name)) this.error(l.file, l.line, `label ${l.name} multiply defined`);
      else this.labels.set(l.name, p);
    }
    this.pendingLabels = [];
    this.cur.progs.push(p);
  }

  /** Names on FP/SP must not appear on non-memory operands, and FP/SP offsets need names (Go's rule). */
  private checkPseudo(p: Prog): void {
    for (const a of [p.from, p.from3, p.to]) {
      if (!a) continue;
      if ((a.name === 'param' || a.name === 'auto') && a.index !== 0) throw new Error('cannot index a pseudo-register reference');
    }
  }
}

/** Resolve `N(PC)` branches once the function's instruction list is complete. */
function resolvePCRelative(t: TextSym, diags: Diag[]): void {
  for (const p of t.progs) {
    const a = p.to;
    if (a.type !== 'branch' || a.pcIndex === undefined || a.target) continue;
    const target = t.progs[a.pcIndex];
    if (!target) diags.push({ file: p.file, line: p.line, msg: `branch out of range: ${a.pcIndex - t.progs.indexOf(p)}(PC)` });
    else a.target = target;
  }
}

/** TEXT's last operand: `$frame` or `$frame-args`, both integer literals (Go's asmText rule). */
function frameSize(toks: Tok[], name: string): { frame: number; args: number | null } {
  const bad = () => new Error(`TEXT ${display(name)}: frame size must be an immediate constant`);
  let i = 0;
  if (toks[i]?.text !== '$') throw bad();
  i++;
  let neg = false;
  if (toks[i]?.text === '-') (neg = true), i++;
  if (toks[i]?.kind !== 'int') throw bad();
  const frame = Number(toks[i]!.int!) * (neg ? -1 : 1);
  i++;
  if (i === toks.length) return { frame, args: null };
  if (toks[i]?.text !== '-' || toks[i + 1]?.kind !== 'int' || i + 2 !== toks.length)
    throw new Error(`TEXT ${display(name)}: argument size must be of form -integer`);
  return { frame, args: Number(toks[i + 1]!.int!) };
}

/** Evaluate a whole operand as a constant expression. */
function constExpr(toks: Tok[]): bigint {
  const c = new Cursor(toks);
  const v = expr(c);
  if (!c.done()) throw new Error(`unexpected ${c.peek()!.text} in constant`);
  return v;
}

/** Split an operand list at top-level commas. */
export function splitOperands(toks: Tok[]): Tok[][] {
  if (toks.length === 0) return [];
  const out: Tok[][] = [[]];
  let depth = 0;
  for (const t of toks) {
    if (t.kind === 'op' && t.text === '(') depth++;
    if (t.kind === 'op' && t.text === ')') depth--;
    if (t.kind === 'op' && t.text === ',' && depth === 0) out.push([]);
    else out.at(-1)!.push(t);
  }
  if (out.some((o) => o.length === 0)) throw new Error('empty operand');
  return out;
}

/** How a symbol is shown to users: `_seek<>` → `_seek`. */
export function display(name: string): string {
  return name.endsWith('<>') ? name.slice(0, -2) : name;
}

export { symName };
