// The package as a user gets it: `npm pack`, then the tarball installed
// into an empty directory (npx p9emu demo / run, import from 'p9emu' with
// its types) and globally (p9emu and go_plan9_386_exec on PATH, Go's
// strings tests through go test, P9EMU_FLAGS tracing them). The tarball
// needs no network for p9emu itself; its dependencies come from npm's
// cache (--prefer-offline) or the registry.

import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, skipWithoutGo } from './gobuild.ts';

const NPM_INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
const LONG = 600_000;
let dir: string;
let tarball: string;

/**
 * Run a command to its end. Asynchronously: npm pack and go test take
 * minutes, and a synchronous wait would starve the test worker's RPC.
 */
function sh(cmd: string, args: string[], o: SpawnOptions = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { ...o, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout!.on('data', (d: Buffer) => (stdout += d));
    c.stderr!.on('data', (d: Buffer) => (stderr += d));
    c.on('error', reject);
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'p9emu-pack-'));
  // The installed launchers' code caches (bin/bundle.cjs) go here, not in ~/.cache.
  process.env.P9EMU_CODE_CACHE = join(dir, 'code-cache');
  const r = await sh('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: REPO });
  if (r.code !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
  tarball = join(dir, r.stdout.trim().split('\n').pop()!);
}, LONG);

describe('npm pack', () => {
  it('packs only what running needs', async () => {
    const files = (await sh('tar', ['tzf', tarball])).stdout.trim().split('\n').map((f) => f.replace(/^package\//, ''));
    for (const f of ['dist/p9emu.cjs', 'dist/go_plan9_386_exec.cjs', 'bin/bundle.cjs', 'bin/explore_worker.cjs', 'bin/explore_fork.cjs', 'dist/index.js', 'dist/types/api/index.d.ts',
      'bin/p9emu.cjs', 'bin/go_plan9_386_exec.cjs', 'asm/sys_plan9_386.s', 'runtime/init.s', 'plan9/lib/ndb/local',
      'README.md', 'LICENSE', 'package.json']) expect(files).toContain(f);
    const top = new Set(files.map((f) => f.split('/')[0]));
    expect([...top].sort()).toEqual(['LICENSE', 'README.md', 'asm', 'bin', 'dist', 'docs', 'package.json', 'plan9', 'runtime']);
    expect(files.filter((f) => f.startsWith('bin/'))).toEqual(expect.arrayContaining(['bin/p9emu.cjs', 'bin/go_plan9_386_exec.cjs']));
    expect(files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false);
  });

  it('runs from a local install: npx p9emu demo and run, and the library with its types', async () => {
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name":"app","private":true,"type":"module"}\n');
    const inst = await sh('npm', [...NPM_INSTALL, tarball], { cwd: app });
    expect(inst.stderr).not.toMatch(/ERR!/);
    expect(inst.code).toBe(0);

    const demo = await sh('npx', ['--no-install', 'p9emu', 'demo', 'after'], { cwd: app });
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/^after:\npid  program status\n/);

    writeFileSync(join(app, 'hi.s'), '#include "sys_plan9_386.s"\nDATA m<>+0(SB)/4, $"hi\\n\\x00"\nGLOBL m<>(SB), $4\n'
      + 'TEXT _main(SB), 7, $20\n\tMOVL\t$1, 0(SP)\n\tMOVL\t$m<>(SB), AX\n\tMOVL\tAX, 4(SP)\n\tMOVL\t$3, 8(SP)\n'
      + '\tMOVL\t$-1, 12(SP)\n\tMOVL\t$-1, 16(SP)\n\tCALL\truntime·pwrite(SB)\n\tMOVL\t$0, 0(SP)\n\tCALL\truntime·exits(SB)\n\tRET\n');
    expect(await sh('npx', ['--no-install', 'p9emu', 'run', 'hi.s'], { cwd: app })).toEqual({ code: 0, stdout: 'hi\n', stderr: '' });
    // The first run (demo) made the installed bundle's code cache.
    expect(readdirSync(process.env.P9EMU_CODE_CACHE!)).toEqual([expect.stringMatching(/^p9emu\.cjs-.*\.v8$/)]);

    writeFileSync(join(app, 'use.ts'), "import { assemble, boot, type RunResult } from 'p9emu';\n"
      + "import { readFileSync } from 'node:fs';\n"
      + "const r: RunResult = await boot(assemble(readFileSync('hi.s', 'utf8'))).run();\n"
      + 'process.stdout.write(r.stdout + r.code);\n');
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: [], typeRoots: [join(REPO, 'node_modules/@types')] } }));
    const tsc = await sh(join(REPO, 'node_modules/.bin/tsc'), ['-p', '.', '--types', 'node'], { cwd: app });
    expect(tsc.stdout + tsc.stderr).toBe('');
    writeFileSync(join(app, 'use.mjs'), "import { assemble, boot } from 'p9emu';\nimport { readFileSync } from 'node:fs';\n"
      + "const r = await boot(assemble(readFileSync('hi.s', 'utf8'))).run();\nprocess.stdout.write(r.stdout + r.code);\n");
    expect(await sh('node', ['use.mjs'], { cwd: app })).toEqual({ code: 0, stdout: 'hi\n0', stderr: '' });
  }, LONG);

  it.skipIf(skipWithoutGo())('installs globally: go test through go_plan9_386_exec, traced with P9EMU_FLAGS', async () => {
    const prefix = join(dir, 'global');
    const inst = await sh('npm', [...NPM_INSTALL, '-g', '--prefix', prefix, tarball]);
    expect(inst.code).toBe(0);
    const bin = join(prefix, 'bin');
    expect(readdirSync(bin).sort()).toEqual(['go_plan9_386_exec', 'p9emu']);
    const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}`, GOOS: 'plan9', GOARCH: '386', GOFLAGS: '', CGO_ENABLED: '0' };
    expect((await sh('p9emu', ['--version'], { env })).stdout).toMatch(/^p9emu \d+\.\d+\.\d+\n$/);
    const t = await sh('go', ['test', '-short', 'strings'], { env, cwd: dir });
    expect(t.stdout).toMatch(/^ok\s+strings\s/m);
    expect(t.code).toBe(0);

    const trace = join(dir, 't.jsonl');
    const flags = { ...env, P9EMU_FLAGS: `--trace sys --trace-format jsonl --trace-out ${trace}` };
    const one = await sh('go', ['test', '-short', '-count=1', '-run', '^TestCompare$', 'strings'], { env: flags, cwd: dir });
    expect(one.code).toBe(0);
    expect(existsSync(trace)).toBe(true);
    const names = readFileSync(trace, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { name?: string }).name);
    expect(names).toContain('pwrite');
    const bad = await sh('go', ['test', '-short', '-count=1', '-run', '^TestCompare$', 'strings'], { env: { ...env, P9EMU_FLAGS: '--trace nosuch' }, cwd: dir });
    expect(bad.stdout + bad.stderr).toMatch(/go_plan9_386_exec: P9EMU_FLAGS: --trace: unknown category 'nosuch'/);
  }, LONG);
});
