// The in-memory form of one assembled statement, shared by the parser,
// the frame pass, the encoder and the span loop. It mirrors the shape of
// Go's obj.Prog/obj.Addr (cmd/internal/obj/link.go) closely enough that the
// rules copied from cmd/internal/obj/x86 can be stated in the same terms.

export type AddrType =
  | 'none'
  | 'reg' // AX
  | 'mem' // 8(SP), sym(SB), (AX)(BX*4)
  | 'const' // $12
  | 'addr' // $sym(SB), $x+0(FP)
  | 'branch' // label, 3(PC), sym(SB) after CALL/JMP rewriting
  | 'indir' // *sym(SB)
  | 'fconst' // $(1.5)
  | 'sconst'; // $"abc" (DATA only)

/** Which pseudo-register a memory operand is relative to. */
export type AddrName = 'none' | 'extern' | 'static' | 'auto' | 'param';

export interface Addr {
  type: AddrType;
  reg: number;
  index: number;
  scale: number;
  name: AddrName;
  sym: string | null;
  offset: number;
  /** Branch target inside the function, once resolved. */
  target?: Prog | null;
  /** Unresolved label name (branch operand). */
  label?: string;
  /** For N(PC): absolute instruction count in the function. */
  pcIndex?: number;
  fval?: number;
  sval?: string;
}

export function emptyAddr(): Addr {
  return { type: 'none', reg: 0, index: 0, scale: 0, name: 'none', sym: null, offset: 0 };
}

export type RelocType = 'addr' | 'call' | 'pcrel' | 'tls';

/** A hole in the output to fill once symbol addresses are known (Go's obj.Reloc). */
export interface Reloc {
  off: number; // byte offset inside the function (or data symbol)
  siz: number;
  type: RelocType;
  sym: string | null;
  add: number;
}

export interface Prog {
  as: string;
  from: Addr;
  from3: Addr | null;
  to: Addr;
  file: string;
  line: number;
  /** Set by the span loop. */
  pc: number;
  isize: number;
  /** Span-loop flags, as Go's Prog.Back (branchShort, branchBackwards). */
  short: boolean;
  backward: boolean;
  /** Encoded bytes and their relocations, from the last span pass. */
  bytes: number[];
  relocs: Reloc[];
  /** Stack adjustment for the frame pass: >0 pushes. */
  spadj: number;
}

export function newProg(as: string, file: string, line: number): Prog {
  return {
    as,
    from: emptyAddr(),
    from3: null,
    to: emptyAddr(),
    file,
    line,
    pc: 0,
    isize: 0,
    short: true,
    backward: false,
    bytes: [],
    relocs: [],
    spadj: 0,
  };
}

/** Raised for a problem in the user's source; always caught and reported as `file:line: msg`. */
export class AsmError extends Error {}
