// newns(2) for the first process of a Plan 9 tree (9front
// sys/src/libauth/newns.c nsfile/nsop/splitargs/expandarg): each line of a
// namespace file is split into tokens (quotes kept together), $name is
// replaced by the environment variable, and the command runs: bind, mount,
// unmount, cd, clear, and `.` (read another namespace file). Flags -a -b
// -c -C as bind(1); -q (9front) only keeps a failure quiet.
//
// p9emu has no 9P file servers to mount at boot, so mount takes a service
// it can stand in for: #s/boot and /srv/boot with an empty spec (the root
// file system: the tree itself, read-only unless --rw) and /srv/cs (the
// kernel-side cs). Any other mount, and any bind of a device p9emu lacks,
// is skipped and named in the returned list, as newns with newnsdebug
// would print it, so the caller can warn once.

import type { Chan } from '../port/dev.ts';
import type { Proc } from '../port/proc.ts';
import type { HostRoot } from '../port/kernel.ts';
import { cclose, namec } from '../port/chan.ts';
import { cleanpgrp } from '../port/pgrp.ts';
import { hostattach } from '../port/devhost.ts';
import { csattach } from '../ip/cs.ts';
import { error, isKernelError, type KernelError } from '../port/error.ts';
import { OREAD } from '../port/dat.ts';
import { MAFTER, MBEFORE, MCACHE, MCREATE, MREPL } from '../port/union.ts';

export interface NsContext {
  /** The file system /srv/boot stands for. */
  readonly root: HostRoot;
  /** Lines that did not take effect: 'bind -a #¤ /dev: unknown device in # filename'. */
  readonly skipped: string[];
  /** Set when a cd to an absolute path succeeded (newns's cdroot). */
  cdroot: boolean;
}

const NARG = 15;

/** Why a mount of a service p9emu cannot stand in for is skipped. */
export const Enosrv = 'no such service in p9emu (no 9P file servers at boot)';

/** Run the namespace file `text` for up (newns: a clean name space first). */
export function newns(up: Proc, ctx: NsContext, text: string): void {
  up.pgrp = cleanpgrp(up.kernel);
  nsfile(up, ctx, text);
  if (!ctx.cdroot) up.dot = '/';
}

function nsfile(up: Proc, ctx: NsContext, text: string): void {
  for (let line of text.split('\n')) {
    line = line.replace(/^[ \t]+/, '');
    if (line.startsWith('#')) continue;
    const argv = splitargs(up, line);
    if (argv.length > 0) nsop(up, ctx, argv);
  }
}

/** gettokens(" \t\r") then expandarg and unquote, per token. */
function splitargs(up: Proc, line: string): string[] {
  const toks = line.match(/(?:'(?:[^']|'')*'|[^ \t\r'])+/g) ?? [];
  if (toks.length >= NARG) return [];
  return toks.map((t) => unquote(expandarg(up, t)));
}

/** $name outside quotes becomes the variable's value (NULs between list elements as spaces). */
function expandarg(up: Proc, arg: string): string {
  let out = '';
  let inquote = false;
  for (let i = 0; i < arg.length; i++) {
    const ch = arg[i]!;
    if (ch === "'") inquote = !inquote;
    if (ch !== '$' || inquote) {
      out += ch;
      continue;
    }
    const m = /^[^ \t\r/$'.]*/.exec(arg.slice(i + 1))![0];
    const v = up.egrp.ent.get(m)?.value;
    out += v ? new TextDecoder().decode(v).replace(/\0+$/, '').replace(/\0/g, ' ') : '';
    i += m.length;
  }
  return out;
}

function unquote(s: string): string {
  return s.replace(/'((?:[^']|'')*)'/g, (_, q: string) => q.replace(/''/g, "'"));
}

function nsop(up: Proc, ctx: NsContext, args: string[]): void {
  const cmd = args[0]!;
  let flags = 0;
  let quiet = false;
  let i = 1;
  for (; i < args.length && args[i]!.startsWith('-') && args[i] !== '-'; i++) {
    if (args[i] === '--') {
      i++;
      break;
    }
    for (const f of args[i]!.slice(1)) {
      if (f === 'a') flags |= MAFTER;
      else if (f === 'b') flags |= MBEFORE;
      else if (f === 'c') flags |= MCREATE;
      else if (f === 'C') flags |= MCACHE;
      else if (f === 'q') quiet = true;
    }
  }
  const argv = args.slice(i);
  if (!(flags & (MAFTER | MBEFORE))) flags |= MREPL;
  const attempt = (f: () => void) => {
    try {
      f();
    } catch (e) {
      if (!isKernelError(e)) throw e;
      if (!quiet) ctx.skipped.push(`${args.join(' ')}: ${(e as KernelError).errstr}`);
    }
  };
  if (cmd === '.' && argv.length === 1) {
    const text = readfile(up, argv[0]!);
    if (text !== null) nsfile(up, ctx, text);
  } else if (cmd === 'clear' && argv.length === 0) {
    up.pgrp = cleanpgrp(up.kernel);
  } else if (cmd === 'bind' && argv.length === 2) {
    attempt(() => up.pgrp.mount(namec(up, argv[0]!, 'bind'), namec(up, argv[1]!, 'mount'), flags));
  } else if (cmd === 'unmount' && (argv.length === 1 || argv.length === 2)) {
    const [from, old] = argv.length === 1 ? [null, argv[0]!] : [argv[0]!, argv[1]!];
    attempt(() => up.pgrp.unmount(namec(up, old, 'mount'), from === null ? null : namec(up, from, 'bind')));
  } else if (cmd === 'mount' && (argv.length === 2 || argv.length === 3)) {
    attempt(() => {
      const to = service(ctx, argv[0]!, argv[2] ?? '', up.user) ?? error(Enosrv);
      up.pgrp.mount(to, namec(up, argv[1]!, 'mount'), flags);
    });
  } else if (cmd === 'cd' && argv.length === 1) {
    attempt(() => {
      up.dot = namec(up, argv[0]!, 'todir').path;
      if (argv[0]!.startsWith('/')) ctx.cdroot = true;
    });
  }
}

/** What a mount of the service file srv with spec attaches, when p9emu has it. */
function service(ctx: NsContext, srv: string, spec: string, user: string): Chan | null {
  const name = srv.replace(/^#s\//, '/srv/');
  if (name === '/srv/boot' && spec === '') {
    const c = hostattach(ctx.root, user);
    c.path = '/';
    return c;
  }
  if (name === '/srv/cs') return csattach();
  return null;
}

/** A whole file of up's name space as text, or null when it cannot be read (newns skips it). */
function readfile(up: Proc, path: string): string | null {
  let c: Chan;
  try {
    c = namec(up, path, 'open', OREAD);
  } catch (e) {
    if (isKernelError(e)) return null;
    throw e;
  }
  try {
    const parts: Uint8Array[] = [];
    for (let off = 0; ; ) {
      const b = c.dev.read(up, c, 8192, off);
      if (b.length === 0) break;
      parts.push(b);
      off += b.length;
    }
    return Buffer.concat(parts).toString('utf8');
  } finally {
    cclose(up, c);
  }
}
