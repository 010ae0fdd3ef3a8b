// Byte queues between writers and a reader (9front port/qio.c, reduced to
// what pipes, the loopback tcp and udp use). Blocking is the restart kind
// (rendez.ts): read and write sleep before they change anything.

import { Ehungup, error } from './error.ts';
import { Rendez, sleep, wakeup } from './rendez.ts';

export class Queue {
  private readonly blocks: Uint8Array[] = [];
  /** Bytes queued (qlen). */
  len = 0;
  closed = false;
  /** Why it was hung up (q->err): Ehungup unless qhangup gave a reason. */
  private err = Ehungup;
  /** Reads that found the queue closed and empty (q->eof). */
  private eof = 0;
  readonly rr = new Rendez();  // readers wait for data or a hangup
  readonly wr = new Rendez();  // writers wait for room

  constructor(
    /** Bytes queued before writers wait (q->limit). */
    readonly limit: number,
    /** A read may take the bytes of several writes (Qcoalesce); otherwise at most one. */
    readonly coalesce = false,
    /** Qmsg: a read takes one message, and what does not fit is dropped. */
    readonly msg = false,
  ) {}

  /**
   * qhangup: no more writes; readers get what is queued, then EOF. With a
   * reason, reads of the empty queue and writes fail with it instead.
   */
  hangup(reason?: string): void {
    this.err = reason || Ehungup;
    this.closed = true;
    wakeup(this.rr);
    wakeup(this.wr);
  }

  /** qflush: drop what is queued. */
  flush(): void {
    this.blocks.length = 0;
    this.len = 0;
    wakeup(this.wr);
  }

  /** qclose: hang up and drop what is queued. */
  close(): void {
    this.flush();
    this.hangup();
  }

  /** qreopen: usable again after a hangup. */
  reopen(): void {
    this.closed = false;
    this.err = Ehungup;
    this.eof = 0;
  }

  /** qread: wait for data or a hangup; a closed, empty queue reads as EOF three times, then fails (qwait). */
  read(n: number): Uint8Array {
    sleep(this.rr, () => this.blocks.length > 0 || this.closed);
    if (this.blocks.length === 0) {
      if (this.eof >= 3 || this.err !== Ehungup) error(this.err);
      this.eof++;
      return new Uint8Array(0);
    }
    const out = this.coalesce ? this.take(n) : this.takeone(n);
    wakeup(this.wr);
    return out;
  }

  /** Up to n bytes of the first block. */
  private takeone(n: number): Uint8Array {
    const b = this.blocks[0]!;
    const r = b.subarray(0, Math.max(0, n));
    if (r.length === b.length || this.msg) {
      this.blocks.shift();
      this.len -= b.length;
    } else {
      this.blocks[0] = b.subarray(r.length);
      this.len -= r.length;
    }
    return r.slice();
  }

  /** Up to n bytes across blocks. */
  private take(n: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, Math.min(n, this.len)));
    for (let m = 0; m < out.length; ) {
      const b = this.takeone(out.length - m);
      out.set(b, m);
      m += b.length;
    }
    return out;
  }

  /**
   * qwrite: wait for room, then queue data whole (so a write is atomic
   * whatever its size); fails once the queue is closed.
   */
  write(data: Uint8Array): number {
    if (!this.closed) sleep(this.wr, () => this.len < this.limit || this.closed);
    if (this.closed) error(this.err);
    if (this.coalesce && data.length === 0) return 0;  // a stream has no empty messages
    this.put(data);
    return data.length;
  }

  /** qpass: queue a message without waiting; false (and nothing queued) when full or closed. */
  pass(data: Uint8Array): boolean {
    if (this.closed || this.len >= this.limit) return false;
    this.put(data);
    return true;
  }

  private put(data: Uint8Array): void {
    this.blocks.push(data.slice());
    this.len += data.length;
    wakeup(this.rr);
  }
}
