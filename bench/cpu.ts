// npx tsx bench/cpu.ts: the Cpu layer against the raw Unicorn floors
// (numbers recorded in docs/unicorn.md).

import { execFileSync } from 'node:child_process';
import { unicornAlloc } from '../emu/cpu/hostmem.ts';
import { setPreemptMode, UnicornCpu } from '../emu/cpu/unicorn.ts';
import { computeFloorMips, syscallFloorNs } from './floor.ts';
import { best } from './best.ts';
import { setSyncPc } from '../emu/cpu/syncpc.ts';

const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];

function cpuWith(code: number[]): UnicornCpu {
  const cpu = new UnicornCpu();
  const m = unicornAlloc(0x1000);
  m.bytes.set(code);
  cpu.map(0x1000, m, 5);
  const s = unicornAlloc(0x1000);
  cpu.map(0x3000, s, 3);
  cpu.setRegs({ pc: 0x1000, sp: 0x3ff0 });
  return cpu;
}

/** Same loop as the floor, through Cpu: the handler reads ax and sp, writes ax. */
function syscallCpuNs(n: number): number {
  const cpu = cpuWith([0xbb, ...le32(n), 0xb8, 0, 0, 0, 0, 0xcd, 0x40, 0x4b, 0x75, 0xf6, 0xcd, 0x40]);
  let calls = 0;
  cpu.onSyscall(() => {
    const ax = cpu.reg('ax');
    cpu.reg('sp');
    cpu.setReg('ax', ax + 1);
    if (++calls > n) cpu.stop();
  });
  const t0 = process.hrtime.bigint();
  cpu.run();
  const dt = Number(process.hrtime.bigint() - t0);
  cpu.close();
  return dt / n;
}

function computeCpuMips(iterations = 200_000_000, timeoutUs = 0): number {
  const cpu = cpuWith([...tightLoop(iterations), 0xcd, 0x40]);
  cpu.onSyscall(() => cpu.stop());
  const t0 = process.hrtime.bigint();
  for (;;) {
    const s = cpu.run(timeoutUs ? { timeoutUs } : {});
    if (s.kind !== 'timeout') break;
  }
  const dt = Number(process.hrtime.bigint() - t0);
  cpu.close();
  return (5 * iterations) / (dt / 1000);
}

/** The 5-instruction loop both sides run: MOVLs to CX, AX, DX; ADDL, XORL, ADDL, DECL, JNE. */
function tightLoop(iterations: number): number[] {
  return [0xb9, ...le32(iterations), 0xb8, 1, 0, 0, 0, 0xba, 0, 0, 0, 0, 0x01, 0xc2, 0x83, 0xf2, 0x55, 0x83, 0xc0, 0x03, 0x49, 0x75, 0xf5];
}

/**
 * µs per read fault after a chained loop (run() to the fault, pc checked),
 * its pc restored by the engine (syncpc.ts) or inferred (faultpc.ts).
 */
function faultUs(n: number, restored: boolean): number {
  setSyncPc(restored);
  // MOVL $3, CX; loop: ADDL $4, BX; DECL CX; JNE loop; MOVL $0x5000000, SI; MOVL (SI), AX
  const cpu = cpuWith([0xb9, 3, 0, 0, 0, 0x83, 0xc3, 4, 0x49, 0x75, 0xfa, 0xbe, ...le32(0x5000000), 0x8b, 0x06]);
  setSyncPc(true);
  const once = () => {
    cpu.setRegs({ pc: 0x1000 });
    const s = cpu.run();
    if (s.kind !== 'fault' || s.pc !== 0x1000 + 16) throw new Error(`bench/cpu: fault ${JSON.stringify(s)}`);
  };
  once(); // translated and chained
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) once();
  const dt = Number(process.hrtime.bigint() - t0);
  cpu.close();
  return dt / n / 1000;
}

/** µs per run() of a run that stops at once (INT $64 → stop). */
function shortRunUs(n: number, timeoutUs: number): number {
  const cpu = cpuWith([0xcd, 0x40, 0xeb, 0xfc]);
  cpu.onSyscall(() => cpu.stop());
  for (let i = 0; i < 100; i++) cpu.run(timeoutUs ? { timeoutUs } : {});
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) cpu.run(timeoutUs ? { timeoutUs } : {});
  const dt = Number(process.hrtime.bigint() - t0);
  cpu.close();
  return dt / n / 1000;
}

function rssMiB(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

function engines(n: number): { openMs: number; firstRunMs: number; rssPerEngineMiB: number } {
  const before = rssMiB();
  const cpus: UnicornCpu[] = [];
  let open = 0, first = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const cpu = cpuWith([0x40, 0x40, 0xcd, 0x40]);
    const t1 = performance.now();
    cpu.onSyscall(() => cpu.stop());
    cpu.run();
    first += performance.now() - t1;
    open += t1 - t0;
    cpus.push(cpu);
  }
  const after = rssMiB();
  for (const c of cpus) c.close();
  return { openMs: open / n, firstRunMs: first / n, rssPerEngineMiB: (after - before) / n };
}

const N = 1_000_000;
const mode = process.argv[2];
if (mode === 'engines') {
  // Run alone in a fresh process so RSS is not muddied by the other benches.
  console.log(JSON.stringify(engines(20)));
} else {
  const floorNs = await best(3, () => syscallFloorNs(N));
  const cpuNs = await best(3, () => syscallCpuNs(N));
  const loop = Uint8Array.from(tightLoop(200_000_000));
  const floorMips = await best(3, () => computeFloorMips(loop, 0, 0x1000, 0x1000 + loop.length, 5 * 200_000_000), Math.max);
  const cpuMips = await best(3, () => computeCpuMips(), Math.max);
  const sliceMips = await best(3, () => computeCpuMips(200_000_000, 10_000), Math.max);
  const plain = await best(3, () => shortRunUs(20000, 0));
  const wd = await best(3, () => shortRunUs(20000, 10_000));
  setPreemptMode('unicorn');
  const uct = await best(3, () => shortRunUs(500, 10_000));
  setPreemptMode('watchdog');
  const faultRestored = await best(3, () => faultUs(20000, true));
  const faultInferred = await best(3, () => faultUs(200, false));
  const eng = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, 'engines'], { encoding: 'utf8' }),
  );
  const r = {
    syscall_floor_ns: +floorNs.toFixed(1),
    syscall_cpu_ns: +cpuNs.toFixed(1),
    syscall_ratio: +(cpuNs / floorNs).toFixed(2),
    compute_floor_mips: Math.round(floorMips),
    compute_cpu_mips: Math.round(cpuMips),
    compute_ratio: +(cpuMips / floorMips).toFixed(2),
    compute_cpu_mips_10ms_slices: Math.round(sliceMips),
    run_us_no_slice: +plain.toFixed(2),
    run_us_watchdog_slice: +wd.toFixed(2),
    run_us_unicorn_timeout: +uct.toFixed(1),
    fault_us_restored: +faultRestored.toFixed(1),
    fault_us_inferred: +faultInferred.toFixed(0),
    engine_open_ms: +eng.openMs.toFixed(2),
    engine_first_run_ms: +eng.firstRunMs.toFixed(2),
    engine_rss_mib: +eng.rssPerEngineMiB.toFixed(1),
  };
  console.log(JSON.stringify(r, null, 1));
}
