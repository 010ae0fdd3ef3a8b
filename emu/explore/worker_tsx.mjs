// The explore worker in a source checkout (tests, the launcher's tsx
// fallback): a plain node process has no TypeScript loader, so register
// tsx first.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
