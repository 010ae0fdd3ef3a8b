// The host's ^C as a Plan 9 console's interrupt (bin/hostintr.ts): SIGINT
// becomes the note 'interrupt' for the run's note group; a second one
// within a second, or SIGTERM, ends p9emu.

import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

beforeAll(() => {
  execFileSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
});

/** Start a run; `until(s)` resolves once stdout has s n times; `done` with code and output. */
function start(...args: string[]) {
  const c = spawn('node', [join(root, 'bin/p9emu'), 'run', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  c.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  c.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const count = (s: string) => out.split(s).length - 1;
  const until = (s: string, n = 1) =>
    new Promise<void>((resolve) => {
      const check = () => (count(s) >= n ? resolve() : waiters.push(check));
      check();
    });
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => c.on('close', (code) => resolve({ code, out, err })));
  return { c, until, done };
}

describe('^C in p9emu run', () => {
  it('is the note interrupt: a program without a handler dies of it', async () => {
    const r = start('test/prog/deaf.s', 'bare');
    await r.until('ready\n');
    r.c.kill('SIGINT');
    const d = await r.done;
    expect(d.err).toContain('p9emu: exits: interrupt');
    expect(d.code).toBe(1);
  });

  it('a handler takes it and the program goes on; a second ^C within a second ends p9emu', async () => {
    const r = start('test/prog/deaf.s');
    await r.until('ready\n');
    r.c.kill('SIGINT');
    await r.until('note\n');
    await new Promise((res) => setTimeout(res, 1100));
    r.c.kill('SIGINT');
    await r.until('note\n', 2);
    r.c.kill('SIGINT');
    const d = await r.done;
    expect(d.code).toBe(130);
    expect(d.err).toContain('p9emu: ended by the host');
  });

  it('SIGTERM ends p9emu', async () => {
    const r = start('test/prog/deaf.s');
    await r.until('ready\n');
    r.c.kill('SIGTERM');
    expect((await r.done).code).toBe(143);
  });
});
