// Types of bin/explore_fork.cjs, for emu/explore/pool.ts.
import type { ChildProcess } from 'node:child_process';

export function forkWorker(entry: string): ChildProcess;
export function forkEarly(argv: readonly string[]): void;
export function adopt(): ChildProcess | undefined;
