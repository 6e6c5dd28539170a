export * from './address';
export * from './url-policy';
