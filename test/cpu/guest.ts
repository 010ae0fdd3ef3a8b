// Test helpers: a UnicornCpu with hand-assembled code at CODE, a data page
// at DATA and a stack page below STACK_TOP.

import { afterEach } from 'vitest';
import { PROT_ALL, PROT_READ, PROT_WRITE, PROT_EXEC, type HostMem } from '../../emu/cpu/cpu.ts';
import { unicornAlloc } from '../../emu/cpu/hostmem.ts';
import { UnicornCpu } from '../../emu/cpu/unicorn.ts';

export const CODE = 0x1000;
export const DATA = 0x2000;
export const STACK_TOP = 0x4000;

export interface Guest {
  cpu: UnicornCpu;
  code: HostMem;
  data: HostMem;
  stack: HostMem;
  dv: DataView; // over data.bytes
  close(): void;
}

/** A CPU with `code` at CODE (pc there), data RW at DATA, stack RW at 0x3000. */
export function guest(code: number[], codeProt = PROT_READ | PROT_EXEC): Guest {
  const cpu = new UnicornCpu();
  const c = unicornAlloc(0x1000);
  const d = unicornAlloc(0x1000);
  const s = unicornAlloc(0x1000);
  c.bytes.set(code);
  cpu.map(CODE, c, codeProt);
  cpu.map(DATA, d, PROT_READ | PROT_WRITE);
  cpu.map(STACK_TOP - 0x1000, s, PROT_READ | PROT_WRITE);
  cpu.setReg('pc', CODE);
  cpu.setReg('sp', STACK_TOP - 16);
  return {
    cpu, code: c, data: d, stack: s,
    dv: new DataView(d.bytes.buffer, d.bytes.byteOffset, d.bytes.byteLength),
    close() {
      cpu.close();
      c.free(); d.free(); s.free();
    },
  };
}

/** A test's guest and one more memory, closed and freed after each test (call it at a file's top level). */
export function perTest(): { g?: Guest; mem?: HostMem } {
  const t: { g?: Guest; mem?: HostMem } = {};
  afterEach(() => {
    t.g?.close();
    t.mem?.free();
    t.g = t.mem = undefined;
  });
  return t;
}

export const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

export { PROT_ALL, PROT_READ, PROT_WRITE, PROT_EXEC };
