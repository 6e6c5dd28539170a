/**
 * A colour-module error: a stable `code` for programs, and a message that says what is wrong, where,
 * and what to do next. `offset` is the byte position in a binary file (swatch book, ICC profile) when known.
 */
export class ColorError extends Error {
  override readonly name = 'ColorError';
  constructor(
    readonly code: string,
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}
