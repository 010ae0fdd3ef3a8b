// A script's first line, as exec reads it (9front sysexec, 4e the same):
// `#!interp args`, within the first 256 bytes and ending in a newline,
// split on blanks, at most 32 words.

/**
 * The interpreter and its arguments, null when `image` does not start with
 * `#!`, or an empty list when it does but the line is malformed (no newline
 * in 256 bytes, or no interpreter): exec's Ebadexec.
 */
export function shebang(image: Uint8Array): string[] | null {
  if (image.length < 2 || image[0] !== 0x23 || image[1] !== 0x21) return null;
  const head = image.subarray(0, 256);
  const nl = head.indexOf(0x0a);
  if (nl < 0) return [];
  return new TextDecoder().decode(head.subarray(2, nl)).split(/[ \t]+/).filter(Boolean).slice(0, 32);
}

/** exec's argv for a script: [interp's last element, its args..., the script as named, the original argv[1...]]. */
export function scriptargv(interp: readonly string[], file: string, argv: readonly string[]): string[] {
  const name = interp[0]!;
  return [name.slice(name.lastIndexOf('/') + 1), ...interp.slice(1), file, ...argv.slice(1)];
}
