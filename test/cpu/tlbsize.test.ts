// The larger softmmu TLB (emu/cpu/tlbsize.ts): the mend applies to the
// system library before an engine is opened, and a guest whose loads
// cover more pages than QEMU's 256-entry TLB reads what the host wrote,
// before and after a flush (the resize path, whose floor the mend moves).
import { afterEach, describe, expect, it } from 'vitest';
import { bigTlb, TLB_ENTRIES } from '../../emu/cpu/tlbsize.ts';
import { expectMended } from './mended.ts';
import { unicornAlloc } from '../../emu/cpu/hostmem.ts';
import type { HostMem } from '../../emu/cpu/cpu.ts';
import { guest, le32, PROT_READ, PROT_WRITE, type Guest } from './guest.ts';

const BIG = 0x100000;
const PAGES = 2 * TLB_ENTRIES;

let g: Guest | undefined;
let big: HostMem | undefined;
afterEach(() => {
  g?.close();
  big?.free();
  g = big = undefined;
});

describe('tlbsize: engines get a larger TLB', () => {
  it('applies to the system library (Debian 2.0.1)', () => {
    expectMended(bigTlb, process.env.P9EMU_TLB === 'qemu', 'tlb_init_x86_64', 0x7en, le32((TLB_ENTRIES - 1) * 32));
  });

  it('loads from twice as many pages as entries read the host\'s words, across flushes', () => {
    // MOVL $BIG, SI ; MOVL $PAGES, CX ; XORL AX, AX
    // loop: ADDL (SI), AX ; ADDL $0x1000, SI ; DECL CX ; JNE loop ; INT $64
    g = guest([0xbe, ...le32(BIG), 0xb9, ...le32(PAGES), 0x31, 0xc0,
      0x03, 0x06, 0x81, 0xc6, ...le32(0x1000), 0x49, 0x75, 0xf5, 0xcd, 0x40]);
    big = unicornAlloc(PAGES * 0x1000);
    g.cpu.map(BIG, big, PROT_READ | PROT_WRITE);
    g.cpu.onSyscall(() => g!.cpu.stop());
    const words = new DataView(big.bytes.buffer, big.bytes.byteOffset, big.bytes.byteLength);
    const sumOf = (f: (i: number) => number) => {
      let s = 0;
      for (let i = 0; i < PAGES; i++) {
        words.setUint32(i * 0x1000, f(i), true);
        s = (s + f(i)) >>> 0;
      }
      return s;
    };
    for (const f of [(i: number) => 3 * i + 1, (i: number) => i ^ 0x5a5a, (i: number) => 7 * i * i]) {
      const want = sumOf(f);
      g.cpu.setRegs({ pc: 0x1000 });
      expect(g.cpu.run()).toEqual({ kind: 'stopped' });
      expect(g.cpu.reg('ax')).toBe(want);
      // A protection change flushes the TLB (and runs its resize).
      g.cpu.protect(BIG, PAGES * 0x1000, PROT_READ);
      g.cpu.protect(BIG, PAGES * 0x1000, PROT_READ | PROT_WRITE);
    }
  });
});
