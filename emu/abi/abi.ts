// `p9emu abi`: every stub of an a.out that reaches INT $64, checked
// (check.ts); rfork is checked twice, as the parent and as the child.

import { checkStub, type StubReport } from './check.ts';
import { syscallers } from './reach.ts';
import { StubHarness } from './harness.ts';
import type { Convention } from './conventions.ts';
import { systab } from '../port/systab.ts';
import { parseAout } from '../aout.ts';

export interface AbiOptions {
  /** Only this symbol ('·' may stand for '.'). */
  symbol?: string;
  /** The file's convention; file-local symbols (Go's name<>) are always C. */
  convention: Convention;
  /** Only the symbols that execute INT $64 themselves, not those that call one. */
  direct?: boolean;
}

/** A Go-built a.out (its runtime's symbols), whose stubs follow Go ABI0. */
export function isGoBinary(image: Uint8Array): boolean {
  return parseAout(image).syms.some((s) => s.name === 'runtime.rt0_go' || s.name === 'runtime.goexit');
}

export async function checkImage(image: Uint8Array, o: AbiOptions): Promise<StubReport[]> {
  const want = o.symbol?.replace(/·/g, '.');
  const out: StubReport[] = [];
  const h = new StubHarness(image);
  try {
    for (const s of await syscallers(image, o.direct)) {
      if (want !== undefined && s.name !== want) continue;
      const conv: Convention = s.type === 't' ? 'c' : o.convention;
      const r = checkStub(h, s.name, s.addr, conv);
      if (r.call !== null && systab[r.call]?.name === 'rfork') {
        const child = checkStub(h, s.name, s.addr, conv, 1, true);
        r.violations.push(...child.violations);
      }
      if (o.direct && r.call === null && r.end === 'fault') {
        // A Go function such as syscall.Syscall reaches entersyscall, which
        // reads g through TLS the harness does not set up: not a stub.
        r.unchecked = `faults before INT $64, needs the Go runtime (${r.violations[0]?.replace(/^never reached INT \$64 \((.*)\)$/, '$1') ?? r.end})`;
        r.violations = [];
      }
      out.push(r);
    }
  } finally {
    h.close();
  }
  return out;
}

const COLS = ['symbol', 'conv', 'call', 'kernel read', 'result', 'clobbers', 'reads', 'stack', 'verdict'];

function row(r: StubReport): string[] {
  const call = r.call === null ? '-' : `${r.call} ${r.callName ?? '?'}${r.expected !== null && r.expected !== r.call ? ` (name: ${r.expected})` : ''}`;
  return [
    r.symbol, r.convention, call, r.args.map((a) => a.from).join(' ') || '-', r.result.join(' ') || '-',
    r.clobbers.join(' ') || '-', r.readsBeforeWrite.join(' ') || '-', r.stack === null ? r.end : String(r.stack),
    r.violations.length ? 'VIOLATION' : r.unchecked ? 'unchecked' : 'ok',
  ];
}

/** The report as a table, each violation under its stub. */
export function abiTable(reports: readonly StubReport[]): string {
  const rows = [COLS, ...reports.map(row)];
  const w = COLS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines: string[] = [];
  rows.forEach((r, i) => {
    lines.push(r.map((c, j) => c.padEnd(w[j]!)).join('  ').trimEnd());
    const rep = reports[i - 1];
    if (rep) for (const v of rep.violations) lines.push(`    ${v}`);
    if (rep?.unchecked) lines.push(`    ${rep.unchecked}`);
  });
  return lines.join('\n') + '\n';
}
