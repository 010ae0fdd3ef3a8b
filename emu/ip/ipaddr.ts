// IP addresses as Plan 9 keeps them: 16 bytes, IPv4 as v4-mapped IPv6
// (9front libip parseip.c, eipfmt.c %I, ip.h).

export const IPaddrlen = 16;
const IPv4off = 12;

/** The v4-mapped prefix ::ffff:0:0/96 (libip v4prefix). */
const v4prefix = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff);

/** The unspecified address, ::, which Plan 9 writes for "any" (IPnoaddr). */
export const IPnoaddr: Uint8Array = new Uint8Array(IPaddrlen);

export function isv4(ip: Uint8Array): boolean {
  return v4prefix.every((b, i) => ip[i] === b);
}

/** memcmp of two addresses: 0 when equal. */
export function ipcmp(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < IPaddrlen; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** An IPv4 address as 16 bytes. */
export function v4(a: number, b: number, c: number, d: number): Uint8Array {
  const ip = new Uint8Array(IPaddrlen);
  ip.set(v4prefix);
  ip.set([a, b, c, d], IPv4off);
  return ip;
}

const isxdigit = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isalnum = (c: string | undefined): boolean => c !== undefined && /^[0-9a-zA-Z]$/.test(c);
const ipcharok = (c: string | undefined): boolean => c === '.' || c === ':' || isxdigit(c);
const delimchar = (c: string | undefined): boolean => c === undefined || !(c === '.' || c === ':' || isalnum(c));

/** strtoul(s+p, &end, base) for base 16 or 0 (0x hex, 0 octal, else decimal): value and end. */
function strtoul(s: string, p: number, base: 0 | 16): [number, number] {
  let b: number = base;
  if (b === 0) {
    if (/^0[xX][0-9a-fA-F]/.test(s.slice(p))) { p += 2; b = 16; }
    else b = s[p] === '0' ? 8 : 10;
  }
  let x = 0, q = p;
  for (; q < s.length; q++) {
    const d = parseInt(s[q]!, 36);
    if (Number.isNaN(d) || d >= b) break;
    x = Math.min(x * b + d, 2 ** 32);  // saturates, as strtoul does at ULONG_MAX
  }
  return [x, q];
}

/** The IPv4 part at to[i..i+4) (libip v4parseip): a.b.c.d, or class-A/B short forms like 127.1. */
function v4parseip(to: Uint8Array, i: number, s: string, p: number): number {
  let n = 0;
  for (; n < 4 && p < s.length; n++) {
    let x: number;
    [x, p] = strtoul(s, p, 0);
    to[i + n] = x;
    if (s[p] === '.') p++;
  }
  const cls = to[i]! >> 6;
  if (cls <= 1) {        // class A: one byte of net
    if (n === 3) { to[i + 3] = to[i + 2]!; to[i + 2] = to[i + 1]!; to[i + 1] = 0; }
    else if (n === 2) { to[i + 3] = to[i + 1]!; to[i + 1] = 0; }
  } else if (cls === 2) { // class B: two bytes of net
    if (n === 3) { to[i + 3] = to[i + 2]!; to[i + 2] = 0; }
  }
  return p;
}

/**
 * An address in any of Plan 9's spellings (libip parseip): dotted IPv4
 * (made v4-mapped), or IPv6 with :: and an optional IPv4 tail. Null for
 * bad syntax, where the C returns -1.
 */
export function parseip(s: string): Uint8Array | null {
  const to = new Uint8Array(IPaddrlen);
  let p = 0, i = 0, elipsis = 0, isv4 = true;
  for (; i < IPaddrlen && ipcharok(s[p]); i += 2) {
    const op = p;
    let x: number;
    [x, p] = strtoul(s, p, 16);
    if (s[p] === '.' || (p >= s.length && i === 0)) {  // ends with IPv4
      if (i > IPaddrlen - 4) return null;
      p = v4parseip(to, i, s, op);
      i += 4;
      break;
    }
    if (x > 0xffff || (s[p] !== ':' && !delimchar(s[p]))) return null;
    to[i] = x >> 8;
    to[i + 1] = x & 0xff;
    if (s[p] === ':') {
      isv4 = false;
      if (s[++p] === ':') {  // :: elides zero groups
        if (elipsis) return null;
        elipsis = i + 2;
        p++;
      }
    } else if (p === op) {
      break;
    }
  }
  if (p === 0 || !delimchar(s[p])) return null;
  if (i < IPaddrlen) {
    to.copyWithin(elipsis + IPaddrlen - i, elipsis, i);
    to.fill(0, elipsis, elipsis + IPaddrlen - i);
  }
  if (isv4) to.set(v4prefix.subarray(10), 10);
  return to;
}

/** %I: dotted for v4-mapped addresses, else IPv6 with the longest run of zero groups as :: (eipfmt). */
export function ipfmt(ip: Uint8Array): string {
  if (isv4(ip)) return Array.from(ip.subarray(IPv4off)).join('.');
  let eli = -1, eln = -1;
  for (let i = 0; i < IPaddrlen; i += 2) {
    let j = i;
    while (j < IPaddrlen && ip[j] === 0 && ip[j + 1] === 0) j += 2;
    if (j > i && j - i > eln) { eli = i; eln = j - i; }
  }
  let s = '';
  for (let i = 0; i < IPaddrlen; i += 2) {
    if (i === eli) {
      s += '::';
      i += eln;
      if (i >= IPaddrlen) break;
    } else if (i !== 0) {
      s += ':';
    }
    s += ((ip[i]! << 8) | ip[i + 1]!).toString(16);
  }
  return s;
}
