// Addresses to symbol+offset, from a Plan 9 a.out's symbol table (text
// symbols only: T t, and L l for Go ≤1.4 leaf functions).

import type { AoutSym } from '../aout.ts';

export class Symtab {
  private readonly addrs: number[];
  private readonly names: string[];

  constructor(syms: readonly AoutSym[]) {
    const text = syms.filter((s) => 'TtLl'.includes(s.type)).sort((a, b) => a.value - b.value);
    this.addrs = text.map((s) => s.value >>> 0);
    this.names = text.map((s) => s.name);
  }

  /** The address of a text symbol ('·' may stand for '.'), or undefined. */
  lookup(name: string): number | undefined {
    const i = this.names.indexOf(name.replace(/·/g, '.'));
    return i < 0 ? undefined : this.addrs[i];
  }

  /** [start, end) of a text symbol: up to the next symbol (or start+1 for the last). */
  range(name: string): [number, number] | undefined {
    const i = this.names.indexOf(name.replace(/·/g, '.'));
    if (i < 0) return undefined;
    return [this.addrs[i]!, this.addrs[i + 1] ?? this.addrs[i]! + 1];
  }

  /** 'name+0x12' for the symbol at or below pc, '' below the first. */
  name(pc: number): string {
    const i = this.at(pc);
    if (i < 0) return '';
    const off = pc - this.addrs[i]!;
    return off === 0 ? this.names[i]! : `${this.names[i]}+0x${off.toString(16)}`;
  }

  /** The address of the symbol at or below pc, or undefined below the first. */
  start(pc: number): number | undefined {
    const i = this.at(pc);
    return i < 0 ? undefined : this.addrs[i];
  }

  /** Index of the last symbol at or below pc; -1 if none. */
  private at(pc: number): number {
    let lo = 0;
    let hi = this.addrs.length - 1;
    if (hi < 0 || pc < this.addrs[0]!) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.addrs[mid]! <= pc) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
