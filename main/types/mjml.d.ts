/** mjml 5 ships no types; the call the studio makes (mjml2html is async since v5). */
declare module 'mjml' {
  export interface MjmlResult {
    html: string;
    errors: { line?: number; message: string; tagName?: string }[];
  }
  export default function mjml2html(
    source: string,
    options?: { validationLevel?: 'strict' | 'soft' | 'skip'; keepComments?: boolean },
  ): Promise<MjmlResult>;
}
