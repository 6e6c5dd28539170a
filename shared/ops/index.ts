/**
 * Pure document operations for the editor: `(doc, args) → OpResult`. None mutates its input; an
 * operation that cannot apply returns `{ ok: false, error: { code, message } }` instead of throwing.
 */
export * from './result';
export * from './ids';
export * from './geometry';
export * from './tree';
export * from './elements';
export * from './transform';
export * from './arrange';
export * from './pages';
export * from './email';
export * from './liquid-refs';
export * from './fields';
export * from './column-guess';
export * from './channels';
export * from './rules';
