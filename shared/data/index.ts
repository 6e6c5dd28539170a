export * from './records';
export * from './typing';
export { detectEncoding, encodingFromLabel, type TextEncodingName } from './decode';
export { detectDelimiter } from './csv';
export { listSheets } from './xlsx';
