export * from './codes';
export * from './report';
export * from './preflight';
export * from './group';
export { PREFLIGHT_BUILTINS } from './email';
