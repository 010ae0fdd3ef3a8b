// Real GOOS=plan9 GOARCH=386 Go programs (test/fixtures/go), built with
// the pinned Go release (each of GO_VERSIONS in turn under npm test) and run
// under the kernel model: output bytes, exit strings and the notes Go's
// runtime posts, as on Plan 9.

import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, skipWithoutGo } from './gobuild.ts';
import { runGo } from './rungo.ts';
import { instrument } from '../../emu/instrument.ts';
import { pinMinor } from '../kit/gopin.ts';
import { BufferConsole } from '../../emu/port/console.ts';
import type { Plan9 } from '../../emu/port/kernel.ts';
import type { Proc } from '../../emu/port/proc.ts';
import { postnote } from '../../emu/port/note.ts';

const T = 60_000;

describe.skipIf(skipWithoutGo())('Go programs', () => {
  const bin: Record<string, string> = {};
  beforeAll(() => {
    for (const n of ['hello', 'exit', 'goroutines', 'timers', 'panic', 'nilderef', 'panicfault', 'faultpc', 'signal', 'readfile', 'tmpfile', 'env', 'net', 'netreuse', 'nanotime']) {
      bin[n] = fixture(n);
    }
  }, 300_000);

  it('hello: exact stdout, nothing on stderr, exit string empty', async () => {
    const r = await runGo(bin.hello!);
    expect(r.stdout).toBe('hello, world\n');
    expect(r.stderr).toBe('');
    expect(r.exitstr).toBe('');
    expect(r.code).toBe(0);
  }, T);

  it.each([[0, ''], [1, '1'], [7, '7'], [255, '255']])('os.Exit(%i) exits with %j', async (n, want) => {
    const r = await runGo(bin.exit!, [String(n)]);
    expect(r.stdout).toBe(`exiting with ${n}\n`);
    expect(r.exitstr).toBe(want);
    expect(r.code).toBe(n);
  }, T);

  it("os.Exit posts 'go: exit N' to every other M, which exits with N (goexitsall)", async () => {
    const r = await runGo(bin.exit!, ['3'], { traced: true });
    expect(r.exitstr).toBe('3');
    const posted = r.events.filter((e) => e.kind === 'note' && e.what === 'post' && e.msg === 'go: exit 3');
    expect(posted.length).toBeGreaterThanOrEqual(1);
    const exits = r.events.filter((e) => e.kind === 'proc' && e.what === 'exits');
    // every process of the program (m0 and the Ms it rforked) ends with "3"
    expect(exits.length).toBe(posted.length + 1);
    for (const e of exits) expect(e.status).toBe('3');
  }, T);

  it('panic: message and traceback on stderr, exit string "2"', async () => {
    const r = await runGo(bin.panic!);
    expect(r.stdout).toBe('before panic\n');
    expect(r.stderr).toMatch(/^panic: boom\n\ngoroutine 1 \[running\]:\nmain\.main\(\)\n\t.*panic\/main\.go:8 \+0x[0-9a-f]+\n/);
    expect(r.exitstr).toBe('2');
    expect(r.code).toBe(2);
  }, T);

  it('goroutines and channels with GOMAXPROCS=4 on 4 CPUs', async () => {
    const r = await runGo(bin.goroutines!, [], { ncpu: 4 });
    expect(r.stdout).toBe('GOMAXPROCS was 4, now 4\nresults 1000 total 166666500\nNumCPU 4\n');
    expect(r.code).toBe(0);
  }, T);

  it('GOMAXPROCS follows /dev/sysstat: 1 CPU by default', async () => {
    const r = await runGo(bin.goroutines!);
    expect(r.stdout).toBe('GOMAXPROCS was 1, now 4\nresults 1000 total 166666500\nNumCPU 1\n');
  }, T);

  it('timers: time.Sleep, After, Ticker, Timer.Stop, AfterFunc', async () => {
    const r = await runGo(bin.timers!);
    expect(r.stdout).toBe(
      'sleep ok: true true\nafter fired\nticks 3\nstopped true\nafterfunc true\nmonotonic ok: true\nyear ok: true\n',
    );
    expect(r.code).toBe(0);
  }, T);

  it('nanotime: /dev/bintime to the nanosecond, not in a double\'s 256 ns steps at this epoch', async () => {
    const r = await runGo(bin.nanotime!);
    expect(r.stdout).toBe('readings off a 256 ns step: true\n');
    expect(r.code).toBe(0);
  }, T);

  it("nil dereference: the 'sys: trap: fault read' note becomes a recovered panic, three times", async () => {
    const r = await runGo(bin.nilderef!, [], { traced: true });
    const line = 'recovered: runtime error: invalid memory address or nil pointer dereference\n';
    expect(r.stdout).toBe(line.repeat(3) + 'done\n');
    expect(r.code).toBe(0);
    // Delivered to the process that faulted: the M running main's goroutine
    // then, which need not be the first process.
    const notes = r.events.filter((e) => e.kind === 'note' && e.what === 'deliver' && e.msg.startsWith('sys:'));
    expect(notes.length).toBe(3);
    for (const n of notes) expect(n.msg).toMatch(/^sys: trap: fault read addr=0x4 pc=0x[0-9a-f]{8}$/);
  }, T);

  it('nil dereference unrecovered: panic with the signal line, exit "2"', async () => {
    const r = await runGo(bin.nilderef!, ['crash']);
    expect(r.stderr).toMatch(
      /^panic: runtime error: invalid memory address or nil pointer dereference\n\[signal sys: trap: fault read code=0x[0-9a-f]+ addr=0x4 pc=0x[0-9a-f]+\]\n\ngoroutine 1 \[running\]:\nmain\.deref/,
    );
    expect(r.exitstr).toBe('2');
  }, T);

  it('SetPanicOnFault: 60 faults at 0, 1 and 0xfff recovered; each fault pc is exact, or the unwinder stops', async () => {
    // runtime's TestSetPanicOnFault: a fault pc one instruction off (in the
    // caller's loop instead of the callee's load) ends in 'unexpected return
    // pc' (emu/cpu/syncpc.ts).
    const r = await runGo(bin.panicfault!, ['20']);
    expect(r.stdout).toBe('faults 60\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, T);

  it('SetPanicOnFault: faults in a read and a write function, each pc in that function (TestSetPanicOnFault\'s shape)', async () => {
    // The pc restored from the translated block (emu/cpu/syncpc.ts); the
    // inferred one (P9EMU_FAULTPC=infer) ended Go 1.26's run in 'unexpected
    // return pc for main.setPanicOnFault'.
    const r = await runGo(bin.faultpc!);
    expect(r.stdout).toBe([1, 2, 3, 4, 5].map((i) => `faults 6 read ${3 * i} write ${3 * i} logs 0\n`).join(''));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, T);

  it('SetPanicOnFault: reads of 0xffffffff and 0xfffff001, above user space, fault too (the page holding the GDT is not the guest\'s)', async () => {
    const r = await runGo(bin.panicfault!, ['high'], { traced: true });
    expect(r.stdout).toBe('faults 2\n');
    const notes = r.events.filter((e) => e.kind === 'note' && e.what === 'post' && e.msg?.startsWith('sys:')).map((e) => e.msg);
    expect(notes).toEqual(['sys: trap: fault read addr=0xffffffff', 'sys: trap: fault read addr=0xfffff001']);
  }, T);

  // Go 1.25 on: the note handler dies of Go's own bug at the first note it
  // forwards to a signal.Notify channel (unlock2 -> mutexSampleContention
  // -> atomic.Load64, MMX: docs/go-note-fp.md), as on a Plan 9 kernel.
  const fpbug = pinMinor() >= 25;

  it(`signal.Notify: interrupt and hangup posted by the program to itself${fpbug ? ' (Go 1.26: the handler dies of Go\'s FP bug)' : ''}`, async () => {
    const r = await runGo(bin.signal!, ['self']);
    if (fpbug) {
      expect(r.fpnote).toMatch(/^sys: floating point in note handler pc=0x[0-9a-f]{8}$/);
      expect(r.stderr).toContain(`: suicide: ${r.fpnote}\n`);
      return;
    }
    expect(r.stdout).toBe('got "interrupt"\ngot "hangup"\ndone\n');
    expect(r.code).toBe(0);
  }, T);

  it(`signal.Notify: notes posted from outside (the kernel, as --post-note does)${fpbug ? ' (Go 1.26: the handler dies of Go\'s FP bug)' : ''}`, async () => {
    // Post once the program says it is ready (after signal.Notify), not
    // after a fixed delay, which a loaded machine can outrun.
    let k: Plan9 | undefined;
    let first: Proc | undefined;
    const cons = new (class extends BufferConsole {
      override write(stream: 1 | 2, data: Uint8Array): void {
        super.write(stream, data);
        if (k && first && Buffer.from(data).toString().includes('ready\n')) {
          postnote(first, 'hangup', 0);
          postnote(first, 'interrupt', 0);
        }
      }
    })();
    const r = await runGo(bin.signal!, ['wait', '2'], {
      console: cons,
      onboot: (kk, p) => {
        k = kk;
        first = p;
      },
    });
    if (fpbug) {
      expect(cons.stdout()).toBe('ready\n');
      expect(r.fpnote).toMatch(/^sys: floating point in note handler pc=0x[0-9a-f]{8}$/);
      return;
    }
    expect(cons.stdout()).toBe('ready\ngot "hangup"\ngot "interrupt"\ndone\n');
    expect(r.code).toBe(0);
  }, T);

  it('an interrupt with no Notify kills the program with the note as exit string', async () => {
    const r = await runGo(bin.timers!, [], {
      onboot: (k, first) => {
        setTimeout(() => postnote(first, 'interrupt', 0), 10);
      },
    });
    expect(r.exitstr).toBe('interrupt');
  }, T);

  it('reads files under --root (read-only), errors as Plan 9 spells them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'p9emu-go-'));
    mkdirSync(join(root, 'data'));
    writeFileSync(join(root, 'data/file.txt'), 'line one\nline two\n');
    const r = await runGo(bin.readfile!, ['/data/file.txt', '/nonexistent'], { root: { dir: root, writable: false } });
    expect(r.stdout).toBe(
      '/data/file.txt: 18 bytes, size 18, mode -rw-r--r--\nline one\nline two\n' +
        "error: open /nonexistent: '/nonexistent' file does not exist\n",
    );
  }, T);

  it('writes, appends, renames (wstat), lists and removes under /tmp', async () => {
    const r = await runGo(bin.tmpfile!);
    expect(r.stdout).toBe(
      'read "written under /tmp\\n"\nafter rename "written under /tmp\\nappended\\n"\nentry b.txt\nold name gone: true\nremoved: true\n',
    );
    expect(r.code).toBe(0);
  }, T);

  it.each([1, 4])('net: tcp over /net to itself, refused, cs lookups, an HTTP round trip (%i CPUs)', async (ncpu) => {
    const r = await runGo(bin.net!, [], { ncpu });
    expect(r.stdout.replace(/127\.0\.0\.1:\d+\n/, '127.0.0.1:PORT\n')).toBe(
      'listening on 127.0.0.1: true\n' +
        'dialled from 127.0.0.1 to 127.0.0.1:PORT\n' +
        'client got "HELLO"\n' +
        'server saw "hello", then "bye" and EOF; remote is local: true\n' +
        'accept after close fails: true\n' +
        'dial :1: dial tcp 127.0.0.1:1: write /net/tcp/clone: connection refused\n' +
        'localhost: [127.0.0.1] <nil>\n' +
        'nonexistent.example: lookup nonexistent.example: no such host\n' +
        '200 OK: GET /one from loopback: true\n' +
        '200 OK: GET /two from loopback: true\n',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, T);

  it.each([1, 4])('netreuse: a listener closed while its Accept waits, then a new one on the freed conversation: every call reaches the new one (%i CPUs)', async (ncpu) => {
    // Under --deterministic, so each run keeps one schedule. Before a
    // waiting listen held its announcement (devip.ts listen), every round's
    // calls went to the closed listener's Accept, which hung them up: EOF.
    const ins = await instrument({ det: { seed: 1 } }, [new Uint8Array(readFileSync(bin.netreuse!))]);
    const r = await runGo(bin.netreuse!, ['20'], { ncpu, onkernel: ins.onkernel });
    expect(r.stdout).toBe('20 rounds, 60 calls: 0 taken by a closed listener, 0 answers missing or wrong\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, T);

  it('/env at start: the boot variables and --env', async () => {
    const r = await runGo(bin.env!, ['cputype', 'FOO', 'MISSING'], { env: { FOO: 'bar baz' } });
    expect(r.stdout).toBe('cputype="386" true\nFOO="bar baz" true\nMISSING="" false\nP9EMU_SET = yes\n');
  }, T);
});
