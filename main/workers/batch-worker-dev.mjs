// Development entry for the batch worker: registers tsx inside the worker thread, then loads the TypeScript source.
import { register } from 'tsx/esm/api';

register();
await import('./batch-worker.ts');
