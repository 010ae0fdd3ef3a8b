// The console of a real run: guest bytes to the host's stdout/stderr,
// written synchronously so nothing is lost when the run ends or the host
// pipe is slow; stdin read only once a guest asks for input, so a program
// that never reads it does not keep the host process alive.

import { fstatSync, writeSync } from 'node:fs';
import type { Console } from './port/console.ts';
import { Rendez, wakeup } from './port/rendez.ts';

/**
 * Whether stdin is a terminal, without making process.stdin (which loads
 * node's tty, net and stream modules: docs/startup.md) when it plainly is
 * not: a terminal is a character device, and none of Linux's memory
 * devices (`</dev/null`).
 */
function stdinIsTTY(): boolean {
  try {
    const st = fstatSync(0);
    if (!st.isCharacterDevice()) return false;
    // Linux's character major 1 is the memory devices (/dev/null, /dev/zero:
    // the kernel's Documentation/admin-guide/devices.txt), never a terminal.
    if (process.platform === 'linux' && major(st.rdev) === 1) return false;
  } catch {
    return false;
  }
  return process.stdin.isTTY === true;
}

/** A Linux device number's major (glibc's gnu_dev_major). */
function major(rdev: number): number {
  return ((rdev >>> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
}

export class HostConsole implements Console {
  readonly rin = new Rendez();
  eof = false;
  readonly interactive = stdinIsTTY();
  private buf: Buffer[] = [];
  private started = false;

  write(stream: 1 | 2, data: Uint8Array): void {
    for (let off = 0; off < data.length; ) {
      try {
        off += writeSync(stream, data, off, data.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;   // a non-blocking pipe: try again
        if (code === 'EPIPE') return;      // the reader went away: drop, as a hungup cons would
        throw e;
      }
    }
  }

  read(n: number): Uint8Array | null {
    this.start();
    if (this.buf.length === 0) return this.eof ? new Uint8Array(0) : null;
    const all = Buffer.concat(this.buf);
    const r = all.subarray(0, n);
    this.buf = r.length < all.length ? [all.subarray(r.length)] : [];
    return new Uint8Array(r);
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    process.stdin.on('data', (d: Buffer) => {
      this.buf.push(d);
      wakeup(this.rin);
    });
    process.stdin.on('end', () => {
      this.eof = true;
      wakeup(this.rin);
    });
    process.stdin.on('error', () => {
      this.eof = true;
      wakeup(this.rin);
    });
  }

  /** The host terminal in raw mode (rawon) or back in cooked mode, where the terminal edits lines. */
  raw(on: boolean): void {
    if (this.interactive) process.stdin.setRawMode(on);
  }

  /** Let the host process exit even if stdin is still open; leave the terminal cooked. */
  close(): void {
    this.raw(false);
    if (this.started) process.stdin.destroy();
  }
}
