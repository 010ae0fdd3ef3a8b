// PLACEHOLDER created by the setup/CLI work so that bin/p9emu.ts builds;
// the owner of `p9emu asm` replaces this file.
export const usage = 'usage: p9emu asm ...  (not implemented yet)';

export async function asmMain(_argv: string[]): Promise<number> {
  process.stderr.write('p9emu asm: not implemented yet\n');
  return 2;
}
