export * from './editor';
export * from './history';
export * from './keymap';
export * from './clipboard';
