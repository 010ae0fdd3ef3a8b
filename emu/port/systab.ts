// The system-call table (9front port/systab.h, generated there by mksystab
// from libc/9syscall/sys.h). Number → name, argument signature for the
// trace, and the function. Numbers with no function answer as Plan 9 does
// for a call this kernel lacks: the 'sys: bad sys call' note and Ebadarg.
//
// Signature letters, one per argument word group:
//   i int   u unsigned   p pointer   s string   f fd   v vlong (2 words)
//   o open mode   r rfork flags   V vlong result pointer (hidden first arg)
//   w buffer the call reads (length: next word)   R buffer it fills
//   S string it fills (the trace reads these at exit)

import type { Sysfn } from './sysarg.ts';
import * as sp from './sysproc.ts';
import * as sf from './sysfile.ts';
import * as sg from './sysseg.ts';
import * as sm from './sysmount.ts';

export interface Syscall {
  name: string;
  sig: string;
  fn?: Sysfn;
}

export const systab: (Syscall | undefined)[] = [];

function def(n: number, name: string, sig: string, fn?: Sysfn): void {
  systab[n] = { name, sig, fn };
}

def(0, 'sysr1', '', sp.sysr1);
def(1, '_errstr', 'S', sp.sys_errstr);
def(2, 'bind', 'ssi', sf.sysbind);
def(3, 'chdir', 's', sf.syschdir);
def(4, 'close', 'f', sf.sysclose);
def(5, 'dup', 'fi', sf.sysdup);
def(6, 'alarm', 'u', sp.sysalarm);
def(7, 'exec', 'sp', sp.sysexec);
def(8, 'exits', 's', sp.sysexits);
def(9, '_fsession', 'fpi', sp.sys_fsession);
def(10, 'fauth', 'fs', sm.sysfauth);
def(11, '_fstat', 'fp');
def(12, 'segbrk', 'pp', sp.syssegbrk);
def(13, '_mount', 'fsis');
def(14, 'open', 'so', sf.sysopen);
def(15, '_read', 'fRi', sf.sys_read);
def(16, 'oseek', 'fii', sf.sysoseek);
def(17, 'sleep', 'i', sp.syssleep);
def(18, '_stat', 'sp');
def(19, 'rfork', 'r', sp.sysrfork);
def(20, '_write', 'fwi', sf.sys_write);
def(21, 'pipe', 'p', sf.syspipe);
def(22, 'create', 'sou', sf.syscreate);
def(23, 'fd2path', 'fSi', sf.sysfd2path);
def(24, 'brk_', 'p', sp.sysbrk_);
def(25, 'remove', 's', sf.sysremove);
def(26, '_wstat', 'sp', sf.sys_wstat);
def(27, '_fwstat', 'fp', sf.sys_fwstat);
def(28, 'notify', 'p', sp.sysnotify);
def(29, 'noted', 'i', sp.sysnoted);
def(30, 'segattach', 'ispu', sg.syssegattach);
def(31, 'segdetach', 'p', sg.syssegdetach);
def(32, 'segfree', 'pu', sg.syssegfree);
def(33, 'segflush', 'pu', sg.syssegflush);
def(34, 'rendezvous', 'pp', sp.sysrendezvous);
def(35, 'unmount', 'ss', sm.sysunmount);
def(36, '_wait', 'p');
def(37, 'semacquire', 'pi', sp.syssemacquire);
def(38, 'semrelease', 'pi', sp.syssemrelease);
def(39, 'seek', 'Vfvi', sf.sysseek);
def(40, 'fversion', 'fisi', sm.sysfversion);
def(41, 'errstr', 'Su', sp.syserrstr);
def(42, 'stat', 'spi', sf.sysstat);
def(43, 'fstat', 'fpi', sf.sysfstat);
def(44, 'wstat', 'spi', sf.syswstat);
def(45, 'fwstat', 'fpi', sf.sysfwstat);
def(46, 'mount', 'ffsis', sm.sysmount);
def(47, 'await', 'Si', sp.sysawait);
def(50, 'pread', 'fRiv', sf.syspread);
def(51, 'pwrite', 'fwiv', sf.syspwrite);
def(52, 'tsemacquire', 'pu', sp.systsemacquire);
def(53, 'nsec', 'V', sp.sysnsec);

/** Call numbers by name, for tests and tools. */
export const sysnum: Record<string, number> = Object.fromEntries(
  systab.flatMap((s, n) => (s ? [[s.name, n] as const] : [])),
);
