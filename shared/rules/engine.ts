import { Liquid } from 'liquidjs';
import type { TemplateDocument } from '../model/document';
import { conditionAsTemplate } from './analyze';

/**
 * THE SEAM between rules and composition (print and email use only this API).
 *
 * compileRules(doc, env) is called once per template version; bind(record) once per record.
 * A BoundRecord renders Liquid sources and evaluates conditions for that record, with the record's
 * fields, its variant (under the variant alias, e.g. `dealer.phone`) and the named rules (`rules.greeting`).
 *
 * This first implementation is deliberately plain; the variable-data issue replaces its inside
 * (safety limits, filters, caching of parsed templates, typed values) without changing this API.
 */

/** What the pure engine needs from the outside world. */
export interface RulesEnv {
  /** "Today" for date rules, as an ISO date (YYYY-MM-DD). Injected: the engine has no clock. */
  today: string;
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
}

export type BindResult = { ok: true; bound: BoundRecord } | { ok: false; skip: boolean; reason: string };

export interface CompiledRules {
  bind(record: Readonly<Record<string, unknown>>, rowNumber: number): BindResult;
}

const truthy = (s: string) => !['', 'false', '0', 'no'].includes(s.trim().toLowerCase());

export function compileRules(doc: TemplateDocument, env: RulesEnv): CompiledRules {
  const liquid = new Liquid({ ownPropertyOnly: true, strictFilters: false });
  const cache = new Map<string, ReturnType<Liquid['parse']>>();
  const parse = (src: string) => {
    let t = cache.get(src);
    if (!t) cache.set(src, (t = liquid.parse(src)));
    return t;
  };
  const variants = doc.variants;
  const byKey = new Map(variants?.items.map((v) => [v.key, v]) ?? []);

  return {
    bind(record, rowNumber) {
      let variant: ResolvedVariant | undefined;
      if (variants) {
        const key = String(record[variants.keyField] ?? '');
        const item = byKey.get(key);
        if (item) variant = { key: item.key, label: item.label, values: item.values, swatches: item.swatches, matched: true };
        else if (variants.onUnknownKey === 'fallback')
          variant = { key, label: variants.fallback.label, values: variants.fallback.values, swatches: {}, matched: false };
        else
          return {
            ok: false,
            skip: variants.onUnknownKey === 'skip',
            reason: `${variants.keyField} "${key}" matches no ${variants.alias}`,
          };
      }
      const scope: Record<string, unknown> = { ...record, today: env.today, record_number: rowNumber };
      if (variants && variant) scope[variants.alias] = { key: variant.key, label: variant.label, ...variant.values };
      const rules: Record<string, string> = {};
      scope.rules = rules;
      for (const r of doc.rules) rules[r.name] = liquid.renderSync(parse(r.expression), scope) as string;
      const bound: BoundRecord = {
        record,
        variant,
        text: (source) => (source.includes('{') ? (liquid.renderSync(parse(source), scope) as string) : source),
        condition: (source) => truthy(liquid.renderSync(parse(conditionAsTemplate(source)), scope) as string),
      };
      return { ok: true, bound };
    },
  };
}
