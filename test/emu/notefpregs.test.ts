// /proc/N/notefpregs (9front port/devproc.c Qnotefpregs, pc/fpu.c
// notefpsave): the FPU state notify saved, only while a handler runs.
import { describe, expect, it } from 'vitest';
import { runProg } from '../kit/runprog.ts';

describe('/proc/N/notefpregs (9front)', () => {
  it('holds the interrupted code\'s FPU state in a handler, and what is written there is what noted restores', async () => {
    const r = await runProg('notefp.s', { flavor: '9front' });
    expect(r.stdout.toString().split('\n')).toEqual([
      'process has no saved registers',  // read outside a handler: Enoreg
      '1234',  // XMM1 as the note interrupted it
      '9999',  // XMM1 after noted: the handler's write to notefpregs
      '',
    ]);
    expect(r.exitstr).toBe('');
  });
});
