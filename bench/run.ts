// npm run bench [-- --json]: the machine's speed beside raw Unicorn's in the
// same run. syscall_ns is a full round trip through the kernel model (INT
// $64 → trap → systab → result); its floor is a hook that only reads and
// writes EAX. compute_mips is a syscall-free guest loop under the kernel;
// its floor is the same kind of loop on a bare engine.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assemble } from '../asm/asm.ts';
import { run, type RunOptions } from '../emu/run.ts';
import { UnicornCpu } from '../emu/cpu/unicorn.ts';
import { unicorn } from '../emu/cpu/unicorn_ffi.ts';
import { unicornMachine } from '../emu/cpu/machine.ts';
import { BufferConsole } from '../emu/port/console.ts';
import type { Plan9 } from '../emu/port/kernel.ts';
import { deterministic } from '../emu/det/deterministic.ts';
import { computeFloorMips, cpuNs, syscallFloorNs, wallNs, type Clock } from './floor.ts';
import { parseAout } from '../emu/aout.ts';
import { goBench } from './go.ts';
import { exploreBench } from './explore.ts';
import { Table } from './table.ts';
import { best, bestPair } from './best.ts';
import { goVersion } from '../test/go/gobuild.ts';

const SYSCALLS = 1_000_000;
const INSNS = 22 * 10_000_000 + 5;  // compute.s: 22 instructions × 10e6 iterations in work(), its 3 set-up moves, the CALL and the RET

type Sym = { value: number; size: number };

/** Symbols of a bench program, from the assembler's symbol list; img must be what it assembles to. */
function progSyms(name: string, img: Uint8Array, want: readonly string[]): Record<string, Sym> {
  const file = fileURLToPath(new URL(`./prog/${name}`, import.meta.url));
  const r = assemble(readFileSync(file, 'utf8'), { file, readFile: (p) => readFileSync(p, 'utf8') });
  if (r.aout === undefined || Buffer.compare(r.aout, img) !== 0) throw new Error(`${name}: does not assemble to its image`);
  const out: Record<string, Sym> = {};
  for (const w of want) {
    const s = r.symbols.find((x) => x.name === w);
    if (!s) throw new Error(`${name}: no ${w}`);
    out[w] = s;
  }
  return out;
}

function image(name: string): Uint8Array {
  const file = fileURLToPath(new URL(`./prog/${name}`, import.meta.url));
  const r = assemble(readFileSync(file, 'utf8'), { file, readFile: (p) => readFileSync(p, 'utf8') });
  if (!r.ok || !r.aout) throw new Error(r.errors.join('\n'));
  return r.aout;
}

async function timeRun(img: Uint8Array, onboot?: RunOptions['onboot'], onkernel?: RunOptions['onkernel'], clock: Clock = wallNs): Promise<number> {
  const t0 = clock();
  const r = await run(img, { machine: unicornMachine(), console: new BufferConsole(), onboot, onkernel });
  const dt = clock() - t0;
  if (r.exitstr !== '') throw new Error(`bench program exited '${r.exitstr}'`);
  return dt;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  // Rows as they are measured (not with --json: one object at the end).
  const table = json ? null : new Table((s) => process.stdout.write(s));
  table?.header();
  const sys = image('syscall.s');
  const comp = image('compute.s');
  // The floors run the same loops at the same guest address as the a.out (0x1020).
  const [sysTime, syscall_floor_ns] = await bestPair(7, () => timeRun(sys), () => syscallFloorNs(SYSCALLS, 0x20));
  const syscall_ns = sysTime / SYSCALLS;
  table?.row(['syscall round trip (ns)', `${round(syscall_ns)}`, `${round(syscall_floor_ns)}`, `${round(syscall_ns / syscall_floor_ns, 2)}×`, '≤ 1.5×']);
  // The calls Go's nanotime makes, beside the cheapest call, in turn:
  // nsec storing the clock through its result pointer (Go up to 1.23),
  // and a pread of /dev/bintime (Go from 1.24). A reply built or stored
  // wastefully shows here (each allocation is a malloc at this rate).
  const clockRow = async (prog: string, target: number) => {
    const [t, base] = await bestPair(7, () => timeRun(image(prog)), () => timeRun(sys));
    const ns = t / SYSCALLS, ratio = t / base;
    table?.row([`${prog.replace('.s', '')} round trip (ns) vs the cheapest call`, `${round(ns)}`, `${round(base / SYSCALLS)} sysr1`, `${round(ratio, 2)}×`, `≤ ${target}×`]);
    return { ns: round(ns), ratio: round(ratio, 2) };
  };
  const nsec = await clockRow('nsec.s', 2.5);
  const bintime = await clockRow('bintime.s', 4);
  // Guest execution only: a process's start and end (boot, exec, exit) are
  // timed with null.s and taken off.
  const startup = await best(9, () => timeRun(image('null.s')));
  // The floor runs compute.s's text — the same bytes at the same
  // addresses — from _main's CALL work(SB) to the instruction after it.
  const { work, _main: main } = progSyms('compute.s', comp, ['work', '_main']);
  const text = parseAout(comp).text;
  if (text[main.value - 0x1020] !== 0xe8) throw new Error('compute.s: _main does not start with CALL');
  // Short runs, many of them: the machine runs the same JIT code at ~3600
  // or ~5000 MIPS, changing from run to run (docs/unicorn.md), and the fast
  // mode comes in roughly one run in ten; each side's best needs one.
  const [compTime, compute_floor_mips] = await bestPair(40, () => timeRun(comp),
    () => computeFloorMips(text, 0x20, main.value, main.value + 5, INSNS), Math.min, Math.max);
  const compute_mips = INSNS / ((compTime - startup) / 1e3);
  table?.row(['compute (guest MIPS), fresh engines', `${round(compute_mips)}`, `${round(compute_floor_mips)}`, `${round(compute_mips / compute_floor_mips, 2)}×`, '≥ 0.9×']);
  // The same comparison on one engine: work() first runs raw on the
  // process's own engine (uc_emu_start, no kernel), then the process runs
  // under p9emu. Engine-to-engine variance drops out.
  const same = await best(40, async () => {
    let raw = 0;
    const t = await timeRun(comp, (_k, first) => {
      const cpu = first.cpu as UnicornCpu;
      const ctx = cpu.save();
      cpu.setRegs({ pc: work.value });
      const L = unicorn();
      const t0 = process.hrtime.bigint();
      const err = L.uc_emu_start(cpu.engine, work.value, work.value + work.size - 1, 0, 0);
      raw = Number(process.hrtime.bigint() - t0);
      if (err !== 0) throw new Error(`same-engine floor: uc_emu_start error ${err}`);
      cpu.restore(ctx);
      ctx.free();
    });
    // Ratio of p9emu's time to the raw run's: lower is better; best = lowest.
    return (t - startup - raw) / raw;
  });
  table?.row(['compute, raw then p9emu on one engine', '', '', `${round(1 / same, 2)}×`, '≥ 0.9×']);
  // Calls to a function on another page (calls.s), as Go code makes them:
  // each RET is an indirect jump that Unicorn looks up every time
  // (docs/unicorn.md). The floor runs the same text from _main to the
  // loop's end on a bare engine; the row also says how far below the
  // straight-line compute floor such code runs. Both sides are timed in
  // the process's CPU time (p9emu's watchdog thread included): at the load
  // of a shared machine a run's wall time is mostly waiting for a CPU, and
  // the two sides differed by more than they differ in work.
  const calls = image('calls.s');
  const { _main: cmain } = progSyms('calls.s', calls, ['_main']);
  const ctext = parseAout(calls).text;
  const loopEnd = cmain.value + 13;  // MOVL $N, CX; CALL far; DECL CX; JNE loop
  if (ctext[loopEnd - 0x1020] !== 0xc7) throw new Error('calls.s: the loop is not where the bench expects it');
  const cpuStartup = await best(9, () => timeRun(image('null.s'), undefined, undefined, cpuNs));
  const [callTime, calls_floor_mips] = await bestPair(15, () => timeRun(calls, undefined, undefined, cpuNs),
    () => computeFloorMips(ctext, 0x20, cmain.value, loopEnd, CALL_INSNS, cpuNs), Math.min, Math.max);
  const calls_mips = CALL_INSNS / ((callTime - cpuStartup) / 1e3);
  table?.row(['calls to another page (MIPS, CPU time)', `${round(calls_mips)}`, `${round(calls_floor_mips)}`, `${round(calls_mips / calls_floor_mips, 2)}×`, '≥ 0.9×']);
  table?.row(['  the same, against the compute floor', '', '', `${round(calls_mips / compute_floor_mips, 2)}×`, '']);
  // --deterministic against free running, in turn: instruction-count
  // slices (the block counter, emu/cpu/blockcount.ts) and the virtual clock.
  const det = (k: Plan9) => void deterministic(k, { seed: 0 });
  const [detTime, freeTime] = await bestPair(20, () => timeRun(comp, undefined, det), () => timeRun(comp));
  const det_mips = INSNS / ((detTime - startup) / 1e3);
  const free_mips = INSNS / ((freeTime - startup) / 1e3);
  table?.row(['compute --deterministic (MIPS) vs free', `${round(det_mips)}`, `${round(free_mips)} free`, `${round(det_mips / free_mips, 2)}×`, '≥ 0.5×']);
  // REP MOVSL of 4 KiB (repmovs.s, 1e6 copies) against the host copying
  // 4 KiB within one buffer (copyWithin, a memmove), in turn.
  const [repTime, memcpy_ns] = await bestPair(9, () => timeRun(image('repmovs.s')), () => hostCopyNs(REP_COPIES));
  const rep_ns = (repTime - startup) / REP_COPIES;
  table?.row(['REP MOVSL of 4 KiB (ns) vs host memmove', `${round(rep_ns)}`, `${round(memcpy_ns)} host`, `${round(memcpy_ns / rep_ns, 2)}×`, '≥ 0.25×']);
  table?.row(['process start to exit, null.s (ms)', `${round(startup / 1e6, 1)}`, '', '', '']);
  const r = {
    syscall_ns: round(syscall_ns),
    syscall_floor_ns: round(syscall_floor_ns),
    syscall_ratio: round(syscall_ns / syscall_floor_ns, 2),
    nsec_ns: nsec.ns,
    nsec_ratio: nsec.ratio,
    bintime_ns: bintime.ns,
    bintime_ratio: bintime.ratio,
    compute_mips: round(compute_mips),
    compute_floor_mips: round(compute_floor_mips),
    compute_ratio: round(compute_mips / compute_floor_mips, 2),
    compute_same_engine_ratio: round(1 / same, 2),
    calls_mips: round(calls_mips),
    calls_floor_mips: round(calls_floor_mips),
    calls_ratio: round(calls_mips / calls_floor_mips, 2),
    calls_compute_ratio: round(calls_mips / compute_floor_mips, 2),
    rep_movsl_4k_ns: round(rep_ns),
    host_memmove_4k_ns: round(memcpy_ns),
    rep_movsl_ratio: round(memcpy_ns / rep_ns, 2),
    compute_det_mips: round(det_mips),
    compute_det_ratio: round(det_mips / free_mips, 2),
    process_start_ms: round(startup / 1e6, 1),
  };
  // Real Go binaries (bench/go.ts), when the host has Go to build them.
  const go = goVersion() !== null ? await goBench((row) => table?.row(row)) : null;
  const explore = await exploreBench((row) => table?.row(row));
  if (json) process.stdout.write(JSON.stringify({ ...r, ...go, ...explore }) + '\n');
}

const REP_COPIES = 1_000_000;
const CALL_INSNS = 5 * 10_000_000 + 1;  // calls.s up to the loop's end: MOVL $N, CX, then CALL, ADDL, RET, DECL, JNE N times

/** ns per copy of 4 KiB within one host buffer, n copies. */
function hostCopyNs(n: number): number {
  const b = new Uint8Array(16384);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) b.copyWithin(8192, 0, 4096);
  return Number(process.hrtime.bigint() - t0) / n;
}

function round(x: number, d = 1): number {
  const m = 10 ** d;
  return Math.round(x * m) / m;
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
