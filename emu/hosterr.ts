// Host (Node) errors in the words p9emu prints: 'file does not exist', not
// Node's 'ENOENT: no such file or directory, lstat ...'.

/** A short phrase for a host error. */
export function errtext(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOENT': return 'file does not exist';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ENOTDIR': return 'a path element is not a directory';
    case 'ELOOP': return 'too many symbolic links';
    case 'EROFS': return 'read-only file system';
    case 'ENOSPC': return 'no space left on device';
    default: return hostmsg(e);
  }
}

/** An error's message without Node's 'ECODE: ' prefix and ', syscall 'path'' tail. */
export function hostmsg(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/^E[A-Z]+: /, '').replace(/, [a-z_]+ '[^']*'(?: -> '[^']*')?$/, '');
}

/** A Node errno error (it has a code and names a system call). */
export function isHostError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/** 'path: phrase' for a host error about path (its own path when it names one). */
export function hosterr(e: NodeJS.ErrnoException, path?: string): string {
  const p = path ?? e.path;
  return p !== undefined ? `${p}: ${errtext(e)}` : errtext(e);
}
