// The commands' option loops share this cursor over argv: one place turns a
// missing option value into the usage error "--opt needs a value".

import { UsageError } from './program.ts';

export class ArgCursor {
  /** Index of the current word. */
  i = 0;

  constructor(readonly argv: readonly string[]) {}

  get done(): boolean {
    return this.i >= this.argv.length;
  }

  /** The current word. */
  get word(): string {
    return this.argv[this.i]!;
  }

  /** The words after the current one. */
  rest(): string[] {
    return this.argv.slice(this.i + 1);
  }

  /** Step over the value of option `opt` and return it; a UsageError when argv ends first. */
  value(opt: string): string {
    const v = this.argv[++this.i];
    if (v === undefined) throw new UsageError(`${opt} needs a value`);
    return v;
  }
}
