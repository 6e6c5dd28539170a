export * from './analyze';
export * from './engine';
