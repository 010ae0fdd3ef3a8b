// A bench module run by itself (npx tsx bench/NAME.ts [--json]): its rows
// as a table as they are measured, or with --json its figures at the end.

import { Table, type Row } from './table.ts';

export function alone<T>(name: string, bench: (row: (r: Row) => void) => Promise<T>): void {
  const json = process.argv.includes('--json');
  const table = new Table((s) => process.stdout.write(s));
  if (!json) table.header();
  bench((r) => !json && table.row(r)).then(
    (x) => {
      if (json) process.stdout.write(JSON.stringify(x) + '\n');
    },
    (e) => {
      process.stderr.write(`bench/${name}: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
