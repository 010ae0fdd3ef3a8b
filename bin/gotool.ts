// The Go toolchain for the guest: cmd/go and the tools go build runs,
// cross-built for plan9/386 from a host Go's own sources, kept in
//
//	~/.cache/p9emu/gotool/<release>/bin/{go,gofmt}
//	~/.cache/p9emu/gotool/<release>/pkg/tool/plan9_386/{compile,link,...}
//
// where <release> is that Go's version (go1.23.5). Building takes minutes,
// so only `p9emu gotool` builds it; go_plan9_386_exec binds whatever the
// cache holds for its $GOROOT's release (go_plan9_386_ns.ts) and never builds.
// Each binary is built through a temporary name and renamed, so a partial
// cache (only bin/go) is completed by a later build, never seen half-written.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cachedir } from './hostcache.ts';

/**
 * What `go build` runs (compile, asm, link, buildid), `go vet` and `go test`
 * add vet, `go test -cover` adds cover, `go tool pprof` (which runtime's
 * profiling tests run) is pprof, `go tool nm` (net/http's, math/big's and
 * crypto's link tests) nm, `go tool objdump` (runtime's unsafe-point
 * test) objdump, gofmt (in $GOROOT/bin, as a Go installation has it:
 * internal/platform's TestGenerated runs it from $path); std is the
 * standard library's archives,
 * which releases before Go 1.20 install in $GOROOT/pkg/plan9_386 and
 * their go/importer reads.
 */
export const GOTOOLS = ['go', 'compile', 'asm', 'link', 'buildid', 'vet', 'cover', 'pprof', 'nm', 'objdump', 'gofmt', 'std'] as const;

/** Where tool lives under a toolchain directory: cmd/go and cmd/gofmt in bin, std in pkg/plan9_386, the others in pkg/tool/plan9_386. */
export function toolpath(dir: string, tool: string): string {
  if (tool === 'go' || tool === 'gofmt') return join(dir, 'bin', tool);
  if (tool === 'std') return join(dir, 'pkg', 'plan9_386');
  return join(dir, 'pkg', 'tool', 'plan9_386', tool);
}

/** The toolchain directory for Go release (go1.23.5), built or not. */
export function gotooldir(release: string): string {
  return cachedir('gotool', release.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/** The release of the Go at root: its VERSION file's first line, else what its go command says. */
export function gorelease(root: string): string | null {
  try {
    return readFileSync(join(root, 'VERSION'), 'utf8').split('\n')[0]!.trim() || null;
  } catch {
    try {
      return execFileSync(join(root, 'bin', 'go'), ['env', 'GOVERSION'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
    } catch {
      return null;
    }
  }
}

/** The cached toolchain for the Go at root, when its cmd/go has been built; else null. */
export function cachedgotool(root: string): string | null {
  const release = gorelease(root);
  if (release === null) return null;
  const dir = gotooldir(release);
  return existsSync(toolpath(dir, 'go')) ? dir : null;
}

/**
 * The host file holding the program the guest finds at path: a tool's
 * cached plan9/386 binary when path names it under root (the guest sees
 * gotool's files there, the host its own), else path itself.
 */
export function guestfile(path: string, root: string, gotool: string): string {
  for (const t of GOTOOLS) {
    if (path === toolpath(root, t)) return toolpath(gotool, t);
  }
  return path;
}

export interface Built {
  dir: string;
  release: string;
  built: string[];   // the tools this call built; the others were cached
}

/**
 * Cross-build tools (cmd/<tool>) for plan9/386 with the go command go,
 * into its release's toolchain directory; tools already there are kept.
 * Throws with go's own messages when the build fails.
 */
export function buildgotool(go: string, tools: readonly string[] = GOTOOLS): Built {
  // The go command's own GOROOT and release, whatever GOROOT this process has.
  const env: NodeJS.ProcessEnv = { ...process.env, GOOS: 'plan9', GOARCH: '386', CGO_ENABLED: '0', GOFLAGS: '', GOTOOLCHAIN: 'local' };
  delete env.GOROOT;
  const run = (args: string[], cwd?: string) => execFileSync(go, args, { encoding: 'utf8', env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let release: string;
  try {
    release = run(['env', 'GOVERSION']).trim();
  } catch (e) {
    throw new Error(`${go}: ${errtext(e)}`);
  }
  const dir = gotooldir(release);
  const missing = tools.filter((t) => !existsSync(toolpath(dir, t)) && (t !== 'std' || installsstd(run)));
  if (missing.length > 0) {
    mkdirSync(dir, { recursive: true });
    const tmp = mkdtempSync(join(dir, '.build-'));
    const cmds = missing.filter((t) => t !== 'std');
    let args: string[] = [];
    try {
      // One go build for all the commands: their shared packages compile
      // once. Run outside any module, so no go.mod picks their versions.
      if (cmds.length > 0) run((args = ['build', '-o', `${tmp}/`, ...cmds.map((t) => `cmd/${t}`)]), tmp);
      if (missing.includes('std')) run((args = ['install', '-pkgdir', join(tmp, 'std'), 'std']), tmp);
      for (const t of missing) {
        mkdirSync(join(toolpath(dir, t), '..'), { recursive: true });
        renameSync(join(tmp, t), toolpath(dir, t));
      }
    } catch (e) {
      throw new Error(`go ${args.join(' ')}: ${errtext(e)}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { dir, release, built: missing };
}

/** Whether this release installs the standard library's archives in $GOROOT/pkg (before Go 1.20): runtime has an install target. */
function installsstd(run: (args: string[]) => string): boolean {
  return run(['list', '-f', '{{.Target}}', 'runtime']).trim() !== '';
}

function errtext(e: unknown): string {
  const err = e as { stderr?: string; message: string };
  return (err.stderr || err.message).trim();
}
