// Go's own lib/time/zoneinfo.zip, recovered from its source tree. The
// release's zip is also embedded in package time/tzdata: Go 1.15–1.20's
// generate_zipdata.go writes $GOROOT/lib/time/zoneinfo.zip, byte for byte,
// into src/time/tzdata/zipdata.go as `const zipdata = "…" + "…"`, each
// piece strconv.Quote'd; from Go 1.21 cmd/dist (mkzip.go) writes it into
// zzipdata.go as one literal. Reading those literals back gives the file exactly.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file of goroot holding const zipdata: zzipdata.go (Go 1.21 on), else zipdata.go (Go 1.15–1.20). */
export function zipdatafile(goroot: string): string {
  const dir = join(goroot, 'src', 'time', 'tzdata');
  const zz = join(dir, 'zzipdata.go');
  return existsSync(zz) ? zz : join(dir, 'zipdata.go');
}

const BS = 0x5c, DQ = 0x22;
const HEX = '0123456789abcdef';
const SIMPLE: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': BS, "'": 0x27, '"': DQ };

/**
 * The bytes of the Go interpreted string literal starting at src[i] (the
 * opening quote), and where it ends. The source is UTF-8, so unescaped
 * bytes are the string's bytes; \u and \U runes are UTF-8 encoded.
 */
export function unquote(src: Uint8Array, i: number): { bytes: Uint8Array; end: number } {
  if (src[i] !== DQ) throw new Error(`zipdata: no string literal at byte ${i}`);
  const out: number[] = [];
  const hex = (at: number, n: number): number => {
    let v = 0;
    for (let k = at; k < at + n; k++) {
      const d = HEX.indexOf(String.fromCharCode(src[k] ?? 0).toLowerCase());
      if (d < 0) throw new Error(`zipdata: bad escape at byte ${at}`);
      v = v * 16 + d;
    }
    return v;
  };
  for (i++; ; ) {
    const c = src[i];
    if (c === undefined || c === 0x0a) throw new Error('zipdata: unterminated string literal');
    if (c === DQ) return { bytes: Uint8Array.from(out), end: i + 1 };
    if (c !== BS) {
      out.push(c);
      i++;
      continue;
    }
    const e = String.fromCharCode(src[i + 1] ?? 0);
    if (e in SIMPLE) {
      out.push(SIMPLE[e]!);
      i += 2;
    } else if (e === 'x') {
      out.push(hex(i + 2, 2));
      i += 4;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      out.push(...new TextEncoder().encode(String.fromCodePoint(hex(i + 2, n))));
      i += 2 + n;
    } else if (e >= '0' && e <= '7') {
      out.push(parseInt(String.fromCharCode(...src.subarray(i + 1, i + 4)), 8) & 0xff);
      i += 4;
    } else {
      throw new Error(`zipdata: unknown escape \\${e} at byte ${i}`);
    }
  }
}

/** The zip held by zipdata.go's source text: its literals, joined. */
export function zipdata(src: Uint8Array): Uint8Array {
  const decl = Buffer.from(src.buffer, src.byteOffset, src.length).indexOf('const zipdata = ');
  if (decl < 0) throw new Error('zipdata: no "const zipdata" declaration');
  const parts: Uint8Array[] = [];
  let i = decl + 'const zipdata = '.length;
  for (;;) {
    const s = unquote(src, i);
    parts.push(s.bytes);
    i = s.end;
    // Between literals: " +", a newline and a tab; after the last, a newline.
    while (src[i] === 0x20 || src[i] === 0x09) i++;
    if (src[i] !== 0x2b) break;  // '+'
    i++;
    while (src[i] === 0x20 || src[i] === 0x09 || src[i] === 0x0a) i++;
  }
  return Buffer.concat(parts);
}

/** Go's zoneinfo.zip from goroot's source tree (throws when it has none). */
export function gozoneinfozip(goroot: string): Uint8Array {
  return zipdata(readFileSync(zipdatafile(goroot)));
}
