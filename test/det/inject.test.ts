// --post-note PID:TEXT@WHEN and --fail-syscall NAME@N:ERRSTR.
import { describe, expect, it } from 'vitest';
import { parseFailSpec, parseNoteSpec } from '../../emu/det/inject.ts';
import { detRun } from './kit.ts';
import type { SysEvent } from '../../emu/trace/event.ts';

const note = (s: string) => ({ notes: [parseNoteSpec(s)] });

describe('parseNoteSpec', () => {
  it('reads PID:TEXT@WHEN and the short self:TEXT@MS form', () => {
    expect(parseNoteSpec('3:hangup@syscall:7')).toEqual({ pid: 3, text: 'hangup', when: { kind: 'syscall', n: 7 } });
    expect(parseNoteSpec('self:interrupt@500')).toEqual({ pid: 'self', text: 'interrupt', when: { kind: 'ms', n: 500 } });
    expect(parseNoteSpec('1:a:b@c@sym:runtime·notify')).toEqual({ pid: 1, text: 'a:b@c', when: { kind: 'sym', name: 'runtime·notify' } });
    expect(parseNoteSpec('2:x@insn:40').when).toEqual({ kind: 'insn', n: 40 });
  });

  it('rejects what is not a spec, saying why', () => {
    expect(() => parseNoteSpec('interrupt')).toThrow(/not PID:TEXT@WHEN/);
    expect(() => parseNoteSpec('me:x@1')).toThrow(/not a pid or self/);
    expect(() => parseNoteSpec('1:x@soon')).toThrow(/syscall:N, insn:N, ms:N, sym:NAME or MS/);
    expect(parseFailSpec('open@2:no way')).toEqual({ name: 'open', n: 2, err: 'no way' });
    expect(() => parseFailSpec('open:2')).toThrow(/NAME@N:ERRSTR/);
  });
});

describe('--post-note', () => {
  it('syscall:N posts right after the Nth call returns', async () => {
    const early = await detRun('interrupt.s', note('self:interrupt@syscall:1'));
    expect([early.exitstr, early.stdout]).toEqual(['interrupt', 'a\n']);
    const handled = await detRun('interrupt.s', note('self:interrupt@syscall:3'));
    expect([handled.exitstr, handled.stdout]).toEqual(['interrupted', 'a\nb\nc\n']);
  });

  it('sym:NAME posts when the process first reaches the symbol', async () => {
    const r = await detRun('interrupt.s', note('self:interrupt@sym:runtime·notify'));
    expect([r.exitstr, r.stdout]).toEqual(['interrupt', 'a\n']);
  });

  it('insn:N posts before the Nth instruction', async () => {
    const r = await detRun('interrupt.s', note('self:boom@insn:3'));
    expect([r.exitstr, r.stdout]).toEqual(['boom', '']);
  });

  it('ms:N posts once the (virtual) clock passes N ms, here during a sleep', async () => {
    const r = await detRun('rfork.s', note('1:boom@ms:100'));
    expect(r.exitstr).toBe('boom');
    const posted = r.jsonl.split('\n').filter((l) => l.includes('"what":"post"')).map((l) => JSON.parse(l) as { t: number });
    expect(posted[0]!.t).toBeGreaterThanOrEqual(100e6);
  });
});

describe('--fail-syscall', () => {
  it('makes the Nth call of NAME fail with the error, without running it', async () => {
    const r = await detRun('interrupt.s', { fails: [parseFailSpec('pwrite@2:no way')] });
    expect(r.stdout).toBe('a\nc\n');
    const pw = r.jsonl.split('\n').filter((l) => l.includes('"kind":"sys","pid":1,"text":"prog","num":51')).map((l) => JSON.parse(l) as SysEvent);
    expect(pw.map((e) => [e.ret, e.err, e.injected ?? false])).toEqual([[2, '', false], [-1, 'no way', true], [2, '', false]]);
  });
});
