// Bundle with esbuild: the CLI (bin/p9emu.ts -> dist/p9emu.cjs, which also
// serves explore's worker processes; bin/go_plan9_386_exec.ts ->
// dist/go_plan9_386_exec.cjs) and the library (api/index.ts -> dist/index.js). scripts/setup.sh runs it when dist/ is
// missing or stale, and `npm pack` (prepack) before packing. `--types`
// (also in prepack) writes the library's declarations instead:
// dist/types/, only the files api/index.d.ts reaches (tsc takes half a
// minute: not at every build). No `prepare` script: npm would list it
// among the install scripts a user of the tarball is asked to approve.
// Without esbuild (e.g. `npm ci --omit=dev`) it prints a notice and exits
// 0; real build errors fail.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

// The CLI's bundles are CommonJS, which bin/bundle.cjs runs with V8's code
// cache (Node 20 has none for ES modules); the library stays an ES module.
const entries = [
  ['bin/p9emu.ts', 'dist/p9emu.cjs'],
  ['bin/go_plan9_386_exec.ts', 'dist/go_plan9_386_exec.cjs'],
  ['api/index.ts', 'dist/index.js'],
].filter(([src]) => existsSync(join(root, src)));

// Native (koffi) and wasm (capstone) packages stay in node_modules. In the
// ES module, CommonJS code that does get bundled may call require(), which
// ESM lacks: provide it. In the CommonJS ones, import.meta.url (the
// sources find package files from it) is the bundle's URL.
const esm = {
  format: 'esm',
  banner: {
    js: "import { createRequire as __p9emuCreateRequire } from 'node:module';\n" +
      'const require = __p9emuCreateRequire(import.meta.url);',
  },
};
//
// A CLI bundle is CommonJS's function expression itself, the wrapper
// node's require() would put around it: bin/bundle.cjs compiles the file's
// text as it is, which V8 then need not copy (a wrapper added by
// concatenation is flattened into a new string first), and calls the
// function. Its text is ASCII (esbuild keeps comments and regular
// expressions as written): V8 holds it in one byte a character, not two.
const CJS_WRAPPER = '(function (exports, require, module, __filename, __dirname) {';
const cjs = {
  format: 'cjs',
  banner: { js: CJS_WRAPPER + "var __p9emuUrl = require('node:url').pathToFileURL(__filename).href;" },
  footer: { js: '})' },
  define: { 'import.meta.url': '__p9emuUrl' },
};

/** Non-ASCII characters as \u escapes: the same text in a comment, a string, a template or a regular expression. */
const ascii = (text) => text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

if (process.argv.includes('--types')) {
  types();
  process.exit(0);
}

try {
  for (const [src, out] of entries) {
    const r = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [src],
      outfile: out,
      bundle: true,
      platform: 'node',
      ...(out.endsWith('.cjs') ? cjs : esm),
      target: 'node20',
      external: ['koffi', '@alexaltea/capstone-js'],
      sourcemap: 'linked',
      logLevel: 'warning',
      write: false,
    });
    // Write each file to a temporary name and rename it into place, so a
    // p9emu started while a build runs (tests run in parallel) never sees half a file.
    for (const f of r.outputFiles) {
      mkdirSync(dirname(f.path), { recursive: true });
      const tmp = `${f.path}.${process.pid}.tmp`;
      writeFileSync(tmp, f.path.endsWith('.cjs') ? ascii(f.text) : f.contents);
      renameSync(tmp, f.path);
    }
    console.log(`build: ${src} -> ${out}`);
  }
} catch (e) {
  // esbuild has already printed the diagnostics.
  console.error(`build: failed: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
  process.exit(1);
}

/** tsc's declarations for api/index.ts, pruned to the files it reaches. */
function types() {
  const out = join(root, 'dist', 'types');
  rmSync(out, { recursive: true, force: true });
  const tsc = join(root, 'node_modules', '.bin', 'tsc');
  const r = spawnSync(tsc, ['-p', join(root, 'tsconfig.types.json')], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('build: declarations failed');
    process.exit(1);
  }
  const keep = new Set();
  const visit = (f) => {
    if (keep.has(f) || !existsSync(f)) return;
    keep.add(f);
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:from |import\()'(\.{1,2}\/[^']+)'/g)) {
      visit(join(dirname(f), m[1].replace(/\.ts$/, '.d.ts')));
    }
  };
  visit(join(out, 'api', 'index.d.ts'));
  const prune = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        prune(p);
        if (readdirSync(p).length === 0) rmSync(p, { recursive: true });
      } else if (!keep.has(p)) rmSync(p);
    }
  };
  prune(out);
  console.log(`build: api/index.ts -> dist/types/ (${keep.size} declaration files)`);
}
