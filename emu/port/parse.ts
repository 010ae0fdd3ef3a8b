// Control messages written to devices (9front port/parse.c): split into
// fields like tokenize(2), then matched against the device's Cmdtab.

import { Ecmdargs, error } from './error.ts';

export interface Cmdtab {
  index: number;   // the device's CMxxx value
  cmd: string;     // the verb; "*" matches anything
  narg: number;    // fields including the verb; 0 = any number
}

export interface Cmdbuf {
  f: string[];
}

/**
 * Plan 9 %q (and %#q with always=true): quote with single quotes when the
 * string is empty or has a space, control character or quote; quotes inside
 * are doubled.
 */
export function quote(s: string, always = false): string {
  if (!always && s !== '' && !/[\x00-\x20']/.test(s)) return s;
  return "'" + s.replaceAll("'", "''") + "'";
}

/** Fields of s as libc tokenize splits them: blanks separate, '…' quotes ('' is a quote). */
export function tokenize(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && ' \t\r\n'.includes(s[i]!)) i++;
    if (i >= s.length) return out;
    let f = '', quoting = false;
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (!quoting && ' \t\r\n'.includes(c)) break;
      if (c !== "'") { f += c; continue; }
      if (quoting && s[i + 1] === "'") { f += "'"; i++; continue; }
      quoting = !quoting;
    }
    out.push(f);
  }
}

/** 9front parsecmd: drop one trailing newline, then tokenize. */
export function parsecmd(data: Uint8Array): Cmdbuf {
  let s = new TextDecoder().decode(data);
  if (s.endsWith('\n')) s = s.slice(0, -1);
  return { f: tokenize(s) };
}

/** 9front cmderror: the message with the fields, as the user wrote them. */
function cmderror(cb: Cmdbuf, msg: string): never {
  return error(`${msg} "${cb.f.map((f) => quote(f)).join(' ')}"`);
}

/** 9front lookupcmd: the entry for the verb, checking the field count. */
export function lookupcmd(cb: Cmdbuf, tab: readonly Cmdtab[]): Cmdtab {
  if (cb.f.length === 0) error('empty control message');
  for (const ct of tab) {
    if (ct.cmd !== '*' && ct.cmd !== cb.f[0]) continue;
    if (ct.narg !== 0 && ct.narg !== cb.f.length) cmderror(cb, Ecmdargs);
    return ct;
  }
  return cmderror(cb, 'unknown control message');
}
