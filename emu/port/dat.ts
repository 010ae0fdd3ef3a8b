// Portable kernel constants and small shared types (9front port/portdat.h).

export type Flavor = '4e' | '9front';

export const ERRMAX = 128;   // error and note text, NUL included
export const NNOTE = 5;      // notes a process can queue
export const KNAMELEN = 28;
export const MAXSYSARG = 5;  // words the kernel copies from the user stack
export const NUMSIZE = 12;   // readnum field width (#c/pid, …)

// noted() arguments (libc.h)
export const NCONT = 0;
export const NDFLT = 1;
export const NSAVE = 2;
export const NRSTR = 3;

// note flags (portdat.h)
export const NUser = 0;
export const NExit = 1;
export const NDebug = 2;

export interface Note {
  msg: string;
  flag: number;
  /** The ' pc=' suffix was added (a held note is not suffixed twice). */
  suffixed?: boolean;
}

// open modes (libc.h)
export const OREAD = 0;
export const OWRITE = 1;
export const ORDWR = 2;
export const OEXEC = 3;
export const OTRUNC = 16;
export const OCEXEC = 32;
export const ORCLOSE = 64;
export const OEXCL = 0x1000;

// rfork flags (libc.h)
export const RFNAMEG = 0x1;
export const RFENVG = 0x2;
export const RFFDG = 0x4;
export const RFNOTEG = 0x8;
export const RFPROC = 0x10;
export const RFMEM = 0x20;
export const RFNOWAIT = 0x40;
export const RFCNAMEG = 0x400;
export const RFCENVG = 0x800;
export const RFCFDG = 0x1000;
export const RFREND = 0x2000;
export const RFNOMNT = 0x4000;

// Qid types and Dir mode bits (libc.h)
export const QTDIR = 0x80;
export const QTAPPEND = 0x40;
export const QTEXCL = 0x20;
export const QTFILE = 0x00;
export const DMDIR = 0x80000000;
export const DMAPPEND = 0x40000000;
export const DMEXCL = 0x20000000;

export interface Qid {
  path: bigint | number;
  vers: number;
  type: number;
}

/** A directory entry (libc Dir). Serialized by convM2D/convD2M in stat.ts. */
export interface Dir {
  type: number;   // device type (the dev char code)
  dev: number;
  qid: Qid;
  mode: number;
  atime: number;
  mtime: number;
  length: bigint | number;
  name: string;
  uid: string;
  gid: string;
  muid: string;
}
