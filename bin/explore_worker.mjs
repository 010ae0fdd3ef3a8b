// An explore worker process (emu/explore/pool.ts): the p9emu bundle, with
// its code cache (bin/bundle.mjs), started as the worker instead of the CLI.
globalThis.p9emuExploreWorker = true;
import { start } from './bundle.mjs';

await start('p9emu', { native: true });
