// GDB remote serial protocol framing (gdb's "Overview" of the remote
// protocol): packets `$data#cs` with a two-hex-digit modulo-256 checksum,
// `+`/`-` acknowledgements until QStartNoAckMode, a lone 0x03 byte for an
// interrupt, and `}` escapes (byte ^ 0x20) for `$ # } *` in binary data.
// Bytes are kept as latin1 strings so binary packets pass unchanged.

export type Incoming = { kind: 'packet'; data: string } | { kind: 'interrupt' } | { kind: 'nak' };

/** Splits the byte stream into packets; bad checksums are answered with '-' by the caller. */
export class PacketReader {
  private buf = '';

  /** Feed bytes; returns the complete messages in them and whether each packet's checksum held. */
  push(chunk: Buffer): Array<Incoming & { ok?: boolean }> {
    this.buf += chunk.toString('latin1');
    const out: Array<Incoming & { ok?: boolean }> = [];
    for (;;) {
      let i = 0;
      while (i < this.buf.length && this.buf[i] !== '$' && this.buf[i] !== '\x03' && this.buf[i] !== '-') i++;
      this.buf = this.buf.slice(i);
      if (this.buf.length === 0) return out;
      if (this.buf[0] === '\x03') {
        out.push({ kind: 'interrupt' });
        this.buf = this.buf.slice(1);
        continue;
      }
      if (this.buf[0] === '-') {
        out.push({ kind: 'nak' });
        this.buf = this.buf.slice(1);
        continue;
      }
      const hash = this.buf.indexOf('#');
      if (hash < 0 || this.buf.length < hash + 3) return out;
      const data = this.buf.slice(1, hash);
      const cs = parseInt(this.buf.slice(hash + 1, hash + 3), 16);
      this.buf = this.buf.slice(hash + 3);
      out.push({ kind: 'packet', data, ok: cs === checksum(data) });
    }
  }
}

export function checksum(s: string): number {
  let c = 0;
  for (let i = 0; i < s.length; i++) c = (c + s.charCodeAt(i)) & 0xff;
  return c;
}

/** A framed packet, with `$ # } *` escaped. */
export function frame(data: string): Buffer {
  const esc = data.replace(/[$#}*]/g, (ch) => '}' + String.fromCharCode(ch.charCodeAt(0) ^ 0x20));
  return Buffer.from(`$${esc}#${checksum(esc).toString(16).padStart(2, '0')}`, 'latin1');
}

/** Binary data of an X packet with its escapes undone. */
export function unescape(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out.push(c === 0x7d ? s.charCodeAt(++i) ^ 0x20 : c);
  }
  return Uint8Array.from(out);
}

export const tohex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const fromhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
/** Text as hex (O packets, qRcmd, qThreadExtraInfo). */
export const strhex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
