// The structured event stream (the JSONL schema of docs/trace.md): decoded
// arguments as data, results, error strings, process and note events.
import { describe, expect, it } from 'vitest';
import type { SysEvent, TraceEvent } from '../../emu/trace/event.ts';
import { runProg } from '../kit/runprog.ts';

function calls(events: TraceEvent[], name: string): SysEvent[] {
  return events.filter((e): e is SysEvent => e.kind === 'sys' && e.name === name);
}

describe('syscall events', () => {
  it('carry strings from guest memory, open modes by name, results and error strings', async () => {
    const r = await runProg('tracecalls.s');
    const [bad, good] = calls(r.events, 'open');
    expect(bad!.args).toEqual([{ t: 'str', v: 0x2000, s: '/nonexistent' }, { t: 'omode', v: 0, names: ['OREAD'] }]);
    expect(bad!.ret).toBe(-1);
    expect(bad!.err).toBe("'/nonexistent' file does not exist");
    expect(good!.args[1]).toEqual({ t: 'omode', v: 1, names: ['OWRITE'] });
    expect(good!.ret).toBe(3);
    expect(good!.err).toBe('');
    expect(good!.t1).toBeGreaterThanOrEqual(good!.t0);
    expect(good!.text).toBe('tracecalls');
    expect(good!.num).toBe(14);
  });

  it('name an fd by the path of its Chan and show the bytes written', async () => {
    const r = await runProg('tracecalls.s');
    const [w] = calls(r.events, 'pwrite');
    expect(w!.args).toEqual([
      { t: 'fd', v: 3, path: '/dev/cons' },
      { t: 'buf', v: 0x2020, dir: 'in', len: 3, data: 'hi\\x0a' },
      { t: 'int', v: 3 },
      { t: 'vlong', v: -1 },
    ]);
  });

  it('decode rfork flags by name and read out-strings at exit (await)', async () => {
    const r = await runProg('tracecalls.s');
    const [rf] = calls(r.events, 'rfork');
    expect(rf!.args).toEqual([{ t: 'rfork', v: 0x14, names: ['RFFDG', 'RFPROC'] }]);
    const [aw] = calls(r.events, 'await');
    expect(aw!.args[0]).toMatchObject({ t: 'str', s: expect.stringMatching(/^2 \d+ \d+ \d+ 'tracecalls 2: bye'$/) });
  });

  it('come as an enter event before each exit event', async () => {
    const r = await runProg('tracecalls.s');
    const sys = r.events.filter((e) => e.kind === 'sys' || e.kind === 'sysenter');
    const p1 = sys.filter((e) => e.pid === 1).map((e) => `${e.kind}:${e.name}`);
    expect(p1.slice(0, 4)).toEqual(['sysenter:open', 'sys:open', 'sysenter:open', 'sys:open']);
  });
});

describe('process events', () => {
  it('report rfork (flags, child), exits (status) and wait (child, message)', async () => {
    const r = await runProg('tracecalls.s');
    const procs = r.events.filter((e) => e.kind === 'proc');
    expect(procs.find((e) => e.what === 'rfork')).toMatchObject({ pid: 1, flags: 0x14, flagnames: ['RFFDG', 'RFPROC'], child: 2 });
    expect(procs.find((e) => e.what === 'exits' && e.pid === 2)).toMatchObject({ status: 'bye' });
    expect(procs.find((e) => e.what === 'wait')).toMatchObject({ pid: 1, child: 2, status: 'tracecalls 2: bye' });
    expect(procs.find((e) => e.what === 'exec')).toMatchObject({ pid: 1, name: 'tracecalls' });
  });
});

describe('note and fault events', () => {
  it('report a fault with its pc and address, then the note it became, and the kill', async () => {
    const r = await runProg('fault.s', { argv: ['fault', 'r'] });
    const fault = r.events.find((e) => e.kind === 'fault');
    expect(fault).toMatchObject({ pid: 1, access: 'read', addr: 0, note: 'sys: trap: fault read addr=0x0' });
    const post = r.events.find((e) => e.kind === 'note' && e.what === 'post');
    expect(post).toMatchObject({ msg: 'sys: trap: fault read addr=0x0', flag: 2, queued: 1 });
    expect(r.events.find((e) => e.kind === 'note' && e.what === 'killed')).toMatchObject({ pid: 1, msg: expect.stringMatching(/^sys: trap: fault read addr=0x0 pc=0x/) });
  });

  it('report delivery with the Ureg address and the interrupted pc, and noted with its mode', async () => {
    const r = await runProg('noteframe.s');
    const deliver = r.events.find((e) => e.kind === 'note' && e.what === 'deliver');
    expect(deliver).toMatchObject({ pid: 1, msg: 'hello', ureg: expect.any(Number), pc: expect.any(Number) });
    expect(r.events.find((e) => e.kind === 'note' && e.what === 'noted')).toMatchObject({ mode: 0, msg: 'hello' });
  });
});
