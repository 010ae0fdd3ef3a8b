// A zip archive of stored (uncompressed) members, the only kind Go's time
// package reads without archive/zip (src/time/zoneinfo_read.go
// loadTzinfoFromZip: it finds the end record in the last 22 bytes, walks
// the central directory, and insists on method 0). Layout from PKWARE's
// APPNOTE.TXT: local header and data per member, then the central
// directory, then the end record; no zip64, so under 4 GiB and 65535 members.

export interface ZipMember {
  name: string;
  data: Uint8Array;
}

const CRCTAB = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE), as zip and Go's hash/crc32 compute it. */
export function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRCTAB[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// 1980-01-01 00:00, the first date MS-DOS can hold: the archive depends on
// the members' bytes only.
const DOSTIME = 0;
const DOSDATE = (0 << 9) | (1 << 5) | 1;

/** The bytes of a zip holding members in the order given, each stored. */
export function zipStore(members: readonly ZipMember[]): Uint8Array {
  if (members.length > 0xffff) throw new Error('zip: more than 65535 members');
  const enc = new TextEncoder();
  const names = members.map((m) => enc.encode(m.name));
  const local = members.reduce((n, m, i) => n + 30 + names[i]!.length + m.data.length, 0);
  const central = names.reduce((n, nm) => n + 46 + nm.length, 0);
  if (local + central + 22 > 0xffffffff) throw new Error('zip: archive over 4 GiB');
  const out = new Uint8Array(local + central + 22);
  const v = new DataView(out.buffer);
  const offs: number[] = [];
  const crcs = members.map((m) => crc32(m.data));
  let p = 0;
  members.forEach((m, i) => {
    const nm = names[i]!;
    offs.push(p);
    v.setUint32(p, 0x04034b50, true);     // local file header
    v.setUint16(p + 4, 10, true);         // version needed: 1.0
    v.setUint16(p + 6, 0x0800, true);     // flags: names are UTF-8
    v.setUint16(p + 8, 0, true);          // method: stored
    v.setUint16(p + 10, DOSTIME, true);
    v.setUint16(p + 12, DOSDATE, true);
    v.setUint32(p + 14, crcs[i]!, true);
    v.setUint32(p + 18, m.data.length, true);
    v.setUint32(p + 22, m.data.length, true);
    v.setUint16(p + 26, nm.length, true);
    v.setUint16(p + 28, 0, true);
    out.set(nm, p + 30);
    out.set(m.data, p + 30 + nm.length);
    p += 30 + nm.length + m.data.length;
  });
  const cdoff = p;
  members.forEach((m, i) => {
    const nm = names[i]!;
    v.setUint32(p, 0x02014b50, true);     // central directory header
    v.setUint16(p + 4, (3 << 8) | 10, true);  // made by: Unix, 1.0
    v.setUint16(p + 6, 10, true);
    v.setUint16(p + 8, 0x0800, true);
    v.setUint16(p + 10, 0, true);
    v.setUint16(p + 12, DOSTIME, true);
    v.setUint16(p + 14, DOSDATE, true);
    v.setUint32(p + 16, crcs[i]!, true);
    v.setUint32(p + 20, m.data.length, true);
    v.setUint32(p + 24, m.data.length, true);
    v.setUint16(p + 28, nm.length, true);
    // extra, comment, disk, internal attributes: 0
    v.setUint32(p + 38, (0o100644 << 16) >>> 0, true);  // external: a regular file, rw-r--r--
    v.setUint32(p + 42, offs[i]!, true);
    out.set(nm, p + 46);
    p += 46 + nm.length;
  });
  v.setUint32(p, 0x06054b50, true);       // end of central directory
  v.setUint16(p + 8, members.length, true);
  v.setUint16(p + 10, members.length, true);
  v.setUint32(p + 12, p - cdoff, true);
  v.setUint32(p + 16, cdoff, true);
  return out;
}
