import mjml2html from 'mjml';
import type { MjmlCompileResult } from '../../shared/compose/email/compose';

/**
 * MJML 5 as the email composer's injected compiler (MJML is Node-only, so it lives outside shared/).
 * Soft validation: problems come back as warnings with line and tag, the HTML is still produced.
 * `minify` runs MJML's HTML minifier; Liquid is tokenised before MJML, so minifying is safe either way.
 */
export async function compileMjml(source: string, options: { minify?: boolean } = {}): Promise<MjmlCompileResult> {
  // `minify` exists in MJML 5 but not in its bundled typings.
  const mjmlOptions = { validationLevel: 'soft', keepComments: false, minify: options.minify ?? false } as Parameters<typeof mjml2html>[1];
  const r = await mjml2html(source, mjmlOptions);
  return { html: r.html, errors: r.errors.map((e) => ({ line: e.line, message: e.message, tagName: e.tagName })) };
}
