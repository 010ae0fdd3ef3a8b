// Open modes and fd lookup (9front port/sysfile.c openmode, fdtochan):
// shared by the system calls and by #d, which opens an fd's Chan again.

import type { Chan } from './dev.ts';
import type { Proc } from './proc.ts';
import { OCEXEC, OEXEC, ORCLOSE, OREAD, ORDWR, OTRUNC } from './dat.ts';
import { Ebadarg, Ebadusefd, error } from './error.ts';

/** The i/o direction of an open mode; Ebadarg unless it is OREAD…OEXEC plus flags. */
export function openmode(o: number): number {
  o &= ~(OTRUNC | OCEXEC | ORCLOSE);
  if (o >>> 0 > OEXEC) error(Ebadarg);
  return o === OEXEC ? OREAD : o;
}

/**
 * The Chan of fd, checked for the direction `mode` (-1: any). Bad fd →
 * Ebadfd; a Chan not opened for that direction → Ebadusefd.
 */
export function fdtochan(up: Proc, fd: number, mode: number): Chan {
  const c = up.fgrp.get(fd);
  if (mode < 0 || c.mode === ORDWR) return c;
  if ((mode & OTRUNC) && c.mode === OREAD) error(Ebadusefd);
  if ((mode & ~OTRUNC) !== c.mode) error(Ebadusefd);
  return c;
}
