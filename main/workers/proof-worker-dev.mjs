// Development entry for the proof worker: registers tsx inside the worker thread, then loads the TypeScript source.
import { register } from 'tsx/esm/api';

register();
await import('./proof-worker.ts');
