// go_plan9_386_exec: how Go's toolchain runs cross-compiled plan9/386
// binaries. With this on PATH, `GOOS=plan9 GOARCH=386 go test PKG` (and
// `go run`) call `go_plan9_386_exec BINARY ARGS...` in the package's
// directory; the binary runs under p9emu with the host's stdin, stdout and
// stderr, byte for byte, and its exit string becomes the exit status
// ('' → 0, a decimal 1–255 → that number, anything else → 1).
//
// The guest's name space: the host's / read-only at / (so testdata/ under
// the package directory is found through the current directory, which is
// the host's), with the kernel's /dev, /proc, /env, /fd and an in-memory
// /tmp on top, and the Plan 9 files Go's tests expect bound in
// (go_plan9_386_ns.ts), with the plan9/386 Go toolchain over $GOROOT once
// `p9emu gotool` has built it (gotool.ts), so BINARY may be $GOROOT/bin/go.
// The environment is Go's: every host variable that a Go test may read is passed into /env (GOROOT, GOPATH, HOME as home, …).
// P9EMU_CPUS sets the CPUs /dev/sysstat reports (default 4).
//
// P9EMU_FLAGS holds p9emu run's options, for tracing a failing `go test`
// without changing the command (as GOWASIRUNTIMEARGS does for
// go_wasip1_wasm_exec): P9EMU_FLAGS="--trace sys --trace-out /tmp/t.jsonl
// --trace-format jsonl", or P9EMU_FLAGS="--gdb 1234" to debug one test.
// --root, --rw and --entry are this command's own.

import { realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import { namec } from '../emu/port/chan.ts';
import type { Chan } from '../emu/port/dev.ts';
import type { Proc } from '../emu/port/proc.ts';
import { contentkey, hostcache } from './hostcache.ts';
import { goroot, gotestns } from './go_plan9_386_ns.ts';
import { cachedgotool, guestfile } from './gotool.ts';
import { ArgCursor } from './argv.ts';
import { newRunArgs, parseOptions, type RunArgs } from './cmd_run.ts';
import { checkInstrument } from './instrument_opts.ts';
import { launch } from './launch.ts';
import { ProgramError, UsageError } from './program.ts';
import { readAout } from '../api/program.ts';
import { hostmsg } from '../emu/hosterr.ts';

const PASS_ENV = /^(GO[A-Z0-9_]*|CGO_ENABLED|HOME|PATH|TMPDIR|USER|TERM|LANG|LC_[A-Z]+|TZ)$/;

const USAGE = `usage: go_plan9_386_exec BINARY [ARG...]

Run a GOOS=plan9 GOARCH=386 binary under p9emu, as go test and go run do
when this command is on PATH. Options for p9emu (those of 'p9emu run':
--trace, --trace-out, --kernel, --deterministic, --gdb, --post-mortem,
--core, ...) come from the environment:
P9EMU_FLAGS="--trace sys --trace-out /tmp/t.jsonl" or P9EMU_FLAGS="--gdb 1234".
P9EMU_CPUS sets the CPUs the guest sees (default 4).
`;

/** P9EMU_FLAGS, split on blanks ('...' or "..." keep blanks in one word). */
function flagWords(s: string): string[] {
  return [...s.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

function flags(): RunArgs {
  const o = newRunArgs();
  o.ncpu = 0;
  const words = flagWords(process.env.P9EMU_FLAGS ?? '');
  const c = new ArgCursor(words);
  parseOptions(c, o);
  if (!c.done) throw new UsageError(`'${c.word}' is not an option`);
  if (o.root !== null || o.rw || o.entry !== undefined) throw new UsageError('--root, --rw and --entry are set by go_plan9_386_exec itself');
  return o;
}

async function main(argv: string[]): Promise<number> {
  const [bin, ...args] = argv;
  if (bin === undefined || bin === '-h' || bin === '--help') {
    process.stderr.write(USAGE);
    return 2;
  }
  // The plan9/386 Go toolchain, when `p9emu gotool` has built it for this
  // GOROOT's release.
  const root = goroot();
  const gotool = root ? cachedgotool(root) : null;
  let prog = bin.startsWith('/') ? bin : join(process.cwd(), bin);
  let o: RunArgs;
  let image: Uint8Array;
  try {
    o = flags();
    image = readAout(root && gotool ? guestfile(prog, root, gotool) : bin);
    checkInstrument(o.instr, image);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`go_plan9_386_exec: P9EMU_FLAGS: ${e.message}\n`);
      return 2;
    }
    if (e instanceof ProgramError) {
      process.stderr.write(`go_plan9_386_exec: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  // go test builds under the host's /tmp, which the guest cannot see (its
  // /tmp is the kernel's, in memory). Tests that run themselves again
  // (os.Args[0], /proc/N/text) need the binary in the name space: use a
  // copy outside /tmp, keyed by content.
  if (prog.startsWith('/tmp/')) {
    prog = join(hostcache('exec', contentkey([image]), basename(prog), () => image, 0o755), basename(prog));
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && PASS_ENV.test(k)) env[k] = v;
  }
  // Plan 9 spells these in lower case; Go's os package reads $home and $path.
  if (process.env.HOME) env.home = process.env.HOME;
  env.path = '/bin';
  // The toolchain's go reads GOROOT from the environment, and its build
  // cache must be writable: Plan 9's default, $home/lib/cache/go-build
  // (os.UserCacheDir), is the host's home, read-only here, so the guest's
  // in-memory /tmp holds it unless GOCACHE is given.
  // And go test on Plan 9 puts $GOROOT/bin first in $path (a list ended
  // by NULs: cmd/go/internal/base AppendPATH), so tests that look for
  // `go` by name find the guest's (internal/testenv's HasGoBuild, Go 1.21
  // on, runs `go tool -n compile` and skips without it).
  if (root && gotool) {
    env.GOROOT ??= root;
    env.GOCACHE ??= '/tmp/go-build';
    env.path = `${join(root, 'bin')}\0/bin`;
  }
  // Guest memory is counted by segment size, not by pages touched as
  // Plan 9 counts it: each M's 16 MiB stack and each heap's brk count
  // whole. Go's tests claim more than the default 1G at once (net/http's
  // Ms: 'newosproc: rfork failed'; Go 1.19's go and the compiles it runs:
  // 'virtual memory allocation failed'), so a test binary gets the most a
  // 386 can address unless P9EMU_FLAGS sets --mem.
  o.mem ??= 2 ** 32;
  const ncpu = o.ncpu || Number(process.env.P9EMU_CPUS ?? 4);
  // The directory as the caller named it ($PWD, which Go's os/exec sets
  // with Dir), so relative paths like ../../lib climb the same symlinks.
  let cwd = process.cwd();
  const pwd = process.env.PWD;
  if (pwd && pwd.startsWith('/')) {
    try {
      if (realpathSync(pwd) === cwd) cwd = pwd;
    } catch {
      // keep the real path
    }
  }
  const name = basename(bin);
  return launch({
    who: 'go_plan9_386_exec',
    prog: { image, name },
    o,
    run: {
      // argv[0] as given: tests re-run themselves through os.Args[0].
      argv: [prog, ...args],
      env: { ...env, ...o.env },
      root: { dir: '/', writable: false },
      ncpu: Number.isInteger(ncpu) && ncpu >= 1 && ncpu <= 64 ? ncpu : 4,
    },
    onboot: (_k, first) => {
      first.dot = cwd;
      gotestns(first, root, gotool);
      first.textchan = textchan(first, prog);
    },
    // go test stops a test binary by its own signals; a Go program's exit
    // string is its status, already in the exit code.
    interrupt: false,
    sayExits: false,
  });
}

/** The test binary as /proc/1/text names it (os.Executable), or none when the name space lacks it. */
function textchan(p: Proc, path: string): Chan | null {
  try {
    return namec(p, path, 'access');
  } catch {
    return null;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`go_plan9_386_exec: ${hostmsg(e).split('\n')[0]}\n`);
    if (process.env.P9EMU_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  },
);
