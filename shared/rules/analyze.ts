import { createSafeLiquid } from './liquid';

/**
 * Static analysis of Liquid sources: which outside variables a template or condition reads.
 * Used by document validation (unknown fields, rules, variant values) and by the rules compiler.
 */

/** Variables Presswork provides to every template besides fields, rules and the variant. */
export const BUILTIN_VARIABLES = ['today', 'now', 'record_number', 'unsubscribe_url', 'view_online_url'] as const;

// Same configuration and filters as the engine, so an unknown filter is found here exactly when the engine would fail.
const analyzer = createSafeLiquid({ today: '2000-01-01', locale: 'en-US', currency: 'USD' });

/**
 * `code` is 'unknown-filter' (with `filter`, the name) when the source uses a filter that neither Liquid nor
 * Presswork defines, else 'liquid-syntax'.
 */
export type LiquidAnalysis =
  { ok: true; references: string[][] } | { ok: false; error: string; code: 'liquid-syntax' | 'unknown-filter'; filter?: string };

/** Wrap a condition so that it parses as a template. */
export const conditionAsTemplate = (condition: string): string => `{% if ${condition} %}1{% endif %}`;

export function analyzeLiquid(source: string, kind: 'template' | 'condition' = 'template'): LiquidAnalysis {
  const text = kind === 'condition' ? conditionAsTemplate(source) : source;
  if (!text.includes('{{') && !text.includes('{%')) return { ok: true, references: [] };
  try {
    const parsed = analyzer.parse(text);
    const segments = analyzer.globalVariableSegmentsSync(parsed);
    const references = segments.map((seg) => seg.map((s) => (typeof s === 'object' ? '*' : String(s))));
    return { ok: true, references };
  } catch (e) {
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
    const unknown = /^undefined filter: ([^,\s]+)/.exec(message);
    if (unknown)
      return {
        ok: false,
        code: 'unknown-filter',
        filter: unknown[1],
        error: `unknown filter "${unknown[1]}"; see docs/data-and-rules.md for the filters you can use`,
      };
    return { ok: false, code: 'liquid-syntax', error: message };
  }
}

/** True when a string contains Liquid markup (and so is personalised per record). */
export const hasLiquid = (s: string): boolean => s.includes('{{') || s.includes('{%');
