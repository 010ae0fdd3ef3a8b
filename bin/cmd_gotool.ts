// `p9emu gotool [--go GO] [TOOL...]`: cross-build the Go toolchain for
// plan9/386 into the cache go_plan9_386_exec binds into the guest (bin/gotool.ts).

import { ArgCursor } from './argv.ts';
import { UsageError, usageStatus } from './program.ts';
import { buildgotool, GOTOOLS } from './gotool.ts';

export const usage = `usage: p9emu gotool [--go GO] [TOOL...]

Cross-build Go's toolchain for plan9/386 with the go command GO (default:
the go on PATH), from that Go's own sources, into
~/.cache/p9emu/gotool/<release>/ (bin/go, bin/gofmt and
pkg/tool/plan9_386/...).
go_plan9_386_exec then binds it over $GOROOT/bin and beside
$GOROOT/pkg/tool in the guest whenever $GOROOT is that release, so a
guest 'go build', 'go run' or 'go vet' works as on Plan 9 with Go
installed. Tools already built are kept; the build takes minutes and is
done once per release.

TOOL is among ${GOTOOLS.join(', ')} (default: all of them); std is
the standard library's archives for pkg/plan9_386, which releases before
Go 1.20 install and their go/importer reads (later ones have none).
Prints the toolchain's directory.`;

export async function gotoolMain(argv: string[]): Promise<number> {
  let go = 'go';
  const tools: string[] = [];
  try {
    for (const c = new ArgCursor(argv); !c.done; c.i++) {
      const a = c.word;
      if (a === '--go') go = c.value(a);
      else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
      else if ((GOTOOLS as readonly string[]).includes(a)) tools.push(a);
      else throw new UsageError(`'${a}' is not one of ${GOTOOLS.join(', ')}`);
    }
  } catch (e) {
    return usageStatus('gotool', e);
  }
  const r = buildgotool(go, tools.length > 0 ? tools : GOTOOLS);
  process.stderr.write(r.built.length > 0 ? `p9emu gotool: built ${r.built.join(' ')} for ${r.release}\n` : `p9emu gotool: ${r.release}: already built\n`);
  process.stdout.write(`${r.dir}\n`);
  return 0;
}
