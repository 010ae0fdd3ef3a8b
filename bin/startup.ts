// P9EMU_STARTUP_PROFILE=1: when the CLI reached each stage of its start, in
// ms since node started (performance.now()), printed on stderr at exit —
// to see where a short run's time goes (docs/startup.md).

const on = process.env.P9EMU_STARTUP_PROFILE === '1';
const marks: [string, number][] = [];

/** The launcher (bin/p9emu) leaves its start time here. */
const launched = (globalThis as { p9emuLaunched?: number }).p9emuLaunched;
if (on && launched !== undefined) marks.push(['launcher started', launched]);

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
