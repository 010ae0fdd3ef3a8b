// What the launchers (bin/p9emu.cjs, bin/go_plan9_386_exec.cjs,
// bin/explore_worker.cjs) run: the
// command's CommonJS bundle dist/NAME.cjs, compiled with V8's code cache,
// or in a checkout without dist/ its source bin/NAME.ts through tsx.
//
// The code cache: the bytecode of every function the first run compiled,
// saved at its exit (vm.Script createCachedData) and handed to V8 by the
// next runs, which then neither parse the bundle nor compile those
// functions again (docs/startup.md). Node 20 has no code cache for ES
// modules (module.enableCompileCache is Node 22), hence CommonJS. The
// cache lives in ~/.cache/p9emu/code (or $P9EMU_CODE_CACHE), one file per
// installed bundle, named for its build (size and time) and the Node
// release: V8 itself checks only the source's length (and a run of a
// guest replaces a cache made by a command that runs none: runCached). A run that writes
// one removes the installation's caches of other builds, and caches of
// any installation written over 30 days before.
// P9EMU_CODE_CACHE=off goes without; a cache that cannot be written is
// skipped silently.
//
// CommonJS, as the launchers are: node's start with an ES module as its
// main module costs more CPU than with CommonJS (docs/startup.md).
'use strict';
const { isAscii } = require('node:buffer');
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { homedir } = require('node:os');
const { basename, dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

/** Run the command NAME; `native`: it will load libunicorn (preloadUnicorn). */
exports.start = async function start(name, { native = false } = {}) {
  const bundle = join(__dirname, '..', 'dist', `${name}.cjs`);
  if (existsSync(bundle)) {
    if (native) preloadUnicorn(bundle);
    runCached(bundle, native);
    return;
  }
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write(`${name}: not built: run 'npm ci && npm run build'\n`);
    process.exit(2);
  }
  register();
  await import(pathToFileURL(join(__dirname, `${name}.ts`)).href);
};

/**
 * Start loading libunicorn (a 19 MB library to map and relocate: ~20 ms)
 * on a thread of libuv's pool, through koffi's asynchronous call of
 * dlopen, while this thread compiles the bundle; the bundle's own
 * koffi.load then finds it loaded (docs/startup.md). Linux only (dlopen
 * is in glibc's libc.so.6 since 2.34); any failure is left to that load to
 * report. The same koffi module as the bundle's, from the bundle's place.
 */
function preloadUnicorn(bundle) {
  if (process.platform !== 'linux') return;
  try {
    const koffi = requireKoffi(bundle);
    const dlopen = koffi.load('libc.so.6').func('void *dlopen(const char *file, int mode)');
    const RTLD_NOW = 2;
    dlopen.async(process.env.P9EMU_LIBUNICORN || 'libunicorn.so.2', RTLD_NOW, () => {});
  } catch {
    // No koffi, an older glibc: the bundle loads it all itself.
  }
}

/**
 * koffi, for the launcher and the bundle (globalThis.p9emuKoffi, which
 * emu/cpu/unicorn_ffi.ts takes). koffi's package.json has "exports", and
 * node's require('koffi') loads its ES module resolver to read them (~5 ms
 * of CPU): the package's own copy is required by its file's path when it is
 * there, which is where require('koffi') from dist/ would find it first.
 */
function requireKoffi(bundle) {
  const own = join(dirname(bundle), '..', 'node_modules', 'koffi', 'index.cjs');
  const koffi = existsSync(own) ? require(own) : createRequire(bundle)('koffi');
  globalThis.p9emuKoffi = koffi;
  return koffi;
}

function cacheDir() {
  const env = process.env.P9EMU_CODE_CACHE;
  if (env === 'off') return null;
  return env || join(homedir(), '.cache', 'p9emu', 'code');
}

/**
 * The cache holds what its run compiled: one made by a command that runs
 * no guest (`p9emu --help`, `asm`) lacks most of what a guest's run needs.
 * A run of a guest (`native`) therefore saves its own, named `-run`, even
 * when it found the other; every run reads the `-run` one when there is
 * one. A `-run` cache holds what its own run compiled too (a small `.s`
 * program's run, much less than a Go program's), so a run of a guest that
 * finds one written over REFRESH_MS before writes it again at its exit:
 * V8's cached data then holds every function compiled in the script, the
 * cache's and this run's, and the cache grows to what the runs use, at
 * the cost of one write a minute at most.
 */
function runCached(file, native) {
  // The bundle is ASCII (scripts/build.mjs): read as Latin-1, it becomes V8's
  // one-byte string with a copy, where node's UTF-8 read took ~190 page
  // faults and ~2.5 ms of CPU more. One that is not (a stale dist/) is UTF-8.
  const bytes = readFileSync(file);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const dir = cacheDir();
  let cache = null;
  let cachedData;
  let partial = false;
  let old = false;
  if (dir !== null) {
    const st = statSync(file);
    const base = join(dir, `${installation(file)}-${st.size}-${Math.floor(st.mtimeMs)}-node${process.version}-${process.arch}`);
    const read = (f) => {
      try {
        return readFileSync(f);
      } catch {
        return undefined; // none yet
      }
    };
    cache = `${base}-run.v8`;
    cachedData = read(cache);
    if (cachedData !== undefined && native) old = writtenLongAgo(cache);
    if (cachedData === undefined) {
      cachedData = read(`${base}.v8`);
      partial = cachedData !== undefined;
      if (!native) cache = `${base}.v8`;
    }
  }
  // The bundle is CommonJS's wrapper function itself (scripts/build.mjs), so it sees require, module and __filename as under require();
  // one built before the bundles were (a checkout's stale dist/) is wrapped here.
  const wrapper = '(function (exports, require, module, __filename, __dirname) {';
  const script = new vm.Script(source.startsWith(wrapper) ? source : `${wrapper}${source}\n})`, { filename: file, cachedData });
  const made = cache !== null && (cachedData === undefined || script.cachedDataRejected || (partial && native) || old);
  if (made) process.once('exit', () => save(cache, script));
  // For P9EMU_STARTUP_PROFILE (bin/startup.ts).
  const how = cache === null ? 'off' : cachedData === undefined ? 'none yet' : script.cachedDataRejected ? 'rejected' : partial && made ? 'partial' : old ? 'used, written again' : 'used';
  const ru = process.resourceUsage();
  globalThis.p9emuCompiled = [performance.now(), (ru.userCPUTime + ru.systemCPUTime) / 1000, ru.minorPageFault, `code cache ${how}`];
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
}

/** A `-run` cache written this long ago is written again by the next run of a guest (runCached). */
const REFRESH_MS = 60 * 1000;

/** Was the cache written over REFRESH_MS before? */
function writtenLongAgo(cache) {
  try {
    return Date.now() - statSync(cache).mtimeMs > REFRESH_MS;
  } catch {
    return false;
  }
}

/** The bundle's name and a hash of its path: one installation's caches start with it. */
function installation(file) {
  let h = 0x811c9dc5;  // FNV-1a: node:crypto alone takes longer to load than the whole cache
  for (let i = 0; i < file.length; i++) h = Math.imul(h ^ file.charCodeAt(i), 0x01000193);
  return `${basename(file)}-${(h >>> 0).toString(16).padStart(8, '0')}`;
}

/** Caches written this long ago go when another is written (installations come and go). */
const STALE_MS = 30 * 24 * 3600 * 1000;

/**
 * Write the cache (to a new name, then renamed: runs at once never read
 * half a file), and remove the installation's caches for other builds
 * and any stale one.
 */
function save(cache, script) {
  try {
    const dir = dirname(cache);
    mkdirSync(dir, { recursive: true });
    const tmp = `${cache}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, cache);
    const mine = basename(cache).split('-').slice(0, 2).join('-') + '-';
    const old = Date.now() - STALE_MS;
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.v8') || f === basename(cache)) continue;
      if (f.startsWith(mine) || statSync(join(dir, f)).mtimeMs < old) rmSync(join(dir, f), { force: true });
    }
  } catch {
    // A read-only home, a full disk: run without a cache.
  }
}
