// The stub convention checker (p9emu abi) as data.

import { checkImage, isGoBinary } from '../emu/abi/abi.ts';
import type { StubReport } from '../emu/abi/check.ts';
import type { Program } from './program.ts';

export interface AbiOptions {
  /** Only this symbol ('·' may stand for '.'). */
  symbol?: string;
  /** 'c' (the 2012 runtime: result in AX) or 'go' (ABI0: ret+N(FP)); default go for a Go-built a.out, else c. */
  convention?: 'c' | 'go';
  /** Also the symbols that only call a stub (default: those executing INT $64 themselves in a Go binary, all others). */
  callers?: boolean;
}

/** Check every stub of the program that reaches INT $64; one report per stub, violations listed in each. */
export async function checkAbi(program: Program, o: AbiOptions = {}): Promise<StubReport[]> {
  const go = isGoBinary(program.image);
  return checkImage(program.image, {
    symbol: o.symbol,
    convention: o.convention ?? (go ? 'go' : 'c'),
    direct: go && !o.callers,
  });
}
