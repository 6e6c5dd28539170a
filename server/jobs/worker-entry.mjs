// Worker bootstrap: sources are TypeScript, so each composition worker registers tsx's loader in its own
// thread before importing the real entry (Node 20 ignores `--import` in a worker's execArgv).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
