// The machine-independent directory entry (stat(5)): Dir <-> bytes, the
// check the kernel makes on a wstat buffer, and the packing of directory
// reads into whole entries (9front libc 9sys/convD2M.c, convM2D.c, and
// port/dev.c:devdirread).
//
//   size[2] type[2] dev[4] qid.type[1] qid.vers[4] qid.path[8]
//   mode[4] atime[4] mtime[4] length[8] name[s] uid[s] gid[s] muid[s]
//
// All little-endian; a string is count[2] then that many UTF-8 bytes.

import type { Dir } from './dat.ts';
import { Eshort, error } from './error.ts';

export const BIT16SZ = 2;
/** The fixed part of an entry, the four string counts included (fcall.h STATFIXLEN). */
export const STATFIXLEN = 2 + 2 + 4 + 13 + 4 + 4 + 4 + 8 + 4 * 2;

const enc = new TextEncoder();
const dec = new TextDecoder();

function strings(d: Dir): Uint8Array[] {
  return [d.name, d.uid, d.gid, d.muid].map((s) => enc.encode(s));
}

/** Bytes convD2M needs for d (9front sizeD2M). */
export function sizeD2M(d: Dir): number {
  return STATFIXLEN + strings(d).reduce((n, s) => n + s.length, 0);
}

/**
 * Marshal d into at most nbuf bytes (9front convD2M). As on Plan 9 a buffer
 * too small for the entry still gets the size field, so the caller learns how
 * much it needs: the result is then just those 2 bytes. nbuf < 2 gives none.
 */
export function convD2M(d: Dir, nbuf: number): Uint8Array {
  if (nbuf < BIT16SZ) return new Uint8Array(0);
  const sv = strings(d);
  const ss = STATFIXLEN + sv.reduce((n, s) => n + s.length, 0);
  const b = new Uint8Array(ss > nbuf ? BIT16SZ : ss);
  const v = new DataView(b.buffer);
  v.setUint16(0, ss - BIT16SZ, true);
  if (ss > nbuf) return b;
  let p = 2;
  v.setUint16(p, d.type, true); p += 2;
  v.setUint32(p, d.dev >>> 0, true); p += 4;
  v.setUint8(p, d.qid.type); p += 1;
  v.setUint32(p, d.qid.vers >>> 0, true); p += 4;
  v.setBigUint64(p, BigInt(d.qid.path), true); p += 8;
  v.setUint32(p, d.mode >>> 0, true); p += 4;
  v.setUint32(p, d.atime >>> 0, true); p += 4;
  v.setUint32(p, d.mtime >>> 0, true); p += 4;
  v.setBigUint64(p, BigInt(d.length), true); p += 8;
  for (const s of sv) {
    v.setUint16(p, s.length, true);
    b.set(s, p + 2);
    p += 2 + s.length;
  }
  return b;
}

/** Is buf exactly one well-formed entry? (9front statcheck) */
export function statcheck(buf: Uint8Array): boolean {
  if (buf.length < STATFIXLEN) return false;
  const v = new DataView(buf.buffer, buf.byteOffset, buf.length);
  if (buf.length !== BIT16SZ + v.getUint16(0, true)) return false;
  let p = STATFIXLEN - 4 * BIT16SZ;
  for (let i = 0; i < 4; i++) {
    if (p + BIT16SZ > buf.length) return false;
    p += BIT16SZ + v.getUint16(p, true);
  }
  return p === buf.length;
}

/** Unmarshal one entry; null when buf is too short for it (9front convM2D returning 0). */
export function convM2D(buf: Uint8Array): Dir | null {
  if (buf.length < STATFIXLEN) return null;
  const v = new DataView(buf.buffer, buf.byteOffset, buf.length);
  const big = (o: number): number | bigint => {
    const x = v.getBigUint64(o, true);
    return x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x;
  };
  const d: Dir = {
    type: v.getUint16(2, true),
    dev: v.getUint32(4, true),
    qid: { type: v.getUint8(8), vers: v.getUint32(9, true), path: big(13) },
    mode: v.getUint32(21, true),
    atime: v.getUint32(25, true),
    mtime: v.getUint32(29, true),
    length: big(33),
    name: '', uid: '', gid: '', muid: '',
  };
  let p = 41;
  const sv: string[] = [];
  for (let i = 0; i < 4; i++) {
    if (p + BIT16SZ > buf.length) return null;
    const ns = v.getUint16(p, true);
    p += BIT16SZ;
    if (p + ns > buf.length) return null;
    sv.push(dec.decode(buf.subarray(p, p + ns)));
    p += ns;
  }
  [d.name, d.uid, d.gid, d.muid] = sv as [string, string, string, string];
  return d;
}

/** Every entry of a directory read's bytes (a union merges its members with this). */
export function unpackdirs(buf: Uint8Array): Dir[] {
  const out: Dir[] = [];
  for (let p = 0; p + BIT16SZ <= buf.length; ) {
    const len = BIT16SZ + (buf[p]! | (buf[p + 1]! << 8));
    const d = convM2D(buf.subarray(p, p + len));
    if (!d) break;
    out.push(d);
    p += len;
  }
  return out;
}

/**
 * A directory read of at most n bytes at byte offset off (9front
 * devdirread). Entries are never split: the read skips the entries that
 * lie before off and returns as many whole ones as fit. It keeps no
 * cursor in the Chan (Plan 9's c->dri), so a read rerun after a sleep sees
 * the same result; sysfile only allows offsets a previous read ended at.
 * An n too small for even the next entry fails with Eshort.
 */
export function dirpack(dirs: readonly Dir[], n: number, off: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let pos = 0, m = 0;
  for (const d of dirs) {
    const size = sizeD2M(d);
    if (pos < off) { pos += size; continue; }
    if (size > n - m) {
      if (m === 0) error(Eshort);
      break;
    }
    parts.push(convD2M(d, size));
    m += size;
  }
  const out = new Uint8Array(m);
  let p = 0;
  for (const b of parts) { out.set(b, p); p += b.length; }
  return out;
}
