// Bundle the CLI with esbuild: bin/p9emu.ts -> dist/p9emu.js (and, when it
// exists, bin/go_plan9_386_exec.ts -> dist/go_plan9_386_exec.js).
// Runs as npm `prepare`, so `npm ci` builds dist/. Without esbuild (e.g.
// `npm ci --omit=dev`) it prints a notice and exits 0; real build errors fail.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch (e) {
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && /'esbuild'/.test(String(e.message))) {
    console.log('build: esbuild is not installed (dev dependencies omitted?); skipping the dist/ bundle');
    process.exit(0);
  }
  throw e;
}

const entries = [
  ['bin/p9emu.ts', 'dist/p9emu.js'],
  ['bin/go_plan9_386_exec.ts', 'dist/go_plan9_386_exec.js'],
].filter(([src]) => existsSync(join(root, src)));

// Native (koffi) and wasm (capstone) packages stay in node_modules; CommonJS
// code that does get bundled may call require(), which ESM lacks: provide it.
const banner =
  "import { createRequire as __p9emuCreateRequire } from 'node:module';\n" +
  'const require = __p9emuCreateRequire(import.meta.url);';

try {
  for (const [src, out] of entries) {
    const r = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [src],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['koffi', '@alexaltea/capstone-js'],
      banner: { js: banner },
      sourcemap: 'linked',
      logLevel: 'warning',
      write: false,
    });
    // Write each file to a temporary name and rename it into place, so a
    // p9emu started while a build runs (tests run in parallel) never sees half a file.
    for (const f of r.outputFiles) {
      mkdirSync(dirname(f.path), { recursive: true });
      const tmp = `${f.path}.${process.pid}.tmp`;
      writeFileSync(tmp, f.contents);
      renameSync(tmp, f.path);
    }
    console.log(`build: ${src} -> ${out}`);
  }
} catch (e) {
  // esbuild has already printed the diagnostics.
  console.error(`build: failed: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
  process.exit(1);
}
