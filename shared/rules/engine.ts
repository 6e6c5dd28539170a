import type { Liquid, Template } from 'liquidjs';
import type { TemplateDocument } from '../model/document';
import { analyzeLiquid, conditionAsTemplate } from './analyze';
import { createSafeLiquid } from './liquid';
import { parseDateText, typeCell } from '../data/typing';
import { quoteValue } from '../model/issues';
import { fastRenderer } from './fast';
import { BooleanRuleValue, truthyText } from './values';

export { BooleanRuleValue, truthyText };

/**
 * THE SEAM between rules and composition (print and email use only this API).
 *
 * compileRules(doc, env) is called once per template version; bind(record) once per record.
 * A BoundRecord renders Liquid sources and evaluates conditions for that record, with the record's
 * fields, its variant (under the variant alias, e.g. `dealer.phone`) and the named rules (`rules.greeting`).
 *
 * Context names seen by every template (see docs/data-and-rules.md):
 *   <field>                 each data field at top level, typed (numbers, booleans, dates as YYYY-MM-DD)
 *   rules.<name>            each named rule's value, evaluated in dependency order
 *   <alias>.<field>         the record's variant (default alias `dealer`), plus <alias>.key and <alias>.label
 *   today, now              from RulesEnv (the engine has no clock)
 *   record_number           the 1-based row number passed to bind
 *   unsubscribe_url, view_online_url   per recipient, from BindOptions.builtins ('' when not given)
 *
 * Parsed templates are cached per CompiledRules (one per template version), so each distinct source is
 * parsed once however many records are bound.
 */

/** What the pure engine needs from the outside world. */
export interface RulesEnv {
  /** "Today" for date rules, as an ISO date (YYYY-MM-DD). Injected: the engine has no clock. */
  today: string;
  /** "Now" as an ISO timestamp; defaults to midnight UTC of `today`. */
  now?: string;
}

export interface ResolvedVariant {
  key: string;
  label: string;
  values: Readonly<Record<string, string>>;
  /** Swatch id → replacement swatch id for this record. */
  swatches: Readonly<Record<string, string>>;
  /** False when the record's key matched no variant and the fallback was used. */
  matched: boolean;
}

export interface BoundRecord {
  readonly record: Readonly<Record<string, unknown>>;
  readonly variant: ResolvedVariant | undefined;
  /** Render a Liquid template (`Hi {{ first_name }}`) for this record. Record values are never parsed as Liquid. */
  text(source: string): string;
  /** Evaluate a condition (`offer_eligible and dealer.url != blank`). */
  condition(source: string): boolean;
  /** The 1-based row number given to bind. */
  readonly recordNumber: number;
  /** Each rule's value (text rules as rendered; number rules as numbers when they render one). */
  readonly rules: Readonly<Record<string, unknown>>;
  /** The complete Liquid context (fields, rules, variant alias, built-ins), for composers that render their own compiled templates. */
  readonly scope: Readonly<Record<string, unknown>>;
}

/** A failed bind: `variant-unknown` (the record's key matches no variant) or `rule-failed` (a rule failed or its output is not of its type). */
export type BindResult =
  { ok: true; bound: BoundRecord } | { ok: false; skip: boolean; reason: string; code: 'variant-unknown' | 'rule-failed' };

/** Per-recipient built-ins supplied by the caller (the delivery side signs real URLs). */
export interface BindOptions {
  builtins?: { unsubscribe_url?: string; view_online_url?: string };
}

export interface CompiledRules {
  bind(record: Readonly<Record<string, unknown>>, rowNumber: number, options?: BindOptions): BindResult;
  /** Rule names in evaluation (dependency) order. */
  readonly order: readonly string[];
}

/** A template problem found while compiling rules (documents should be validated first; this is the backstop). */
export class RulesError extends Error {
  constructor(
    readonly code: 'rule-cycle' | 'liquid-syntax' | 'render-failed',
    message: string,
  ) {
    super(message);
    this.name = 'RulesError';
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A rule's rendered text → its value by the rule's type (docs/data-and-rules.md, "Rule types"):
 * text as rendered; boolean a BooleanRuleValue; number a number; date, url and image the trimmed text.
 * An empty number or date rule has no value (like an empty cell); a number or date rule whose text does
 * not read as its type is a record error, never silently text.
 */
export function typeRuleOutput(type: string, out: string, locale: string): { ok: true; value: unknown } | { ok: false; hint: string } {
  if (type === 'text') return { ok: true, value: out };
  const t = out.trim();
  switch (type) {
    case 'boolean':
      return { ok: true, value: BooleanRuleValue.fromText(t) };
    case 'number': {
      if (t === '') return { ok: true, value: undefined };
      const n = Number(t);
      return Number.isFinite(n)
        ? { ok: true, value: n }
        : { ok: false, hint: 'make the expression output a plain number such as 1234.5 (format it where it is shown, e.g. with | money)' };
    }
    case 'date':
      if (t === '' || parseDateText(t, locale)) return { ok: true, value: t === '' ? undefined : t };
      return { ok: false, hint: `make the expression output a date such as 2026-05-14 or "May 14, 2026" (locale ${locale})` };
    default:
      return { ok: true, value: t };
  }
}
const hasOwn = Object.prototype.hasOwnProperty;
const firstLine = (e: unknown) => (e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e));

/** Rule names sorted so that every rule comes after the rules it uses; throws RulesError on a cycle. */
export function ruleOrder(doc: Pick<TemplateDocument, 'rules'>): string[] {
  const deps = new Map<string, string[]>();
  for (const r of doc.rules) {
    const a = analyzeLiquid(r.expression);
    deps.set(r.name, a.ok ? a.references.filter((x) => x[0] === 'rules' && x[1] && x[1] !== '*').map((x) => x[1] as string) : []);
  }
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]) => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting')
      throw new RulesError(
        'rule-cycle',
        `rules depend on each other in a cycle: ${[...trail.slice(trail.indexOf(name)), name].join(' → ')}`,
      );
    state.set(name, 'visiting');
    for (const d of deps.get(name) ?? []) if (deps.has(d)) visit(d, [...trail, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const r of doc.rules) visit(r.name, []);
  return order;
}

export function compileRules(doc: TemplateDocument, env: RulesEnv): CompiledRules {
  const liquid: Liquid = createSafeLiquid({ today: env.today, locale: doc.data.locale, currency: doc.data.currency });
  const cache = new Map<string, (scope: Record<string, unknown>) => string>();
  const parse = (src: string): ((scope: Record<string, unknown>) => string) => {
    let t = cache.get(src);
    if (!t) {
      try {
        t = fastRenderer(liquid, liquid.parse(src));
      } catch (e) {
        throw new RulesError('liquid-syntax', `Liquid error in ${JSON.stringify(src.slice(0, 60))}: ${firstLine(e)}`);
      }
      cache.set(src, t);
    }
    return t;
  };
  const render = (src: string, scope: Record<string, unknown>): string => {
    try {
      return parse(src)(scope);
    } catch (e) {
      if (e instanceof RulesError) throw e;
      throw new RulesError('render-failed', `could not render ${JSON.stringify(src.slice(0, 60))}: ${firstLine(e)}`);
    }
  };

  const order = ruleOrder(doc);
  const ruleByName = new Map(doc.rules.map((r) => [r.name, r]));
  const compiledRules = order.map((name) => {
    const rule = ruleByName.get(name)!;
    let templates: Template[];
    try {
      templates = liquid.parse(rule.expression);
    } catch (e) {
      throw new RulesError('liquid-syntax', `rule "${name}": ${firstLine(e)}`);
    }
    return { name, type: rule.type, render: fastRenderer(liquid, templates) };
  });

  const fieldTypes = new Map(doc.data.fields.map((f) => [f.name, f] as const));
  const typing = { locale: doc.data.locale, currency: doc.data.currency };
  /** Types whose typed value is the (trimmed) text itself: a non-empty string without surrounding space is already typed. */
  const asText = new Set(['text', 'image', 'email', 'url']);
  /** Strings for typed fields become typed values (data from shared/data is typed already; this serves raw records). */
  const typed = (record: Readonly<Record<string, unknown>>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const k in record) {
      if (!hasOwn.call(record, k)) continue;
      const v = record[k];
      const f = typeof v === 'string' ? fieldTypes.get(k) : undefined;
      if (
        f &&
        f.type !== 'text' &&
        !(f.type === 'date' && ISO_DATE.test(v as string)) &&
        !(asText.has(f.type) && v !== '' && (v as string).trim() === v)
      ) {
        const r = typeCell(f, v, typing);
        out[k] = r.ok ? r.value : v;
      } else out[k] = v;
    }
    return out;
  };

  const now = env.now ?? `${env.today}T00:00:00Z`;
  const variants = doc.variants;
  const byKey = new Map(
    variants?.items.map((v) => {
      const resolved: ResolvedVariant = { key: v.key, label: v.label, values: v.values, swatches: v.swatches, matched: true };
      return [v.key, { resolved, scope: Object.freeze({ ...v.values, key: v.key, label: v.label }) }] as const;
    }) ?? [],
  );

  return {
    order,
    bind(record, rowNumber, options) {
      let variant: ResolvedVariant | undefined;
      let variantScope: Readonly<Record<string, unknown>> | undefined;
      if (variants) {
        const key = String(record[variants.keyField] ?? '').trim();
        const item = byKey.get(key);
        if (item) {
          variant = item.resolved;
          variantScope = item.scope;
        } else if (variants.onUnknownKey === 'fallback') {
          variant = { key, label: variants.fallback.label, values: variants.fallback.values, swatches: {}, matched: false };
          variantScope = { ...variants.fallback.values, key, label: variants.fallback.label };
        } else
          return {
            ok: false,
            code: 'variant-unknown',
            skip: variants.onUnknownKey === 'skip',
            reason: `${variants.keyField} ${quoteValue(key)} matches no ${variants.alias}; known keys are ${[...byKey.keys()].join(', ') || '(none)'} — add it to the variants or fix the data`,
          };
      }
      const scope: Record<string, unknown> = typed(record);
      scope.today = env.today;
      scope.now = now;
      scope.record_number = rowNumber;
      scope.unsubscribe_url = options?.builtins?.unsubscribe_url ?? '';
      scope.view_online_url = options?.builtins?.view_online_url ?? '';
      if (variants && variantScope) scope[variants.alias] = variantScope;
      const rules: Record<string, unknown> = {};
      scope.rules = rules;
      for (const r of compiledRules) {
        let out: string;
        try {
          out = r.render(scope);
        } catch (e) {
          return { ok: false, code: 'rule-failed', skip: false, reason: `rule "${r.name}" failed: ${firstLine(e)}` };
        }
        const typedRule = typeRuleOutput(r.type, out, doc.data.locale);
        if (!typedRule.ok)
          return {
            ok: false,
            code: 'rule-failed',
            skip: false,
            reason: `rule "${r.name}" is a ${r.type} rule but rendered ${quoteValue(out.trim())} for this record; ${typedRule.hint}`,
          };
        rules[r.name] = typedRule.value;
      }
      const bound: BoundRecord = {
        record,
        variant,
        recordNumber: rowNumber,
        rules,
        scope,
        text: (source) => (source.includes('{') ? render(source, scope) : source),
        condition: (source) => truthyText(render(conditionAsTemplate(source), scope)),
      };
      return { ok: true, bound };
    },
  };
}
