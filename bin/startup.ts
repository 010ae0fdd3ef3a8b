// P9EMU_STARTUP_PROFILE=1: when the CLI reached each stage of its start, in
// ms since node started (performance.now()), and the CPU time the process
// had used by then (user + sys, all threads: steadier than the wall time on
// a busy machine), printed on stderr at exit — to see where a short run's
// time goes (docs/startup.md).

const on = process.env.P9EMU_STARTUP_PROFILE === '1' && !(globalThis as { p9emuExploreWorker?: boolean }).p9emuExploreWorker;
/** A stage, when it was reached (ms), the process's CPU time (ms) and its page faults by then. */
const marks: [string, number, number, number][] = [];

/** The launcher (bin/p9emu, bin/bundle.cjs) leaves its start and when it compiled the bundle here: [ms, CPU ms, faults, ...]. */
const g = globalThis as { p9emuLaunched?: [number, number, number]; p9emuCompiled?: [number, number, number, string] };
if (on && g.p9emuLaunched !== undefined) marks.push(['launcher started', ...g.p9emuLaunched]);
if (on && g.p9emuCompiled !== undefined) marks.push([`bundle compiled (${g.p9emuCompiled[3]})`, g.p9emuCompiled[0], g.p9emuCompiled[1], g.p9emuCompiled[2]]);

export function mark(what: string): void {
  if (!on) return;
  // CPU time: user + system, all of the process's threads; faults: minor page faults (a fresh page each, on any thread).
  const ru = process.resourceUsage();
  marks.push([what, performance.now(), (ru.userCPUTime + ru.systemCPUTime) / 1000, ru.minorPageFault]);
}

if (on) {
  mark('bundle evaluated');
  process.on('exit', () => {
    mark('exit');
    let last = 0, lastCpu = 0, lastFaults = 0;
    const n = (x: number, w: number) => x.toFixed(1).padStart(w);
    for (const [what, t, cpu, faults] of marks) {
      process.stderr.write(`startup: ${n(t, 7)} ms  +${n(t - last, 6)}  cpu ${n(cpu, 6)}  +${n(cpu - lastCpu, 6)}  faults ${String(faults).padStart(5)}  +${String(faults - lastFaults).padStart(5)}  ${what}\n`);
      last = t;
      lastCpu = cpu;
      lastFaults = faults;
    }
  });
}
