// PLACEHOLDER created by the setup/CLI work so that bin/p9emu.ts builds;
// the owner of `p9emu run` replaces this file.
export const usage = 'usage: p9emu run ...  (not implemented yet)';

export async function runMain(_argv: string[]): Promise<number> {
  process.stderr.write('p9emu run: not implemented yet\n');
  return 2;
}
