// Set-up and CLI dispatcher: the launcher, the dispatcher's exit codes,
// scripts/setup.sh --quiet, and .ci/run calling the README's test command.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { goVersion } from '../go/gobuild.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const p9emu = (...args: string[]) => run(process.execPath, ['bin/p9emu', ...args]);

beforeAll(() => {
  const b = run(process.execPath, ['scripts/build.mjs']);
  expect(b.stderr).toBe('');
  expect(b.code).toBe(0);
});

describe('p9emu dispatcher', () => {
  it('--help lists the commands and exits 0', () => {
    const r = p9emu('--help');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^usage: p9emu <command>/);
    for (const c of ['run', 'asm', 'demo', 'help']) expect(r.stdout).toMatch(new RegExp(`^  ${c} +\\S`, 'm'));
  });

  it('help with no topic is the same help on stdout', () => {
    const r = p9emu('help');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(p9emu('--help').stdout);
  });

  it('help CMD prints the command usage', () => {
    for (const c of ['run', 'asm', 'demo']) {
      const r = p9emu('help', c);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toMatch(new RegExp(`p9emu ${c}`));
    }
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
    const r = p9emu('--version');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`p9emu ${pkg.version}\n`);
  });

  it('an unknown command exits 2 with one line on stderr', () => {
    const r = p9emu('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^p9emu: unknown command 'frobnicate' .*--help.*\n$/);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  it('help for an unknown command exits 2', () => {
    const r = p9emu('help', 'frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  it('no command prints usage on stderr and exits 2', () => {
    const r = p9emu();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^usage: p9emu/);
  });
});

describe('set-up', () => {
  it('scripts/setup.sh --quiet exits 0 and prints nothing here', () => {
    const r = run('sh', ['scripts/setup.sh', '--quiet']);
    if (goVersion() !== null || process.env.CI === 'true') expect(r.stderr).toBe('');
    else expect(r.stderr).toMatch(/^setup: warning: golang-1\.19-go not installed/); // a warning only, outside CI
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
  });

  it('scripts/setup.sh names the install command when libunicorn is missing', () => {
    const r = run('sh', ['scripts/setup.sh', '--quiet'], { P9EMU_LIBUNICORN: '/nonexistent/libunicorn.so.2' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('sudo apt-get install -y libunicorn2 golang-1.19-go golang-1.23-go tzdata gdb');
  });

  it('scripts/setup.sh --add-backports adds the suite\'s backports as a second entry of the same archive, once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p9emu-apt-'));
    mkdirSync(join(dir, 'sources.list.d'));
    writeFileSync(join(dir, 'os-release'), 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_CODENAME=bookworm\n');
    writeFileSync(join(dir, 'sources.list.d/debian.sources'),
      'Types: deb\nURIs: http://deb.example/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/k.gpg\n\n' +
      'Types: deb\nURIs: http://deb.example/debian-security\nSuites: bookworm-security\nComponents: main\nSigned-By: /usr/share/keyrings/k.gpg\n');
    const env = { P9EMU_APT_DIR: dir, P9EMU_OS_RELEASE: join(dir, 'os-release') };
    expect(run('sh', ['scripts/setup.sh', '--add-backports'], env).code).toBe(0);
    const added = join(dir, 'sources.list.d/p9emu-backports.sources');
    expect(readFileSync(added, 'utf8')).toBe(
      '# Added by p9emu setup: golang-1.23-go is in bookworm-backports only.\n' +
        'Types: deb\nURIs: http://deb.example/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/k.gpg\n',
    );
    // Named once, it is not added again.
    rmSync(added);
    writeFileSync(join(dir, 'sources.list.d/other.sources'), 'Types: deb\nURIs: http://x/debian\nSuites: bookworm-backports\nComponents: main\n');
    expect(run('sh', ['scripts/setup.sh', '--add-backports'], env).code).toBe(0);
    expect(existsSync(added)).toBe(false);
  });

  it('.ci/run runs `npm test` with CI=true from the repo root', () => {
    const s = readFileSync(`${root}/.ci/run`, 'utf8');
    expect(s).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(s).toMatch(/^set -euo pipefail$/m);
    expect(s).toMatch(/^cd "\$\(dirname "\$\{BASH_SOURCE\[0\]\}"\)\/\.\."$/m);
    expect(s).toMatch(/^export CI=true$/m);
    expect(s).toMatch(/^npm test$/m);
    const cmds = s.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
    expect(cmds.at(-1)).toBe('npm test');
  });

  it('package.json wires npm start/test through scripts/setup.sh', () => {
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
    expect(pkg.scripts.test).toMatch(/^sh scripts\/setup\.sh && /);
    expect(pkg.scripts.start).toMatch(/^sh scripts\/setup\.sh && node bin\/p9emu demo$/);
    expect(pkg.bin.p9emu).toBe('bin/p9emu.cjs');
  });
});
