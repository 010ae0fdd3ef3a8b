// Kernel error strings, verbatim from 9front sys/src/9/port/error.h (the
// comment there is the text). One table, so every message is declared once.
// error() is the kernel's longjmp: it throws KernelError, and only the
// syscall boundary (386/trap.ts) turns it into -1 and errstr. Any other
// exception is a bug in the model and must propagate.

export const Enoerror = 'no error';
export const Emount = 'inconsistent mount';
export const Eunmount = 'not mounted';
export const Eismtpt = 'is a mount point';
export const Eunion = 'not in union';
export const Emountrpc = 'mount rpc error';
export const Eshutdown = 'device shut down';
export const Enocreate = 'mounted directory forbids creation';
export const Enonexist = 'file does not exist';
export const Eexist = 'file already exists';
export const Ebadsharp = 'unknown device in # filename';
export const Enotdir = 'not a directory';
export const Eisdir = 'file is a directory';
export const Ebadchar = 'bad character in file name';
export const Efilename = 'file name syntax';
export const Eperm = 'permission denied';
export const Ebadusefd = 'inappropriate use of fd';
export const Ebadarg = 'bad arg in system call';
export const Einuse = 'device or object already in use';
export const Eio = 'i/o error';
export const Etoobig = 'read or write too large';
export const Etoosmall = 'read or write too small';
export const Enoport = 'network port not available';
export const Ehungup = 'i/o on hungup channel';
export const Ebadctl = 'bad process or channel control request';
export const Enodev = 'no free devices';
export const Eprocdied = 'process exited';
export const Enochild = 'no living children';
export const Eioload = 'i/o error in demand load';
export const Enovmem = 'virtual memory allocation failed';
/** rfork past --procs: the reason 9front's newproc waits under (resrcwait "no procs"). */
export const Enoproc = 'no procs';
export const Ebadfd = 'fd out of range or not open';
export const Enofd = 'no free file descriptors';
export const Eisstream = 'seek on a stream';
export const Ebadexec = 'exec header invalid';
export const Etimedout = 'connection timed out';
export const Econrefused = 'connection refused';
export const Econinuse = 'connection in use';
export const Eintr = 'interrupted';
export const Enomem = 'kernel allocate failed';
export const Esoverlap = 'segments overlap';
export const Eshort = 'i/o count too small';
export const Ebadspec = 'bad attach specifier';
export const Enoreg = 'process has no saved registers';
export const Enoattach = 'mount/attach disallowed';
export const Eshortstat = 'stat buffer too small';
export const Ebadstat = 'malformed stat buffer';
export const Enegoff = 'negative i/o offset';
export const Ecmdargs = 'wrong #args in control message';
export const Ebadip = 'bad ip address syntax';
export const Edirseek = 'seek in directory';
export const Echange = 'media or partition has changed';
/** 9front only; 4e has no such error. */
export const Etoolong = 'name too long';
/** 9front's text; 4e says 'jmk added reentrancy for threads'. */
export const Egreg = 'the front fell off';
export const Egreg4e = 'jmk added reentrancy for threads';

/** Thrown by error(); caught only at the syscall boundary. */
export class KernelError extends Error {
  constructor(readonly errstr: string) {
    super(errstr);
    this.name = 'KernelError';
  }
}

/** Raise a Plan 9 error: the syscall fails with -1 and this errstr. */
export function error(msg: string): never {
  throw new KernelError(msg);
}

export function isKernelError(e: unknown): e is KernelError {
  return e instanceof KernelError;
}
