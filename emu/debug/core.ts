// Core files (`p9emu run --core FILE`): what a process that died of a note
// left — registers (x87/SSE included), memory, the note — and the a.out it
// ran, so that `p9emu core FILE` can show the post-mortem later.
//
// Layout: the line "p9emu-core 1", a line of JSON (the header below), then
// each segment's bytes in the header's order, then the a.out image.

import type { Corpse, CorpseSeg } from './corpse.ts';
import type { AllRegs } from './regs.ts';

const MAGIC = 'p9emu-core 1\n';

interface Header {
  pid: number;
  text: string;
  note: string;
  regs: Omit<AllRegs, 'fp'> & { fp: Omit<AllRegs['fp'], 'st' | 'xmm'> & { st: string[]; xmm: string[] } };
  segs: Array<{ type: string; base: number; len: number }>;
  image: number;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

export function writeCore(c: Corpse, image: Uint8Array): Uint8Array {
  const { fp, ...gen } = c.regs;
  const h: Header = {
    pid: c.pid,
    text: c.text,
    note: c.note,
    regs: { ...gen, fp: { ...fp, st: fp.st.map(hex), xmm: fp.xmm.map(hex) } },
    segs: c.segs.map((s) => ({ type: s.type, base: s.base, len: s.bytes.length })),
    image: image.length,
  };
  const head = Buffer.from(MAGIC + JSON.stringify(h) + '\n');
  return Buffer.concat([head, ...c.segs.map((s) => s.bytes), image]);
}

export class CoreError extends Error {}

/** The corpse and the a.out image in a core file; a CoreError when it is not one. */
export function readCore(b: Uint8Array): { corpse: Corpse; image: Uint8Array } {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) throw new CoreError('not a p9emu core file');
  const nl = buf.indexOf(10, MAGIC.length);
  if (nl < 0) throw new CoreError('core file: truncated header');
  let h: Header;
  try {
    h = JSON.parse(buf.subarray(MAGIC.length, nl).toString('utf8')) as Header;
  } catch {
    throw new CoreError('core file: bad header');
  }
  let off = nl + 1;
  const segs: CorpseSeg[] = h.segs.map((s) => {
    const bytes = new Uint8Array(buf.subarray(off, off + s.len));
    off += s.len;
    return { type: s.type, base: s.base, bytes };
  });
  const image = new Uint8Array(buf.subarray(off, off + h.image));
  if (image.length !== h.image) throw new CoreError('core file: truncated');
  const { fp, ...gen } = h.regs;
  return {
    corpse: { pid: h.pid, text: h.text, note: h.note, segs, regs: { ...gen, fp: { ...fp, st: fp.st.map(unhex), xmm: fp.xmm.map(unhex) } } },
    image,
  };
}
