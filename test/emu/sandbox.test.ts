// Sandbox escapes through a guest program (test/prog/escape.s): with a
// host directory at / (read-only unless --rw) nothing outside it can be
// read, and without --rw nothing inside it can be changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runProg } from '../kit/runprog.ts';

let top: string, root: string;

beforeAll(() => {
  top = fs.mkdtempSync(path.join(os.tmpdir(), 'p9escape-'));
  root = path.join(top, 'root');
  fs.mkdirSync(path.join(root, 'lib'), { recursive: true });
  fs.writeFileSync(path.join(root, 'lib', 'f'), 'inside');
  fs.writeFileSync(path.join(top, 'secret'), 'SECRET');
  fs.symlinkSync('../secret', path.join(root, 'up'));
  fs.symlinkSync(top, path.join(root, 'abs'));
  fs.symlinkSync('lib/../../secret', path.join(root, 'dotdot'));
});

afterAll(() => fs.rmSync(top, { recursive: true, force: true }));

async function guest(args: string[], writable = false): Promise<string> {
  const r = await runProg('escape.s', { argv: ['escape', ...args], root: { dir: root, writable } });
  expect(r.internal).toEqual([]);
  return r.stdout.toString();
}

const READS = [
  '/../secret', '../secret', '../../secret', '/lib/../../secret', '/up', '/abs/secret', '/dotdot', '#/../secret', '#//../secret',
  `/${'../'.repeat(200)}secret`, '/proc/1/fd', '/proc/1/ns', '/fd/0', '/lib/f/../../..' + '/secret', `/lib/${'x'.repeat(70000)}`,
];

describe('escapes from --root', () => {
  it('reads inside the root', async () => {
    expect(await guest(['r', '/lib/f'])).toBe('inside\n');
  });

  for (const p of READS) {
    it(`never reads outside it: ${p.length > 40 ? p.slice(0, 40) + '…' : p}`, async () => {
      const out = await guest(['r', p]);
      expect(out).not.toBe('');
      expect(out).not.toContain('SECRET');
    });
  }

  it('binds give no way out', async () => {
    expect(await guest(['b', '/up', '/lib', '/lib'])).not.toContain('SECRET');
    expect(await guest(['b', '#/', '/lib', '/lib/../secret'])).not.toContain('SECRET');
    expect(await guest(['b', '/abs', '/lib', '/lib/secret'])).not.toContain('SECRET');
  });

  it('without --rw, creates, writes and removes change nothing', async () => {
    for (const args of [['w', '/lib/f'], ['w', '/new'], ['w', '/up'], ['w', '/../outside'], ['d', '/lib/f'], ['d', '/up'], ['d', '/lib']]) {
      expect(await guest(args)).toMatch(/^-/);
    }
    expect(fs.readFileSync(path.join(root, 'lib', 'f'), 'utf8')).toBe('inside');
    expect(fs.readFileSync(path.join(top, 'secret'), 'utf8')).toBe('SECRET');
    expect(fs.readdirSync(root).sort()).toEqual(['abs', 'dotdot', 'lib', 'up']);
    expect(fs.readdirSync(top).sort()).toEqual(['root', 'secret']);
  });

  it('with --rw, a create through a link out of the root is refused', async () => {
    expect(await guest(['w', '/up'], true)).toMatch(/^-/);
    expect(await guest(['w', '/abs/planted'], true)).toMatch(/^-/);
    expect(fs.readFileSync(path.join(top, 'secret'), 'utf8')).toBe('SECRET');
    expect(fs.readdirSync(top).sort()).toEqual(['root', 'secret']);
  });
});
