// Go benchmarks for `npm run bench` (called by bench/run.ts; also runs alone:
// npx tsx bench/go.ts [--json]):
//   - go_hello_ms: a Go hello world, start to exit, through the CLI
//     (`node bin/p9emu run hello`, Node's own start included) and in-process;
//   - go_signal_test_ms: Go's os/signal test binary (full, not -short);
//   - go_compute_mips: the compute fixture's inner loop (7 instructions per
//     iteration, counted from the binary) beside the same bytes at the same
//     address on a bare Unicorn engine, in the same run.
// The fixtures are built by test/go/gobuild.ts (cached).

import { execFileSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../emu/run.ts';
import { unicornMachine } from '../emu/cpu/machine.ts';
import { BufferConsole } from '../emu/port/console.ts';
import { unicorn, UC_ARCH_X86, UC_MODE_32, X86 } from '../emu/cpu/unicorn_ffi.ts';
import { REPO, fixture, stdTest } from '../test/go/gobuild.ts';
import { findGo, GO_VERSIONS, pinGo } from '../test/kit/gopin.ts';
import { best } from './best.ts';
import { type Row } from './table.ts';
import { alone } from './alone.ts';
import { median, timedNode, type Timed } from './spawn.ts';

async function runIn(bin: string, args: string[], ncpu = 1): Promise<{ ms: number; stdout: string; exitstr: string }> {
  const cons = new BufferConsole();
  const t0 = process.hrtime.bigint();
  const r = await run(readFileSync(bin), { machine: unicornMachine(), console: cons, argv: ['prog', ...args], name: 'prog', ncpu });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, stdout: cons.stdout(), exitstr: r.exitstr };
}

/**
 * The environment for timing the CLI: without NODE_EXTRA_CA_CERTS, which
 * makes every node process parse a certificate bundle at start (55 ms on
 * the development sandbox, which sets it: `node -e 0` takes 85 ms with it
 * and 30 ms without). p9emu uses no TLS; a stock machine does not set it.
 */
function cliEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** Wall and CPU time (ms) of one spawn of node with `args`, checked by `ok`. */
function spawnMs(args: string[], ok: (r: SpawnSyncReturns<string>) => string | null): Timed {
  const { ms, cpuMs, r } = timedNode(args, cliEnv());
  const bad = ok(r);
  if (bad !== null) throw new Error(bad);
  return { ms, cpuMs };
}

/** `node -e 0`: Node's own start, for scale. */
export const nodeStart = (): Timed => spawnMs(['-e', '0'], (r) => (r.status === 0 ? null : `node -e 0: status ${r.status}`));

/** `node bin/p9emu run hello`: Node's start, the bundle, Unicorn, Go's start, exit. */
export function goHelloCli(bin: string): Timed {
  return spawnMs([join(REPO, 'bin/p9emu'), 'run', bin], (r) => (r.status === 0 && r.stdout === 'hello, world\n' ? null : `hello: status ${r.status}: ${r.stderr}`));
}

/** The least and the median of each figure. */
export interface Spread {
  ms: number;
  msMedian: number;
  cpuMs: number;
  cpuMsMedian: number;
}

export function spread(ts: Timed[]): Spread {
  const ms = ts.map((t) => t.ms), cpu = ts.map((t) => t.cpuMs);
  return { ms: Math.min(...ms), msMedian: median(ms), cpuMs: Math.min(...cpu), cpuMsMedian: median(cpu) };
}

/**
 * The CLI hello and `node -e 0` n times each, in turn, so that the
 * machine's slow spells fall on both: the least and the median of each.
 */
export function goHelloCliVsNode(n = 11): { cli: Spread; node: Spread } {
  const bin = fixture('hello');
  const cli: Timed[] = [];
  const node: Timed[] = [];
  for (let i = 0; i < n; i++) {
    cli.push(goHelloCli(bin));
    node.push(nodeStart());
  }
  return { cli: spread(cli), node: spread(node) };
}

/** The same run inside this process: boot, load, run to exit. */
export async function goHelloMs(n = 5): Promise<number> {
  const bin = fixture('hello');
  return best(n, async () => {
    const r = await runIn(bin, []);
    if (r.exitstr !== '') throw new Error(`hello exited '${r.exitstr}'`);
    return r.ms;
  });
}

/**
 * Time the os/signal tests spend in their own sleeps and timeouts when run
 * in full (Go 1.19 src/os/signal/signal_plan9_test.go): TestStress posts
 * notes for a fixed 3 s and then sleeps 10 ms; TestStop, for each of its
 * two notes, sleeps 100 ms and waits out two 100 ms timeouts. No emulator
 * can run the full package faster than this.
 */
export const SIGNAL_FULL_SLEEP_MS = 3000 + 10 + 2 * 300;

/** Go's os/signal tests, in-process, 4 CPUs; `short`: -test.short, as Go's builders run them. */
export async function goSignalTestMs(short: boolean, n = 1): Promise<number> {
  const bin = stdTest('os/signal');
  return best(n, async () => {
    const r = await runIn(bin, short ? ['-test.short'] : [], 4);
    if (r.exitstr !== '' || !/PASS\n$/.test(r.stdout)) throw new Error(`os/signal tests: '${r.exitstr}'`);
    return r.ms;
  });
}

interface Loop {
  start: number;   // the loop's first instruction (backward jump target)
  end: number;     // the address after the backward jump
  insns: number;   // instructions per iteration
}

/**
 * `go tool objdump -s ^main.main$` of bin. Go 1.19's objdump cannot read a
 * plan9/386 binary ("no runtime.symtab symbol found"; later releases can), so
 * the newest installed release of GO_VERSIONS disassembles.
 */
function objdumpMain(bin: string): string {
  const gos = [...GO_VERSIONS].reverse().map((v) => findGo(v)).filter((g) => g !== null);
  let last: unknown = new Error('no Go installed');
  for (const g of [...gos, pinGo()!]) {
    try {
      return execFileSync(g.go, ['tool', 'objdump', '-s', '^main\\.main$', bin], { encoding: 'utf8', env: { ...process.env, GOROOT: g.goroot }, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

/** The compute fixture's loop in main.main, from `go tool objdump`. */
function findLoop(bin: string): Loop {
  const out = objdumpMain(bin);
  const ins = [...out.matchAll(/^\s+\S+\s+0x([0-9a-f]+)\s+([0-9a-f]+)\s+(\S+)\s*(\S*)/gm)].map((m) => ({
    addr: parseInt(m[1]!, 16), len: m[2]!.length / 2, op: m[3]!, arg: m[4]!,
  }));
  for (const i of ins) {
    const t = /^0x([0-9a-f]+)$/.exec(i.arg);
    if (!t || !/^J(?!MP)/.test(i.op)) continue;
    const target = parseInt(t[1]!, 16);
    if (target < i.addr) return { start: target, end: i.addr + i.len, insns: ins.filter((x) => x.addr >= target && x.addr <= i.addr).length };
  }
  throw new Error('compute: no backward conditional jump in main.main');
}

/** MIPS of the loop under p9emu: two runs, the difference removes start-up and exit. */
export async function goComputeMips(loop: Loop, bin: string, n1 = 50_000_000, n2 = 250_000_000): Promise<number> {
  const t1 = await best(2, async () => (await runIn(bin, [String(n1)])).ms);
  const t2 = await best(2, async () => (await runIn(bin, [String(n2)])).ms);
  return ((n2 - n1) * loop.insns) / ((t2 - t1) * 1e3);
}

/** The same loop bytes at the same address on a bare engine (no kernel, no Cpu wrapper). */
export function goComputeFloorMips(loop: Loop, bin: string, n = 250_000_000): number {
  const file = readFileSync(bin);
  const page = loop.start - (loop.start % 4096);
  const bytes = new Uint8Array(0x2000);
  bytes.set(file.subarray(page - 0x1000, page - 0x1000 + 0x2000));  // text is at 0x1000 + file offset
  bytes[loop.end - page] = 0xf4;  // HLT after the loop
  const L = unicorn();
  const out: unknown[] = [null];
  if (L.uc_open(UC_ARCH_X86, UC_MODE_32, out) !== 0) throw new Error('uc_open failed');
  const uc = out[0] as bigint;
  try {
    L.uc_mem_map(uc, page, 0x2000, 7);
    L.uc_mem_write(uc, page, bytes, bytes.length);
    const set = (id: number, v: number) => L.uc_reg_write(uc, id, Uint32Array.of(v >>> 0));
    set(X86.eax, n);   // the bound
    set(X86.ecx, 0);   // i
    set(X86.edx, 0x811c9dc5);
    set(X86.ebx, 0);
    const t0 = process.hrtime.bigint();
    const err = L.uc_emu_start(uc, loop.start, 0, 0, 0);
    const dt = Number(process.hrtime.bigint() - t0);
    if (err !== 0) throw new Error(`compute floor: uc_emu_start error ${err}`);
    return (n * loop.insns) / (dt / 1e3);
  } finally {
    L.uc_close(uc);
  }
}

export interface GoBench {
  go_hello_cli_ms: number;
  node_start_ms: number;
  go_hello_cli_median_ms: number;
  node_start_median_ms: number;
  go_hello_cli_cpu_ms: number;
  node_start_cpu_ms: number;
  go_hello_cli_cpu_median_ms: number;
  node_start_cpu_median_ms: number;
  go_hello_ms: number;
  go_signal_test_ms: number;
  go_signal_test_full_ms: number;
  go_signal_test_full_sleep_ms: number;
  go_compute_mips: number;
  go_compute_floor_mips: number;
  go_compute_ratio: number;
}

/** Every Go figure; `row` hears each table row as soon as its figures are measured. */
export async function goBench(row: (r: Row) => void = () => {}): Promise<GoBench> {
  const r1 = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
  // Node's own start is most of it on a slow machine: the target is against node's, timed in the same run.
  const h = goHelloCliVsNode();
  const [go_hello_cli_ms, node_start_ms, go_hello_cli_median_ms, node_start_median_ms] = [h.cli.ms, h.node.ms, h.cli.msMedian, h.node.msMedian].map((x) => r1(x));
  const [go_hello_cli_cpu_ms, node_start_cpu_ms, go_hello_cli_cpu_median_ms, node_start_cpu_median_ms] = [h.cli.cpuMs, h.node.cpuMs, h.cli.cpuMsMedian, h.node.cpuMsMedian].map((x) => r1(x));
  row(['Go hello, start to exit, CLI (ms), least', `${go_hello_cli_ms}`, `node -e 0: ${node_start_ms}`, `${r1(go_hello_cli_ms / node_start_ms, 2)}×`, '≤ 3×']);
  row(['  median of 11', `${go_hello_cli_median_ms}`, `node -e 0: ${node_start_median_ms}`, `${r1(go_hello_cli_median_ms / node_start_median_ms, 2)}×`, '']);
  row(['  CPU time (ms), least / median', `${go_hello_cli_cpu_ms} / ${go_hello_cli_cpu_median_ms}`, `node -e 0: ${node_start_cpu_ms} / ${node_start_cpu_median_ms}`, `${r1(go_hello_cli_cpu_ms / node_start_cpu_ms, 2)}× / ${r1(go_hello_cli_cpu_median_ms / node_start_cpu_median_ms, 2)}×`, '']);
  const go_hello_ms = r1(await goHelloMs());
  row(['Go hello, in-process (ms)', `${go_hello_ms}`, '', '', '']);
  const go_signal_test_ms = r1(await goSignalTestMs(true, 3));
  row(['Go os/signal tests, -test.short (ms)', `${go_signal_test_ms}`, '', '', '≤ 3000']);
  const go_signal_test_full_ms = r1(await goSignalTestMs(false));
  row(['Go os/signal tests, full (ms)', `${go_signal_test_full_ms}`, `${SIGNAL_FULL_SLEEP_MS} asleep`, '', '']);
  const bin = fixture('compute');
  const loop = findLoop(bin);
  const mips = await goComputeMips(loop, bin);
  const floor = await best(3, () => goComputeFloorMips(loop, bin), Math.max);
  row(['Go compute loop (guest MIPS)', `${r1(mips)}`, `${r1(floor)}`, `${r1(mips / floor, 2)}×`, '≥ 0.9×']);
  return {
    go_hello_cli_ms, node_start_ms, go_hello_cli_median_ms, node_start_median_ms,
    go_hello_cli_cpu_ms, node_start_cpu_ms, go_hello_cli_cpu_median_ms, node_start_cpu_median_ms, go_hello_ms, go_signal_test_ms, go_signal_test_full_ms,
    go_signal_test_full_sleep_ms: SIGNAL_FULL_SLEEP_MS,
    go_compute_mips: r1(mips), go_compute_floor_mips: r1(floor), go_compute_ratio: r1(mips / floor, 2),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) alone('go', goBench);
