#!/usr/bin/env node
// go_plan9_386_exec launcher (see bin/go_plan9_386_exec.ts): runs the
// bundle dist/go_plan9_386_exec.cjs, or the source through tsx in a
// checkout without dist/ (bin/bundle.cjs). CommonJS, as bin/p9emu.cjs;
// bin/go_plan9_386_exec is a link to this file.
require('./bundle.cjs').start('go_plan9_386_exec', { native: true });
