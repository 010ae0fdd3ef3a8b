#!/usr/bin/env node
// p9emu launcher: runs the bundle dist/p9emu.cjs (in the package; in a
// checkout built by `npm test`, `npm start` or `npm run build`), or in a
// checkout without dist/ bin/p9emu.ts through tsx (bin/bundle.cjs).
// CommonJS, which node starts with less work than an ES module; bin/p9emu
// is a link to this file, and node takes a main module's kind from its
// real path's extension (docs/startup.md).
// For P9EMU_STARTUP_PROFILE (bin/startup.ts): when, and the CPU time and page faults by then.
const ru = process.resourceUsage();
globalThis.p9emuLaunched = [performance.now(), (ru.userCPUTime + ru.systemCPUTime) / 1000, ru.minorPageFault];
// explore --jobs N: its workers start now, beside all of this process's start.
if (process.argv[2] === 'explore') require('./explore_fork.cjs').forkEarly(process.argv.slice(2));
require('./bundle.cjs').start('p9emu', { native: ['run', 'demo', 'explore'].includes(process.argv[2]) });
