// npm run bench:trace [-- --json]: what tracing and determinism cost.
// The same guest loops as bench/run.ts, smaller, run untraced, with the
// syscall trace (JSONL into a discarding writer), with the instruction
// trace, and under --deterministic (Unicorn's instruction-count slices).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assemble } from '../asm/asm.ts';
import { run } from '../emu/run.ts';
import { unicornMachine } from '../emu/cpu/machine.ts';
import { BufferConsole } from '../emu/port/console.ts';
import { instrument, type Instrumentation } from '../emu/instrument.ts';
import { best } from './best.ts';

const CALLS = 200_000;
const PER_ITER = 22;  // compute.s work(): 22 instructions an iteration
const INSNS = PER_ITER * 5_000_000;
const TRACED_INSNS = PER_ITER * 20_000;

function image(name: string, iterations: number): Uint8Array {
  const file = fileURLToPath(new URL(`./prog/${name}`, import.meta.url));
  // The loop count is the program's first immediate (syscall.s: 1e6, compute.s: 10e6).
  const src = readFileSync(file, 'utf8').replace(/\$(1000000|10000000), /, () => `$${iterations}, `);
  if (!src.includes(`$${iterations}, `)) throw new Error(`${name}: no loop count to replace`);
  const r = assemble(src, { file });
  if (!r.ok || !r.aout) throw new Error(r.errors.join('\n'));
  return r.aout;
}

async function timed(img: Uint8Array, o: Instrumentation = {}): Promise<number> {
  const ins = await instrument(o, [img]);
  const t0 = process.hrtime.bigint();
  const r = await run(img, { machine: unicornMachine(), console: new BufferConsole(), trace: ins.trace, onkernel: ins.onkernel });
  const dt = Number(process.hrtime.bigint() - t0);
  ins.close();
  if (r.exitstr !== '') throw new Error(`bench program exited '${r.exitstr}'`);
  return dt;
}

const discard = (): void => {};

async function main(): Promise<void> {
  const sys = image('syscall.s', CALLS);
  const comp = image('compute.s', INSNS / PER_ITER);
  const small = image('compute.s', TRACED_INSNS / PER_ITER);
  const r = {
    syscall_ns: await best(3, () => timed(sys)) / CALLS,
    syscall_traced_ns: await best(3, () => timed(sys, { trace: { cats: ['sys'], format: 'jsonl', out: discard } })) / CALLS,
    syscall_det_ns: await best(3, () => timed(sys, { det: { seed: 1 } })) / CALLS,
    compute_mips: INSNS / (await best(3, () => timed(comp)) / 1e3),
    compute_det_mips: INSNS / (await best(3, () => timed(comp, { det: { seed: 1 } })) / 1e3),
    insn_traced_mips: TRACED_INSNS / (await best(2, () => timed(small, { trace: { cats: ['insn'], format: 'jsonl', out: discard } })) / 1e3),
  };
  const out = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * 100) / 100]));
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(out) + '\n');
  else for (const [k, v] of Object.entries(out)) process.stdout.write(`${k.padEnd(20)} ${v}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
