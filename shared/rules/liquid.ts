import { Liquid } from 'liquidjs';
import { registerFilters, type FilterEnv } from './filters';

/**
 * The one way the engine makes a Liquid instance: configured for untrusted templates.
 *
 * - ownPropertyOnly: templates see only the data's own properties (no prototype, no `constructor`).
 * - strictFilters: an unknown filter is a parse error (validation reports it with its path).
 * - no file system: `templates: {}` makes include/render/layout find nothing.
 * - parseLimit / renderLimit / memoryLimit bound what one template may cost.
 * - Data values are output as values; Liquid never parses them (there is no eval of data).
 *
 * `html: true` makes every `{{ }}` output HTML-escaped (outputEscape), and `| raw` does NOT bypass it
 * (it is re-registered as a plain identity filter), so record values can never inject markup.
 */
const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };
const ESC_TEST = /[&<>"']/;
const ESC_ALL = /[&<>"']/g;
const escChar = (c: string) => ESC[c]!;
/** HTML-escape an output value (same result as liquidjs's `escape`, faster when there is nothing to escape). */
export function escapeOutput(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return ESC_TEST.test(s) ? s.replace(ESC_ALL, escChar) : s;
}

export interface SafeLiquidOptions extends FilterEnv {
  html?: boolean;
  /** Override the parse limit (the email composer parses its own generated HTML, which may inline assets). */
  parseLimit?: number;
}

export const LIQUID_LIMITS = {
  /** Characters of template source. */
  parseLimit: 1_000_000,
  /** Milliseconds one render may take. */
  renderLimit: 2_000,
  /** Characters a render may allocate (strings from filters, ranges). */
  memoryLimit: 10_000_000,
} as const;

export function createSafeLiquid(opts: SafeLiquidOptions): Liquid {
  const liquid = new Liquid({
    ownPropertyOnly: true,
    strictFilters: true,
    strictVariables: false,
    templates: {},
    cache: false,
    ...LIQUID_LIMITS,
    parseLimit: opts.parseLimit ?? LIQUID_LIMITS.parseLimit,
    ...(opts.html ? { outputEscape: escapeOutput } : {}),
  });
  registerFilters(liquid, opts);
  if (opts.html) liquid.registerFilter('raw', (v: unknown) => v);
  return liquid;
}
