// The preemption watchdog as a bare native thread (x86-64 Linux):
// slices.ts's protocol in 244 bytes of host code of our own, started with
// pthread_create. The worker thread (preempt.ts) is a V8 isolate with a
// Node environment that loads koffi and libunicorn again: ~100 ms of CPU
// at the start of a CLI run that needs slices, more than the rest of a Go
// hello's boot (docs/startup.md). This thread costs one pthread_create and
// is ready at once, so Unicorn's own timer (which can lose its stop) never
// stands in for it.
//
// Its cell (native memory, never freed: the thread runs until the process
// exits) holds the protocol's words and its own:
//     0 LOCK  4 GEN  8 ARMED  12 FIRED  16 IDLE   (int32)
//    32 engine  40 deadline  48 uc_emu_stop  56 timespec scratch
//    72 timespec of 1 ms  88 signal mask (all: node's handlers stay on node's threads)
// The thread:
//   loop: g = GEN
//     unarmed: wait 1 ms; after 50 such waits in a row, IDLE = 1 and wait
//              with no timeout (arm() wakes it: FUTEX_WAKE)
//     armed, before the deadline: wait until it, at most 1 ms
//     armed, past it: under LOCK, if ARMED and GEN is still g,
//              uc_emu_stop(engine) and FIRED = g; unlock; wait 1 ms (re-fire)
// Every wait is FUTEX_WAIT on GEN with the g just read, so an arm or a
// disarm made meanwhile (GEN changed) ends it at once.

import type { UcLib } from './unicorn_ffi.ts';
import { codePage, libsym } from './libsym.ts';
import { unicornAlloc } from './hostmem.ts';
import { ENGINE_AT, GEN, Slices } from './slices.ts';

/** The thread's code (`as` and `objdump -d`); %rbx the cell, %r13d g, %r12d unarmed waits. */
const THREAD = Uint8Array.from([
  0x53,                                        //   0 push %rbx
  0x48, 0x89, 0xfb,                            //   1 mov %rdi,%rbx
  0xb8, 0x0e, 0x00, 0x00, 0x00,                //   4 mov $0xe,%eax
  0x31, 0xff,                                  //   9 xor %edi,%edi
  0x48, 0x8d, 0x73, 0x58,                      //  11 lea 0x58(%rbx),%rsi
  0x31, 0xd2,                                  //  15 xor %edx,%edx
  0x41, 0xba, 0x08, 0x00, 0x00, 0x00,          //  17 mov $0x8,%r10d
  0x0f, 0x05,                                  //  23 syscall
  0x45, 0x31, 0xe4,                            //  25 xor %r12d,%r12d
  // loop:
  0x44, 0x8b, 0x6b, 0x04,                      //  28 mov 0x4(%rbx),%r13d
  0x83, 0x7b, 0x08, 0x00,                      //  32 cmpl $0x0,0x8(%rbx)
  0x75, 0x30,                                  //  36 jne armed
  0x41, 0xff, 0xc4,                            //  38 inc %r12d
  0x41, 0x83, 0xfc, 0x32,                      //  41 cmp $0x32,%r12d
  0x72, 0x1c,                                  //  45 jb short
  0xb8, 0x01, 0x00, 0x00, 0x00,                //  47 mov $0x1,%eax
  0x87, 0x43, 0x10,                            //  52 xchg %eax,0x10(%rbx)
  0x45, 0x31, 0xd2,                            //  55 xor %r10d,%r10d
  0xe8, 0xa1, 0x00, 0x00, 0x00,                //  58 call wait
  0xc7, 0x43, 0x10, 0x00, 0x00, 0x00, 0x00,    //  63 movl $0x0,0x10(%rbx)
  0x45, 0x31, 0xe4,                            //  70 xor %r12d,%r12d
  0xeb, 0xd1,                                  //  73 jmp loop
  // short:
  0x4c, 0x8d, 0x53, 0x48,                      //  75 lea 0x48(%rbx),%r10
  0xe8, 0x8c, 0x00, 0x00, 0x00,                //  79 call wait
  0xeb, 0xc6,                                  //  84 jmp loop
  // armed:
  0x45, 0x31, 0xe4,                            //  86 xor %r12d,%r12d
  0xb8, 0xe4, 0x00, 0x00, 0x00,                //  89 mov $0xe4,%eax
  0xbf, 0x01, 0x00, 0x00, 0x00,                //  94 mov $0x1,%edi
  0x48, 0x8d, 0x73, 0x38,                      //  99 lea 0x38(%rbx),%rsi
  0x0f, 0x05,                                  // 103 syscall
  0x48, 0x69, 0x43, 0x38, 0x00, 0xca, 0x9a, 0x3b, // 105 imul $0x3b9aca00,0x38(%rbx),%rax
  0x48, 0x03, 0x43, 0x40,                      // 113 add 0x40(%rbx),%rax
  0x48, 0x8b, 0x4b, 0x28,                      // 117 mov 0x28(%rbx),%rcx
  0x48, 0x29, 0xc1,                            // 121 sub %rax,%rcx
  0x7e, 0x26,                                  // 124 jle fire
  0xb8, 0x40, 0x42, 0x0f, 0x00,                // 126 mov $0xf4240,%eax
  0x48, 0x39, 0xc1,                            // 131 cmp %rax,%rcx
  0x48, 0x0f, 0x47, 0xc8,                      // 134 cmova %rax,%rcx
  0x48, 0xc7, 0x43, 0x38, 0x00, 0x00, 0x00, 0x00, // 138 movq $0x0,0x38(%rbx)
  0x48, 0x89, 0x4b, 0x40,                      // 146 mov %rcx,0x40(%rbx)
  0x4c, 0x8d, 0x53, 0x38,                      // 150 lea 0x38(%rbx),%r10
  0xe8, 0x41, 0x00, 0x00, 0x00,                // 154 call wait
  0xe9, 0x78, 0xff, 0xff, 0xff,                // 159 jmp loop
  // fire:
  0xb9, 0x01, 0x00, 0x00, 0x00,                // 164 mov $0x1,%ecx
  // spin:
  0x31, 0xc0,                                  // 169 xor %eax,%eax
  0xf0, 0x0f, 0xb1, 0x0b,                      // 171 lock cmpxchg %ecx,(%rbx)
  0x74, 0x04,                                  // 175 je locked
  0xf3, 0x90,                                  // 177 pause
  0xeb, 0xf4,                                  // 179 jmp spin
  // locked:
  0x83, 0x7b, 0x08, 0x01,                      // 181 cmpl $0x1,0x8(%rbx)
  0x75, 0x11,                                  // 185 jne unlock
  0x44, 0x3b, 0x6b, 0x04,                      // 187 cmp 0x4(%rbx),%r13d
  0x75, 0x0b,                                  // 191 jne unlock
  0x48, 0x8b, 0x7b, 0x20,                      // 193 mov 0x20(%rbx),%rdi
  0xff, 0x53, 0x30,                            // 197 call *0x30(%rbx)
  0x44, 0x89, 0x6b, 0x0c,                      // 200 mov %r13d,0xc(%rbx)
  // unlock:
  0xc7, 0x03, 0x00, 0x00, 0x00, 0x00,          // 204 movl $0x0,(%rbx)
  0x4c, 0x8d, 0x53, 0x48,                      // 210 lea 0x48(%rbx),%r10
  0xe8, 0x05, 0x00, 0x00, 0x00,                // 214 call wait
  0xe9, 0x3c, 0xff, 0xff, 0xff,                // 219 jmp loop
  // wait:
  0xb8, 0xca, 0x00, 0x00, 0x00,                // 224 mov $0xca,%eax
  0x48, 0x8d, 0x7b, 0x04,                      // 229 lea 0x4(%rbx),%rdi
  0xbe, 0x80, 0x00, 0x00, 0x00,                // 233 mov $0x80,%esi
  0x44, 0x89, 0xea,                            // 238 mov %r13d,%edx
  0x0f, 0x05,                                  // 241 syscall
  0xc3,                                        // 243 ret
]);

/** The cell's int64s of the thread's own (above). */
const STOP = 6, TS1MS = 9, SIGMASK = 11;
const SYS_futex = 202, FUTEX_WAKE_PRIVATE = 1 | 128;

export class NativeWatchdog extends Slices {
  readonly ready = true;
  readonly started = Promise.resolve();

  private constructor(ctl: Int32Array, big: BigInt64Array, private readonly futexWake: () => void) {
    super(ctl, big);
  }

  /** The thread started, or null where it cannot be (another host, a refused code page or thread). */
  static start(L: UcLib): NativeWatchdog | null {
    if (process.arch !== 'x64' || process.platform !== 'linux') return null;
    try {
      const stop = libsym(L, 'uc_emu_stop');
      const code = stop === null ? null : codePage(L, THREAD);
      if (stop === null || code === null) return null;
      const cell = unicornAlloc(4096); // never freed (above)
      const { buffer, byteOffset } = cell.bytes;
      const words = new BigInt64Array(buffer, byteOffset, 12);
      words[STOP] = stop;
      words[TS1MS + 1] = 1_000_000n;
      words[SIGMASK] = -1n;
      const c = L.koffi.load('libc.so.6');
      const create = c.func('int pthread_create(void *thread, void *attr, void *start, void *arg)');
      const syscall = c.func('long syscall(long n, void *addr, int op, int val)');
      const at = cell.handle as bigint;
      if (create(new BigUint64Array(1), null, code, at) !== 0) return null;
      const wake = () => syscall(SYS_futex, at + BigInt(GEN * 4), FUTEX_WAKE_PRIVATE, 1);
      return new NativeWatchdog(new Int32Array(buffer, byteOffset, 8), new BigInt64Array(buffer, byteOffset + ENGINE_AT, 2), wake);
    } catch {
      return null;
    }
  }

  protected wake(): void {
    this.futexWake();
  }
}
