// P9EMU_STARTUP_PROFILE=1: when the CLI reached each stage of its start, in
// ms since node started (performance.now()), printed on stderr at exit —
// to see where a short run's time goes (docs/startup.md).

const on = process.env.P9EMU_STARTUP_PROFILE === '1' && !(globalThis as { p9emuExploreWorker?: boolean }).p9emuExploreWorker;
const marks: [string, number][] = [];

/** The launcher (bin/p9emu, bin/bundle.mjs) leaves its start time and when it compiled the bundle here. */
const g = globalThis as { p9emuLaunched?: number; p9emuCompiled?: [number, string] };
if (on && g.p9emuLaunched !== undefined) marks.push(['launcher started', g.p9emuLaunched]);
if (on && g.p9emuCompiled !== undefined) marks.push([`bundle compiled (${g.p9emuCompiled[1]})`, g.p9emuCompiled[0]]);

export function mark(what: string): void {
  if (on) marks.push([what, performance.now()]);
}

if (on) {
  mark('bundle evaluated');
  process.on('exit', () => {
    mark('exit');
    let last = 0;
    for (const [what, t] of marks) {
      process.stderr.write(`startup: ${t.toFixed(1).padStart(7)} ms  +${(t - last).toFixed(1).padStart(6)}  ${what}\n`);
      last = t;
    }
  });
}
