// Go's time.LoadLocation on Plan 9 reading the zoneinfo.zip files p9emu
// provides (bin/zipdata.ts, bin/tzdata.ts): from $ZONEINFO under the
// kernel, and from $GOROOT/lib/time/zoneinfo.zip, which go_plan9_386_exec
// binds into the name space when the host's GOROOT lacks it.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CI, REPO, fixture, skipWithoutGo } from './gobuild.ts';
import { runGo } from './rungo.ts';
import { goroot } from '../../bin/go_plan9_386_ns.ts';
import { TZDIR, tzdatazip } from '../../bin/tzdata.ts';
import { gozoneinfozip } from '../../bin/zipdata.ts';

const T = 60_000;
const ZONES = ['America/Los_Angeles', 'Asia/Jerusalem', 'Asia/Kolkata'];
const WANT =
  'America/Los_Angeles PST -28800 PDT -25200\n' +
  'Asia/Jerusalem IST 7200 IDT 10800\n' +
  'Asia/Kolkata IST 19800 IST 19800\n';
const noTzdata = !existsSync(join(TZDIR, 'America/Los_Angeles')) && !CI;

describe.skipIf(skipWithoutGo())('time.LoadLocation from p9emu\'s zoneinfo.zip', () => {
  let bin = '';
  beforeAll(() => {
    bin = fixture('zoneinfo');
  }, 300_000);

  /** Run the fixture with zip at /zoneinfo.zip of a read-only root, named by $ZONEINFO. */
  async function fromZoneinfo(zip: Uint8Array) {
    const root = mkdtempSync(join(tmpdir(), 'p9emu-zone-'));
    writeFileSync(join(root, 'zoneinfo.zip'), zip);
    return runGo(bin, ZONES, { root: { dir: root, writable: false }, env: { ZONEINFO: '/zoneinfo.zip' } });
  }

  it("Go's own zip, read back from $GOROOT/src/time/tzdata/zipdata.go", async () => {
    const r = await fromZoneinfo(gozoneinfozip(goroot()!));
    expect(r.stdout).toBe(WANT);
    expect(r.code).toBe(0);
  }, T);

  it.skipIf(noTzdata)('the zip made from the host tzdata', async () => {
    const r = await fromZoneinfo(tzdatazip());
    expect(r.stdout).toBe(WANT);
    expect(r.code).toBe(0);
  }, T);

  it('under go_plan9_386_exec, with no $ZONEINFO: $GOROOT/lib/time/zoneinfo.zip is in the name space', () => {
    const env = { ...process.env };
    delete env.ZONEINFO;
    const r = spawnSync(process.execPath, [join(REPO, 'bin/go_plan9_386_exec'), bin, ...ZONES, 'Nowhere/Atlantis'], { encoding: 'utf8', env, timeout: T });
    expect(r.stdout).toBe(`${WANT}error: unknown time zone Nowhere/Atlantis\n`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, T);
});
