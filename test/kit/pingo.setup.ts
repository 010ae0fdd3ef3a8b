// vitest setup file: pin PATH and GOROOT to the fixtures' Go (gopin.ts)
// before any test file runs, so a `go` or go_plan9_386_exec started by a
// test is that release, never the machine's newest.
import { pinGo } from './gopin.ts';

pinGo();
