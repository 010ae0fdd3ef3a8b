// An explore worker process (emu/explore/pool.ts): the p9emu bundle, with
// its code cache (bin/bundle.cjs), started as the worker instead of the CLI.
globalThis.p9emuExploreWorker = true;
require('./bundle.cjs').start('p9emu', { native: true });
