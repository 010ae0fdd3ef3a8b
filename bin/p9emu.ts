// p9emu CLI dispatcher: `p9emu <command> [args]`.
// Each command lives in its own module (bin/cmd_*.ts) exporting
// `<name>Main(argv): Promise<number>` and `usage: string`; they are loaded
// lazily so that `p9emu --help` does not load Unicorn.
import { mark } from './startup.ts';
import { ProgramError } from '../api/program.ts';
import { hosterr, isHostError } from '../emu/hosterr.ts';
import { version } from './version.ts';
import { watchdogState } from '../emu/cpu/preempt.ts';

interface Command {
  summary: string;
  load(): Promise<{ main(argv: string[]): Promise<number>; usage: string }>;
}

const commands: Record<string, Command> = {
  run: {
    summary: 'run a Plan 9 386 a.out (e.g. a GOOS=plan9 GOARCH=386 Go binary) under the emulator',
    load: async () => {
      const m = await import('./cmd_run.ts');
      return { main: m.runMain, usage: m.usage };
    },
  },
  asm: {
    summary: 'assemble Plan 9-syntax 386 assembly into a Plan 9 a.out',
    load: async () => {
      const m = await import('./cmd_asm.ts');
      return { main: m.asmMain, usage: m.usage };
    },
  },
  abi: {
    summary: 'check the register and stack conventions of system-call stubs',
    load: async () => {
      const m = await import('./cmd_abi.ts');
      return { main: m.abiMain, usage: m.usage };
    },
  },
  explore: {
    summary: 'deliver a note at each point of a deterministic run and report the distinct outcomes',
    load: async () => {
      const m = await import('./cmd_explore.ts');
      return { main: m.exploreMain, usage: m.usage };
    },
  },
  syms: {
    summary: "write a Plan 9 a.out's symbols as an ELF file for gdb",
    load: async () => {
      const m = await import('./cmd_syms.ts');
      return { main: m.symsMain, usage: m.usage };
    },
  },
  core: {
    summary: 'show the post-mortem view of a core file written by run --core',
    load: async () => {
      const m = await import('./cmd_core.ts');
      return { main: m.coreMain, usage: m.usage };
    },
  },
  gotool: {
    summary: 'cross-build the Go toolchain for plan9/386 that go_plan9_386_exec binds into the guest',
    load: async () => {
      const m = await import('./cmd_gotool.ts');
      return { main: m.gotoolMain, usage: m.usage };
    },
  },
  demo: {
    summary: 'run the built-in demonstration',
    load: async () => {
      const m = await import('./cmd_demo.ts');
      return { main: m.demoMain, usage: m.usage };
    },
  },
};

function helpText(): string {
  const w = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = [
    'usage: p9emu <command> [args]',
    '',
    'Plan 9 386 user-mode emulator.',
    '',
    'commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(w)}  ${c.summary}`),
    `  ${'help'.padEnd(w)}  show help for a command: p9emu help <command>`,
    '',
    'options:',
    '  --help     show this help',
    '  --version  print the version',
    '',
    'env: P9EMU_DEBUG=1 prints JavaScript stack traces for errors',
    '     P9EMU_STARTUP_PROFILE=1 prints when each stage of the start was reached',
  ];
  return lines.join('\n') + '\n';
}

function unknown(name: string): number {
  process.stderr.write(`p9emu: unknown command '${name}' (try 'p9emu --help')\n`);
  return 2;
}

async function dispatch(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) {
    process.stderr.write(helpText());
    return 2;
  }
  if (cmd === '--help' || cmd === '-h') {
    process.stdout.write(helpText());
    return 0;
  }
  if (cmd === '--version' || cmd === '-v') {
    process.stdout.write(`p9emu ${version()}\n`);
    return 0;
  }
  if (cmd === 'help') {
    const topic = rest[0];
    if (topic === undefined) {
      process.stdout.write(helpText());
      return 0;
    }
    const c = Object.hasOwn(commands, topic) ? commands[topic] : undefined;
    if (!c) return unknown(topic);
    const usage = (await c.load()).usage;
    process.stdout.write(usage.endsWith('\n') ? usage : usage + '\n');
    return 0;
  }
  const c = Object.hasOwn(commands, cmd) ? commands[cmd] : undefined;
  if (!c) return unknown(cmd);
  const m = await c.load();
  mark(`${cmd} loaded`);
  if (rest.length === 1 && (rest[0] === '--help' || rest[0] === '-h')) {
    process.stdout.write(m.usage.endsWith('\n') ? m.usage : m.usage + '\n');
    return 0;
  }
  return await m.main(rest);
}

function reportError(e: unknown): void {
  const debug = process.env.P9EMU_DEBUG === '1';
  if (e instanceof ProgramError && !debug) {
    for (const line of e.errors) process.stderr.write(`p9emu: ${line}\n`);
  } else if (isHostError(e) && !debug) {
    process.stderr.write(`p9emu: ${hosterr(e)}\n`);
  } else if (e instanceof Error) {
    const msg = e.message.trim().split('\n').join('; ') || e.name;
    process.stderr.write(debug && e.stack ? `p9emu: ${e.stack}\n` : `p9emu: ${msg}\n`);
  } else {
    process.stderr.write(`p9emu: ${String(e)}\n`);
  }
}

/**
 * Run `f` on process.stdout when something first makes it: made for a
 * pipe it loads node's net module (~7 ms at load 14), and a run, which
 * writes with writeSync, never needs it. Node defines process.stdout as a
 * configurable getter that makes the stream once.
 */
function onStdout(f: (s: NodeJS.WriteStream) => void): void {
  const node = Object.getOwnPropertyDescriptor(process, 'stdout');
  if (!node?.get || !node.configurable) return f(process.stdout);
  Object.defineProperty(process, 'stdout', {
    configurable: true,
    enumerable: node.enumerable,
    get() {
      Object.defineProperty(process, 'stdout', node);
      const s = process.stdout;
      f(s);
      return s;
    },
  });
}

// A closed pipe (`p9emu syms PROGRAM | head -1`) is not an error worth a stack trace.
onStdout((s) => s.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  throw e;
}));

// No top-level await: the bundle is CommonJS (scripts/build.mjs). The same
// bundle serves explore's worker processes (bin/explore_worker.cjs).
if ((globalThis as { p9emuExploreWorker?: boolean }).p9emuExploreWorker) void import('../emu/explore/worker.ts');
else dispatch(process.argv.slice(2)).then(
  (status) => finish(status),
  (e: unknown) => {
    reportError(e);
    finish(1);
  },
);

/**
 * The command is done: on Linux, exit now. Node's own end, once the event
 * loop is empty, frees the isolate and its heap first (~10 ms of CPU
 * after a Go hello, docs/startup.md); process.exit skips that and still
 * runs the 'exit' handlers (the code cache, P9EMU_STARTUP_PROFILE). Every
 * write to stdout and stderr has been made by then: p9emu's own with
 * writeSync, and node's streams write synchronously on Linux, whatever
 * the file. Not while a watchdog worker thread still loads its native
 * addon: a process that exits then dies in node (preempt.ts).
 */
function finish(status: number): void {
  process.exitCode = status;
  if (process.platform === 'linux' && watchdogState() !== 'starting') process.exit(status);
}
