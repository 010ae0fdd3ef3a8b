// The i386 registers as gdb numbers them (gdb's features/i386/32bit-core.xml
// and 32bit-sse.xml): the target description p9emu sends with
// qXfer:features:read, and the byte layout of `g`/`G`/`p`/`P` in that order.

import type { AllRegs, FpRegs, RegChange } from './regs.ts';
import type { Reg, Regs } from '../cpu/cpu.ts';

type Slot =
  | { name: string; size: 4; gen: Reg }
  | { name: string; size: 10; st: number }
  | { name: string; size: 4; fp: 'fctrl' | 'fstat' | 'ftag' | 'mxcsr' | null }
  | { name: string; size: 16; xmm: number };

const GEN: Reg[] = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', 'pc', 'flags', 'cs', 'ss', 'ds', 'es', 'fs', 'gs'];
const GENNAME = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'eip', 'eflags', 'cs', 'ss', 'ds', 'es', 'fs', 'gs'];

/** Register number → what it holds. The x87 pointer registers (fiseg…fop) read as 0. */
export const SLOTS: Slot[] = [
  ...GEN.map((gen, i) => ({ name: GENNAME[i]!, size: 4 as const, gen })),
  ...Array.from({ length: 8 }, (_, i) => ({ name: `st${i}`, size: 10 as const, st: i })),
  ...(['fctrl', 'fstat', 'ftag', 'fiseg', 'fioff', 'foseg', 'fooff', 'fop'] as const).map((name) => ({
    name, size: 4 as const, fp: name === 'fctrl' || name === 'fstat' || name === 'ftag' ? name : null,
  })),
  ...Array.from({ length: 8 }, (_, i) => ({ name: `xmm${i}`, size: 16 as const, xmm: i })),
  { name: 'mxcsr', size: 4, fp: 'mxcsr' },
];

const le32 = (v: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
};

/** Register n's bytes, target order. */
export function slotBytes(r: AllRegs, n: number): Uint8Array {
  const s = SLOTS[n]!;
  if ('gen' in s) return le32(r[s.gen]);
  if ('st' in s) return r.fp.st[s.st]!;
  if ('xmm' in s) return r.fp.xmm[s.xmm]!;
  return le32(s.fp === null ? 0 : r.fp[s.fp]);
}

/** The change that sets register n to `b` (target order), for Control.setRegs. */
export function slotChange(n: number, b: Uint8Array, r: AllRegs): RegChange {
  const s = SLOTS[n]!;
  const v = b.length >= 4 ? new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true) : 0;
  if ('gen' in s) return { [s.gen]: v };
  if ('st' in s) return { fp: { st: r.fp.st.map((x, i) => (i === s.st ? b.slice(0, 10) : x)) } };
  if ('xmm' in s) return { fp: { xmm: r.fp.xmm.map((x, i) => (i === s.xmm ? b.slice(0, 16) : x)) } };
  return s.fp === null ? {} : { fp: { [s.fp]: v } };
}

export const GSIZE = SLOTS.reduce((n, s) => n + s.size, 0);

export function gpacket(r: AllRegs): Uint8Array {
  const out = new Uint8Array(GSIZE);
  let o = 0;
  SLOTS.forEach((s, i) => {
    out.set(slotBytes(r, i), o);
    o += s.size;
  });
  return out;
}

/** The change a `G` packet asks for: general registers and the x87/SSE state. */
export function Gchange(b: Uint8Array, r: AllRegs): RegChange {
  const gen: Partial<Regs> = {};
  const fp: Partial<FpRegs> = { st: [], xmm: [] };
  let o = 0;
  SLOTS.forEach((s, i) => {
    const c = slotChange(i, b.subarray(o, o + s.size), r);
    o += s.size;
    if (c.fp?.st) fp.st!.push(c.fp.st[(s as { st: number }).st]!);
    else if (c.fp?.xmm) fp.xmm!.push(c.fp.xmm[(s as { xmm: number }).xmm]!);
    else if (c.fp) Object.assign(fp, c.fp);
    else Object.assign(gen, c);
  });
  // Segment selectors are the kernel's: user code cannot load others.
  for (const k of ['cs', 'ss', 'ds', 'es', 'fs', 'gs'] as const) if (gen[k] === r[k]) delete gen[k];
  return { ...gen, fp };
}

const VEC128 = `<vector id="v4f" type="ieee_single" count="4"/>
<vector id="v2d" type="ieee_double" count="2"/>
<vector id="v16i8" type="int8" count="16"/>
<vector id="v8i16" type="int16" count="8"/>
<vector id="v4i32" type="int32" count="4"/>
<vector id="v2i64" type="int64" count="2"/>
<union id="vec128">
<field name="v4_float" type="v4f"/>
<field name="v2_double" type="v2d"/>
<field name="v16_int8" type="v16i8"/>
<field name="v8_int16" type="v8i16"/>
<field name="v4_int32" type="v4i32"/>
<field name="v2_int64" type="v2i64"/>
<field name="uint128" type="uint128"/>
</union>`;

function regxml(s: Slot, n: number): string {
  const t = 'gen' in s
    ? (s.gen === 'pc' ? 'code_ptr' : s.gen === 'sp' || s.gen === 'bp' ? 'data_ptr' : 'int32')
    : 'st' in s ? 'i387_ext' : 'xmm' in s ? 'vec128' : 'int';
  const group = 'st' in s || ('fp' in s && s.name !== 'mxcsr') ? ' group="float"' : 'xmm' in s || s.name === 'mxcsr' ? ' group="vector"' : '';
  return `<reg name="${s.name}" bitsize="${s.size * 8}" type="${t}" regnum="${n}"${group}/>`;
}

/** target.xml: i386, core (general, segment, x87) and SSE features. */
export const TARGET_XML = `<?xml version="1.0"?>
<!DOCTYPE target SYSTEM "gdb-target.dtd">
<target version="1.0">
<architecture>i386</architecture>
<feature name="org.gnu.gdb.i386.core">
${SLOTS.slice(0, 32).map(regxml).join('\n')}
</feature>
<feature name="org.gnu.gdb.i386.sse">
${VEC128}
${SLOTS.slice(32).map((s, i) => regxml(s, 32 + i)).join('\n')}
</feature>
</target>
`;
