// Kernel state kept beside kernel objects rather than in them: WeakMaps
// keyed by a Chan, Segment, Proc or the kernel, private to the module
// that keeps them. Each is made here so that a snapshot of the machine
// (emu/debug/snapshot.ts) finds what they hold for the objects it saves.

const tables: WeakMap<object, unknown>[] = [];

/** A WeakMap whose entries are part of the kernel's state. */
export function sidetable<K extends object, V>(): WeakMap<K, V> {
  const t = new WeakMap<K, V>();
  tables.push(t as unknown as WeakMap<object, unknown>);
  return t;
}

/** Every side table made so far. */
export function sidetables(): readonly WeakMap<object, unknown>[] {
  return tables;
}
