// bin/bundle.cjs, the launchers' runner of a command's bundle: an ASCII
// bundle (what scripts/build.mjs writes) and a stale one with UTF-8 text and
// no wrapper both run with their text as written.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

/** Output of a launcher for a bundle dist/t.cjs of this text, in a package of its own. */
function launch(bundle: string): string {
  const pkg = mkdtempSync(join(tmpdir(), 'p9emu-bundle-'));
  mkdirSync(join(pkg, 'bin'));
  mkdirSync(join(pkg, 'dist'));
  copyFileSync(join(root, 'bin/bundle.cjs'), join(pkg, 'bin/bundle.cjs'));
  writeFileSync(join(pkg, 'bin/t.cjs'), "require('./bundle.cjs').start('t');\n");
  writeFileSync(join(pkg, 'dist/t.cjs'), bundle);
  return execFileSync(process.execPath, [join(pkg, 'bin/t.cjs')], { encoding: 'utf8', env: { ...process.env, P9EMU_CODE_CACHE: join(pkg, 'cache') } });
}

describe('bin/bundle.cjs', () => {
  it('runs an ASCII bundle, the CommonJS wrapper itself', () => {
    const out = launch("(function (exports, require, module, __filename, __dirname) {console.log('caf\\u00e9', typeof require, __filename.endsWith('t.cjs'));\n})");
    expect(out).toBe('café function true\n');
  });

  it('runs a stale bundle, UTF-8 and unwrapped, with its characters as written', () => {
    expect(launch("console.log('café × —', typeof module);\n")).toBe('café × — object\n');
  });
});
