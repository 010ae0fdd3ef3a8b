// 9P2000 messages (intro(5); 9front fcall.h, libc 9sys/convS2M.c and
// convM2S.c): one Fcall shape for every T- and R-message, and its
// marshalling. The mount driver (devmnt.ts) speaks it, and so do the test
// servers written in TypeScript.
//
//   size[4] type[1] tag[2] then the fields of the type, little-endian;
//   a string is count[2] UTF-8 bytes, a qid type[1] vers[4] path[8].

import type { Qid } from './dat.ts';
import { words64 } from './vlong.ts';

export const Tversion = 100, Rversion = 101, Tauth = 102, Rauth = 103;
export const Tattach = 104, Rattach = 105, Rerror = 107;
export const Tflush = 108, Rflush = 109, Twalk = 110, Rwalk = 111;
export const Topen = 112, Ropen = 113, Tcreate = 114, Rcreate = 115;
export const Tread = 116, Rread = 117, Twrite = 118, Rwrite = 119;
export const Tclunk = 120, Rclunk = 121, Tremove = 122, Rremove = 123;
export const Tstat = 124, Rstat = 125, Twstat = 126, Rwstat = 127;

export const VERSION9P = '9P2000';
export const NOTAG = 0xffff;
export const NOFID = 0xffffffff;
/** Room for a Tread/Twrite header before the data (fcall.h IOHDRSZ). */
export const IOHDRSZ = 24;
/** Names one Twalk may carry (fcall.h MAXWELEM). */
export const MAXWELEM = 16;

/** A 9P message; which fields are set depends on type (9front Fcall). */
export interface Fcall {
  type: number;
  tag: number;
  fid?: number;
  afid?: number;
  newfid?: number;
  msize?: number;
  version?: string;
  oldtag?: number;
  ename?: string;
  qid?: Qid;
  aqid?: Qid;
  iounit?: number;
  uname?: string;
  aname?: string;
  perm?: number;
  name?: string;
  mode?: number;
  wname?: string[];
  wqid?: Qid[];
  offset?: number;
  count?: number;
  data?: Uint8Array;
  stat?: Uint8Array;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Appends the fields of one message. */
class Packer {
  private n = 0;
  private readonly bytes: Uint8Array[] = [];

  u8(x: number): this { return this.raw(Uint8Array.of(x & 0xff)); }
  u16(x: number): this { return this.raw(Uint8Array.of(x & 0xff, (x >>> 8) & 0xff)); }
  // Bytes set one by one, several fields a message (vlong.ts).
  u32(x: number): this { return this.raw(Uint8Array.of(x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, (x >>> 24) & 0xff)); }
  u64(x: number | bigint): this {
    const [lo, hi] = words64(BigInt(x));
    return this.u32(lo).u32(hi);
  }
  str(s: string): this {
    const b = enc.encode(s);
    return this.u16(b.length).raw(b);
  }
  qid(q: Qid): this { return this.u8(q.type).u32(q.vers).u64(q.path); }
  raw(b: Uint8Array): this {
    this.bytes.push(b);
    this.n += b.length;
    return this;
  }
  done(): Uint8Array {
    const out = new Uint8Array(4 + this.n);
    const n = out.length;
    out[0] = n; out[1] = n >>> 8; out[2] = n >>> 16; out[3] = n >>> 24;
    let p = 4;
    for (const b of this.bytes) { out.set(b, p); p += b.length; }
    return out;
  }
}

/** Marshal f (9front convS2M). Fields the type needs and f lacks are zero or empty. */
export function convS2M(f: Fcall): Uint8Array {
  const p = new Packer().u8(f.type).u16(f.tag);
  const zq: Qid = { type: 0, vers: 0, path: 0 };
  switch (f.type) {
    case Tversion: case Rversion: p.u32(f.msize ?? 0).str(f.version ?? ''); break;
    case Tauth: p.u32(f.afid ?? NOFID).str(f.uname ?? '').str(f.aname ?? ''); break;
    case Rauth: p.qid(f.aqid ?? zq); break;
    case Tattach: p.u32(f.fid ?? 0).u32(f.afid ?? NOFID).str(f.uname ?? '').str(f.aname ?? ''); break;
    case Rattach: p.qid(f.qid ?? zq); break;
    case Rerror: p.str(f.ename ?? ''); break;
    case Tflush: p.u16(f.oldtag ?? 0); break;
    case Twalk: {
      const w = f.wname ?? [];
      p.u32(f.fid ?? 0).u32(f.newfid ?? 0).u16(w.length);
      for (const s of w) p.str(s);
      break;
    }
    case Rwalk: {
      const w = f.wqid ?? [];
      p.u16(w.length);
      for (const q of w) p.qid(q);
      break;
    }
    case Topen: p.u32(f.fid ?? 0).u8(f.mode ?? 0); break;
    case Tcreate: p.u32(f.fid ?? 0).str(f.name ?? '').u32(f.perm ?? 0).u8(f.mode ?? 0); break;
    case Ropen: case Rcreate: p.qid(f.qid ?? zq).u32(f.iounit ?? 0); break;
    case Tread: p.u32(f.fid ?? 0).u64(f.offset ?? 0).u32(f.count ?? 0); break;
    case Rread: { const d = f.data ?? new Uint8Array(0); p.u32(d.length).raw(d); break; }
    case Twrite: { const d = f.data ?? new Uint8Array(0); p.u32(f.fid ?? 0).u64(f.offset ?? 0).u32(d.length).raw(d); break; }
    case Rwrite: p.u32(f.count ?? 0); break;
    case Tclunk: case Tremove: case Tstat: p.u32(f.fid ?? 0); break;
    case Rstat: { const s = f.stat ?? new Uint8Array(0); p.u16(s.length).raw(s); break; }
    case Twstat: { const s = f.stat ?? new Uint8Array(0); p.u32(f.fid ?? 0).u16(s.length).raw(s); break; }
    case Rflush: case Rclunk: case Rremove: case Rwstat: break;
    default: throw new RangeError(`convS2M: bad type ${f.type}`);
  }
  return p.done();
}

/** Reads the fields of one message; every getter throws BadMsg past the end. */
class Unpacker {
  private p = 0;
  private readonly v: DataView;
  constructor(private readonly b: Uint8Array) {
    this.v = new DataView(b.buffer, b.byteOffset, b.length);
  }
  private need(n: number): number {
    if (this.p + n > this.b.length) throw badmsg;
    const at = this.p;
    this.p += n;
    return at;
  }
  u8(): number { return this.v.getUint8(this.need(1)); }
  u16(): number { return this.v.getUint16(this.need(2), true); }
  u32(): number { return this.v.getUint32(this.need(4), true); }
  u64(): number | bigint {
    const x = this.v.getBigUint64(this.need(8), true);
    return x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x;
  }
  bytes(n: number): Uint8Array { const at = this.need(n); return this.b.slice(at, at + n); }
  str(): string { return dec.decode(this.bytes(this.u16())); }
  qid(): Qid { const type = this.u8(), vers = this.u32(); return { type, vers, path: this.u64() }; }
  get atend(): boolean { return this.p === this.b.length; }
}

const badmsg = new Error('bad 9P message');

/**
 * Unmarshal one whole message (9front convM2S); null when it is malformed:
 * a size that is not the buffer's, an unknown type, fields past the end
 * or bytes left over, more than MAXWELEM names or qids.
 */
export function convM2S(b: Uint8Array): Fcall | null {
  if (b.length < 7 || new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true) !== b.length) return null;
  const u = new Unpacker(b.subarray(4));
  try {
    const f: Fcall = { type: u.u8(), tag: u.u16() };
    switch (f.type) {
      case Tversion: case Rversion: f.msize = u.u32(); f.version = u.str(); break;
      case Tauth: f.afid = u.u32(); f.uname = u.str(); f.aname = u.str(); break;
      case Rauth: f.aqid = u.qid(); break;
      case Tattach: f.fid = u.u32(); f.afid = u.u32(); f.uname = u.str(); f.aname = u.str(); break;
      case Rattach: f.qid = u.qid(); break;
      case Rerror: f.ename = u.str(); break;
      case Tflush: f.oldtag = u.u16(); break;
      case Twalk: {
        f.fid = u.u32(); f.newfid = u.u32();
        const n = u.u16();
        if (n > MAXWELEM) return null;
        f.wname = Array.from({ length: n }, () => u.str());
        break;
      }
      case Rwalk: {
        const n = u.u16();
        if (n > MAXWELEM) return null;
        f.wqid = Array.from({ length: n }, () => u.qid());
        break;
      }
      case Topen: f.fid = u.u32(); f.mode = u.u8(); break;
      case Tcreate: f.fid = u.u32(); f.name = u.str(); f.perm = u.u32(); f.mode = u.u8(); break;
      case Ropen: case Rcreate: f.qid = u.qid(); f.iounit = u.u32(); break;
      case Tread: f.fid = u.u32(); f.offset = Number(u.u64()); f.count = u.u32(); break;
      case Rread: f.count = u.u32(); f.data = u.bytes(f.count); break;
      case Twrite: f.fid = u.u32(); f.offset = Number(u.u64()); f.count = u.u32(); f.data = u.bytes(f.count); break;
      case Rwrite: f.count = u.u32(); break;
      case Tclunk: case Tremove: case Tstat: f.fid = u.u32(); break;
      case Rstat: f.stat = u.bytes(u.u16()); break;
      case Twstat: f.fid = u.u32(); f.stat = u.bytes(u.u16()); break;
      case Rflush: case Rclunk: case Rremove: case Rwstat: break;
      default: return null;
    }
    return u.atend ? f : null;
  } catch (e) {
    if (e === badmsg) return null;
    throw e;
  }
}

/** The size a message claims in its first 4 bytes (GBIT32), or -1 when fewer are there. */
export function msgsize(b: Uint8Array): number {
  return b.length < 4 ? -1 : new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
}
