// npm run bench's table, printed a row at a time as each figure is
// measured (a run takes minutes), with each figure marked against its
// target: "ok" when it meets it, "MISSED" when not.

/** Column widths: the longest benchmark name and figures the rows print. */
const WIDTHS = [42, 8, 20, 8, 8];

export type Row = [name: string, p9emu: string, floor: string, ratio: string, target: string];

/** Does `value` meet a target written '≤ 1.5×', '≥ 0.9×' or '≤ 150' (the × ones compare the ratio)? */
export function meets(target: string, value: number): boolean {
  const m = /^([≤≥]) ([0-9.]+)×?$/.exec(target);
  if (!m) return true;
  return m[1] === '≤' ? value <= Number(m[2]) : value >= Number(m[2]);
}

export class Table {
  constructor(private readonly write: (s: string) => void) {}

  header(): void {
    this.line(['benchmark', 'p9emu', 'raw unicorn', 'ratio', 'target'], '');
  }

  /** A row; its target is checked against the ratio when the target has ×, else against the p9emu figure. */
  row(r: Row): void {
    const [, p9emu, , ratio, target] = r;
    let mark = '';
    if (target !== '') {
      const v = Number.parseFloat(target.endsWith('×') ? ratio : p9emu);
      mark = Number.isNaN(v) ? '' : meets(target, v) ? 'ok' : 'MISSED';
    }
    this.line(r, mark);
  }

  private line(cells: readonly string[], mark: string): void {
    this.write(cells.map((c, i) => c.padEnd(WIDTHS[i]!)).join('  ').concat('  ', mark).trimEnd() + '\n');
  }
}
