/**
 * The few web-standard globals the engine may use. They exist in Node, browsers and workers alike;
 * declaring them here keeps `shared/` free of both DOM and Node type libraries.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: string;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
