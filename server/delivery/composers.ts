import type { ComposerFactory } from './composer';
import { basicComposer } from './basic-composer';

/** The composer delivery uses for email. */
export const composerFactory: ComposerFactory = basicComposer;
