/** A record cannot be composed correctly: the reason names the element and what to do; the batch skips or fails by flag. */
export class ComposeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly elementId?: string,
  ) {
    super(message);
    this.name = 'ComposeError';
  }
}
