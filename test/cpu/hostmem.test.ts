// Native host memory and loading behaviour.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HostMem } from '../../emu/cpu/cpu.ts';
import { unicornAlloc } from '../../emu/cpu/hostmem.ts';
import { koffi } from '../../emu/cpu/unicorn_ffi.ts';

describe('unicornAlloc', () => {
  it('is page-rounded, zeroed, writable, and has a native handle', () => {
    const m = unicornAlloc(5000);
    expect(m.size).toBe(8192);
    expect(typeof m.handle).toBe('bigint');
    expect(Number(m.handle as bigint) % 4096).toBe(0);
    expect(m.bytes.length).toBe(8192);
    expect(m.bytes.every((b) => b === 0)).toBe(true);
    m.bytes[8191] = 1;
    m.free();
    expect(m.bytes.length).toBe(0);
    m.free();
  });

  it('large segments cost nothing until touched', () => {
    const m = unicornAlloc(256 << 20, true);
    m.bytes[m.size - 1] = 1;
    const r = m.resident!();
    expect(r).not.toBeNull();
    // 65536 pages reserved, one backed: the one written.
    expect([...r!].flatMap((v, i) => (v ? [i] : []))).toEqual([(256 << 20) / 4096 - 1]);
    m.free();
  });

  it('a large segment freed and another of its size taken: the same buffer, read as zero, its pages given back', () => {
    const a = unicornAlloc(16 << 20, true);
    const at = a.handle;
    a.bytes.fill(0xcc, 0, 8192);
    a.bytes[a.size - 1] = 0xdd;
    a.free();
    const b = unicornAlloc(16 << 20, true);
    expect(b.handle).toBe(at);
    expect([...b.resident!()!].some((v) => v !== 0)).toBe(false);
    expect(b.bytes.every((x) => x === 0)).toBe(true);
    b.free();
  });

  it('a large segment is one memory for the guest and the kernel, outside V8\'s external memory', () => {
    const ext = process.memoryUsage().external;
    const m = unicornAlloc(16 << 20, true);
    // V8 counts none of it (no "external memory pressure" collections).
    expect(process.memoryUsage().external - ext).toBeLessThan(1 << 20);
    expect(Number(m.handle as bigint) % 4096).toBe(0);
    expect(m.bytes.length).toBe(16 << 20);
    m.bytes[5 * 4096 + 7] = 0x5a;
    const native = new Uint8Array(koffi().view(m.handle as bigint, m.size));
    expect(native[5 * 4096 + 7]).toBe(0x5a);
    native[m.size - 1] = 0xa5;
    expect(m.bytes[m.size - 1]).toBe(0xa5);
    m.zero!(4 * 4096, 2 * 4096);
    expect([...m.resident!()!].flatMap((v, i) => (v ? [i] : []))).toEqual([m.size / 4096 - 1]);
    expect(m.bytes[5 * 4096 + 7]).toBe(0);
    m.free();
    expect(m.bytes.length).toBe(0);
  });
});

/** The flags of the mapping that holds addr (/proc/self/smaps VmFlags), or null off Linux. */
function vmflags(addr: bigint): string[] | null {
  if (process.platform !== 'linux') return null;
  let inside = false;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (range) inside = BigInt('0x' + range[1]) <= addr && addr < BigInt('0x' + range[2]);
    else if (inside && line.startsWith('VmFlags:')) return line.slice(8).trim().split(' ');
  }
  return null;
}

describe('huge pages', () => {
  // Linux with transparent huge pages (in `always` or `madvise` mode) gives them where advised.
  const thp = existsSync('/sys/kernel/mm/transparent_hugepage/enabled') &&
    !readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').includes('[never]');
  const huge = (m: HostMem) => vmflags(m.handle as bigint)?.includes('hg') ?? false;

  it('a segment of 256 KiB or more is advised for huge pages and starts on one; a sparse or a smaller one is not', () => {
    const m = unicornAlloc(300 << 10);
    expect(huge(m)).toBe(thp);
    if (process.platform === 'linux') expect(Number((m.handle as bigint) % BigInt(2 << 20))).toBe(0);
    m.bytes.fill(0x5a);
    expect(m.bytes.every((b) => b === 0x5a)).toBe(true);
    m.zero!(4096, 8192);
    expect(m.bytes.slice(4096, 3 * 4096).every((b) => b === 0)).toBe(true);
    expect(m.bytes[3 * 4096]).toBe(0x5a);
    const s = unicornAlloc(16 << 20, true);
    const small = unicornAlloc(64 << 10);
    expect(huge(s)).toBe(false);
    expect(huge(small)).toBe(false);
    m.free();
    s.free();
    small.free();
  });

  it('P9EMU_THP=off advises none', () => {
    process.env.P9EMU_THP = 'off';
    try {
      const m = unicornAlloc(4 << 20);
      expect(huge(m)).toBe(false);
      m.free();
    } finally {
      delete process.env.P9EMU_THP;
    }
  });
});

// Runs a snippet in a fresh Node so library loading starts from scratch.
function node(code: string, env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

describe('loading libunicorn', () => {
  it('importing the CPU modules does not load the library', () => {
    const out = node(`
      import { readFileSync } from 'node:fs';
      await import('./emu/cpu/unicorn.ts');
      await import('./emu/cpu/machine.ts');
      console.log(readFileSync('/proc/self/maps', 'utf8').includes('libunicorn') ? 'loaded' : 'lazy');
    `);
    expect(out.trim()).toBe('lazy');
  });

  it('a missing library is one clear CpuUnavailable line', () => {
    const out = node(
      `
      const { UnicornCpu, CpuUnavailable } = await import('./emu/cpu/unicorn.ts');
      try { new UnicornCpu(); } catch (e) { console.log(e instanceof CpuUnavailable, e.name, e.message); }
    `,
      { P9EMU_LIBUNICORN: '/nonexistent/libunicorn.so.2' },
    );
    expect(out.trim()).toBe(
      "true CpuUnavailable p9emu: cannot load libunicorn.so.2: install it with 'apt-get install libunicorn2' (Debian) " +
        "or 'brew install unicorn' (macOS), or set P9EMU_LIBUNICORN=/path/libunicorn.so.2",
    );
  });
});
