// The host side of #c/cons: guest output goes to the host's stdout and
// stderr byte for byte; input comes from the host's stdin (or a test's
// string). Reads never block the host: when nothing is buffered the reader
// sleeps on `rin` and the kernel's run loop feeds input as it arrives.

import { Rendez } from './rendez.ts';

export interface Console {
  /** Write guest bytes to host stream 1 (stdout) or 2 (stderr). */
  write(stream: 1 | 2, data: Uint8Array): void;
  /** Up to n buffered input bytes; empty at EOF; null when nothing yet (sleep on rin). */
  read(n: number): Uint8Array | null;
  /** Woken when input (or EOF) arrives. */
  readonly rin: Rendez;
  /** No more input will come. */
  readonly eof: boolean;
  /**
   * False when input comes from a host pipe or file, not a terminal: fd 0
   * is then #c/stdin, not /dev/cons (another name and qid), so programs
   * that ask (rc's Isatty: 4e compares fstat with /dev/cons's, 9front
   * fd2path's name) do not prompt.
   */
  readonly interactive?: boolean;
  /** /dev/consctl rawon (true) and rawoff: the host terminal's raw mode, when there is one. */
  raw?(on: boolean): void;
}

/** A console backed by in-memory buffers (tests, the demo, captured runs). */
export class BufferConsole implements Console {
  readonly rin = new Rendez();
  readonly out: Uint8Array[] = [];
  readonly err: Uint8Array[] = [];
  private input: Uint8Array;
  eof: boolean;
  interactive = true;
  /** Every rawon/rawoff, in order (true = rawon). */
  readonly rawmodes: boolean[] = [];

  constructor(input = '', eof = true, readonly tee = false) {
    this.input = new TextEncoder().encode(input);
    this.eof = eof;
  }

  write(stream: 1 | 2, data: Uint8Array): void {
    (stream === 1 ? this.out : this.err).push(data.slice());
    if (this.tee) (stream === 1 ? process.stdout : process.stderr).write(data);
  }

  read(n: number): Uint8Array | null {
    if (this.input.length === 0) return this.eof ? new Uint8Array(0) : null;
    const r = this.input.subarray(0, n);
    this.input = this.input.subarray(r.length);
    return r.slice();
  }

  raw(on: boolean): void {
    this.rawmodes.push(on);
  }

  stdout(): string {
    return Buffer.concat(this.out).toString('utf8');
  }

  stderr(): string {
    return Buffer.concat(this.err).toString('utf8');
  }
}
