// P9EMU_STARTUP_PROFILE=1: when the CLI reached each stage of its start, in
// ms since node started (performance.now()), and the CPU time the process
// had used by then (user + sys, all threads: steadier than the wall time on
// a busy machine), printed on stderr at exit — to see where a short run's
// time goes (docs/startup.md).

const on = process.env.P9EMU_STARTUP_PROFILE === '1' && !(globalThis as { p9emuExploreWorker?: boolean }).p9emuExploreWorker;
/** A stage, when it was reached (ms), and the process's CPU time by then (ms). */
const marks: [string, number, number][] = [];

/** The process's CPU time, user and system, in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The launcher (bin/p9emu, bin/bundle.cjs) leaves its start and when it compiled the bundle here: [ms, CPU ms, ...]. */
const g = globalThis as { p9emuLaunched?: [number, number]; p9emuCompiled?: [number, number, string] };
if (on && g.p9emuLaunched !== undefined) marks.push(['launcher started', ...g.p9emuLaunched]);
if (on && g.p9emuCompiled !== undefined) marks.push([`bundle compiled (${g.p9emuCompiled[2]})`, g.p9emuCompiled[0], g.p9emuCompiled[1]]);

export function mark(what: string): void {
  if (on) marks.push([what, performance.now(), cpuMs()]);
}

if (on) {
  mark('bundle evaluated');
  process.on('exit', () => {
    mark('exit');
    let last = 0, lastCpu = 0;
    for (const [what, t, cpu] of marks) {
      process.stderr.write(`startup: ${t.toFixed(1).padStart(7)} ms  +${(t - last).toFixed(1).padStart(6)}  cpu ${cpu.toFixed(1).padStart(6)}  +${(cpu - lastCpu).toFixed(1).padStart(6)}  ${what}\n`);
      last = t;
      lastCpu = cpu;
    }
  });
}
