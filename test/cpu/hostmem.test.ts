// Native host memory and loading behaviour.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
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
    const m = unicornAlloc(256 << 20);
    m.bytes[m.size - 1] = 1;
    const r = m.resident!();
    expect(r).not.toBeNull();
    // 65536 pages reserved, one backed: the one written.
    expect([...r!].flatMap((v, i) => (v ? [i] : []))).toEqual([(256 << 20) / 4096 - 1]);
    m.free();
  });

  it('a large segment is one memory for the guest and the kernel, outside V8\'s external memory', () => {
    const ext = process.memoryUsage().external;
    const m = unicornAlloc(16 << 20);
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
