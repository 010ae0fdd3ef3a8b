// A trace written somewhere in one of the three formats: what --trace-out
// and --trace-format build. text and jsonl stream; perfetto is one JSON
// document, written at close().

import { closeSync, openSync, writeSync } from 'node:fs';
import type { Sink } from './event.ts';
import { TextFormatter } from './text.ts';
import { PerfettoBuilder } from './perfetto.ts';
import { filtered, type TraceFilter } from './filter.ts';
import { errtext } from '../hosterr.ts';

export type TraceFormat = 'text' | 'jsonl' | 'perfetto';
export const FORMATS: readonly TraceFormat[] = ['text', 'jsonl', 'perfetto'];

export interface TraceOutput {
  sink: Sink;
  close(): void;
}

/** Lines or documents go to `write`; `end` runs after the last one. */
export function traceOutput(format: TraceFormat, write: (s: string) => void, filter: TraceFilter = {}, end = () => {}): TraceOutput {
  switch (format) {
    case 'text': {
      const f = new TextFormatter();
      const put = (lines: string[]) => {
        if (lines.length) write(lines.join('\n') + '\n');
      };
      return { sink: filtered((ev) => put(f.lines(ev)), filter), close: () => (put(f.flush()), end()) };
    }
    case 'jsonl':
      return { sink: filtered((ev) => write(JSON.stringify(ev) + '\n'), filter), close: end };
    case 'perfetto': {
      const b = new PerfettoBuilder();
      return { sink: filtered((ev) => b.add(ev), filter), close: () => (write(JSON.stringify(b.json()) + '\n'), end()) };
    }
  }
}

/**
 * A trace to a file (created or truncated), or to fd 2 when path is null.
 * On fd 2 each line is written as it comes, so it falls among the guest's
 * own stderr in order. A file gets 64 KiB writes instead of one write(2)
 * per line (a traced syscall spent ~1 µs of its ~3 µs there); whatever is
 * buffered is written at close, or at exit if close never comes.
 */
export function traceToFile(format: TraceFormat, path: string | null, filter: TraceFilter = {}): TraceOutput {
  if (path === null) return traceOutput(format, (s) => writeSync(2, s), filter);
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw new Error(`--trace-out: ${path}: ${errtext(e)}`);
  }
  let buf: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (buf.length === 0) return;
    writeSync(fd, buf.join(''));
    buf = [];
    size = 0;
  };
  process.on('exit', flush);
  return traceOutput(format, (s) => {
    buf.push(s);
    size += s.length;
    if (size >= BUFSIZE) flush();
  }, filter, () => {
    process.off('exit', flush);
    flush();
    closeSync(fd);
  });
}

const BUFSIZE = 64 * 1024;
