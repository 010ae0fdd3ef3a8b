// The library's memory hooks: reads and writes in a range, by any
// process, with the address, size, value, pc and pid; added before the
// run or at a stop. The examples of docs/api.md, "Memory hooks".

import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { boot, load, type MemoryAccess } from 'p9emu';

const prog = load(fileURLToPath(new URL('stop.s', import.meta.url)));
const counter = prog.addr('counter');
const brief = (a: MemoryAccess) => [a.access, a.pid, a.addr === counter, a.size, a.value];

describe('memory hooks', () => {
  it('see every write and read of a variable, with the instruction', async () => {
    const g = boot(prog, { deterministic: true });
    const writes: MemoryAccess[] = [];
    const reads: MemoryAccess[] = [];
    g.onMemory({ from: 'counter', to: counter + 4, access: 'w' }, (a) => void writes.push(a));
    g.onMemory({ from: 'counter', to: counter + 4, access: 'r' }, (a) => void reads.push(a));
    const r = await g.run();
    expect(r.exitstr).toBe('');
    // _main's MOVL $0, then INCL counter(SB) in bump three times (a read, then a write, each).
    expect(writes.map(brief)).toEqual([['w', 1, true, 4, 0], ['w', 1, true, 4, 1], ['w', 1, true, 4, 2], ['w', 1, true, 4, 3]]);
    expect(reads.map(brief)).toEqual([['r', 1, true, 4, 0], ['r', 1, true, 4, 1], ['r', 1, true, 4, 2]]);
    expect(new Set(writes.slice(1).map((a) => a.pc))).toEqual(new Set([prog.addr('bump')]));
    expect(writes[0]!.pc).toBeGreaterThanOrEqual(prog.addr('_main'));
  });

  it('see an access that overlaps the range, and may be added at a stop and removed', async () => {
    const g = boot(prog, { deterministic: true });
    await g.runUntil({ symbol: 'check' });
    const seen: MemoryAccess[] = [];
    // One byte of xbuf: MOVOU X0, xbuf(SB) stores all 16 over it.
    const off = g.onMemory({ from: prog.addr('xbuf') + 5 }, (a) => void seen.push(a));
    g.setRegs({ fp: { xmm: [new TextEncoder().encode('0123456789abcdef')] } });
    await g.runUntil({ symbol: 'pick' });
    // The engine stores the 16 bytes as two halves: the first covers xbuf+5.
    expect(seen.map((a) => [a.access, a.addr - prog.addr('xbuf'), a.size, new TextDecoder().decode(a.bytes)])).toEqual([['w', 0, 8, '01234567']]);
    expect([...g.read(seen[0]!.pc, 3)]).toEqual([0xf3, 0x0f, 0x7f]);   // pc is the MOVOU X0, xbuf(SB)
    off();
    expect((await g.run()).stdout).toBe('0123456789abcdef');
  });

  it("see every process: an RFMEM child writes the parent's variable, a child without RFMEM its own copy", async () => {
    const rfmem = load(fileURLToPath(new URL('../prog/rfmem.s', import.meta.url)));
    const g = boot(rfmem, { deterministic: true });
    const seen: unknown[] = [];
    g.onMemory({ from: 'shared', to: rfmem.addr('shared') + 4 }, (a) => void seen.push([a.pid, a.access, a.value]));
    expect((await g.run()).exitstr).toBe('');
    expect(seen).toEqual([[2, 'w', 42], [1, 'r', 42], [3, 'w', 99], [1, 'r', 42]]);
  });

  it('stop the run when one throws', async () => {
    const g = boot(prog);
    g.onMemory({ from: 'counter', access: 'w' }, (a) => {
      if (a.value === 2) throw new Error('two');
    });
    await expect(g.run()).rejects.toThrow('two');
    expect(() => boot(prog).onMemory({ from: 'counter', to: 'counter' }, () => {})).toThrow('onMemory: to is not above from');
  });
});
