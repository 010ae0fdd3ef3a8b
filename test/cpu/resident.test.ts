import { describe, expect, it } from 'vitest';
import { unicornAlloc } from '../../emu/cpu/hostmem.ts';
import { Segment } from '../../emu/port/segment.ts';

describe('HostMem.resident and Segment.copy', () => {
  it('mark exactly the pages ever touched, and copy those (untouched pages read as zero)', () => {
    // Sparse: small pages (a huge page would back all 64 at the first touch).
    const m = unicornAlloc(64 * 4096, true);
    m.bytes[3 * 4096 + 1] = 0xaa;
    m.bytes[63 * 4096 + 4095] = 0xbb;
    void m.bytes[10 * 4096];  // read only: the zero page, still zero
    const r = m.resident!();
    expect(r).not.toBeNull();
    expect([...r!].flatMap((v, i) => (v ? [i] : []))).toEqual([3, 10, 63]);
    const s = new Segment('stack', 0x10000, 0x10000 + 64 * 4096, m, 7);
    const c = s.copy(unicornAlloc);
    expect(c.mem.bytes[3 * 4096 + 1]).toBe(0xaa);
    expect(c.mem.bytes[63 * 4096 + 4095]).toBe(0xbb);
    expect(c.mem.bytes.every((b, i) => b === m.bytes[i])).toBe(true);
    m.free();
    c.mem.free();
  });
});
