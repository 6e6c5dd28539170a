import type { TemplateDocument } from '../../shared/model/document';
import { analyzeLiquid, BUILTIN_VARIABLES } from '../../shared/rules/analyze';

/** A data field, rule or variant value that text may insert, as the picker lists it. */
export interface Insertable {
  /** The Liquid expression, e.g. `first_name`, `rules.greeting`, `dealer.phone`. */
  expression: string;
  group: 'Data fields' | 'Rules' | 'Dealer';
  type: string;
}

/** Everything a text frame or condition can use, in the picker's order. */
export function insertables(doc: TemplateDocument): Insertable[] {
  const out: Insertable[] = doc.data.fields.map((f) => ({ expression: f.name, group: 'Data fields', type: f.type }));
  for (const r of doc.rules) out.push({ expression: `rules.${r.name}`, group: 'Rules', type: r.type });
  const v = doc.variants;
  if (v) {
    out.push({ expression: `${v.alias}.label`, group: 'Dealer', type: 'text' });
    for (const f of v.fields) out.push({ expression: `${v.alias}.${f.name}`, group: 'Dealer', type: 'text' });
  }
  return out;
}

/**
 * Check one Liquid source (a template or a condition) against the template's schema as the document
 * validator does (shared/rules analyzeLiquid; fields, rules, the variant alias and built-ins): undefined
 * when it is fine, else a sentence that says what to fix.
 */
export function checkLiquid(doc: TemplateDocument, source: string, kind: 'template' | 'condition'): string | undefined {
  if (!source.trim()) return kind === 'condition' ? 'Write a condition, e.g. offer_eligible, or clear the field.' : undefined;
  const a = analyzeLiquid(source, kind);
  if (!a.ok) return a.code === 'unknown-filter' ? a.error : `Liquid error: ${a.error}`;
  const fields = new Set(doc.data.fields.map((f) => f.name));
  const rules = new Set(doc.rules.map((r) => r.name));
  const v = doc.variants;
  const variantFields = new Set(v?.fields.map((f) => f.name) ?? []);
  for (const [root, second] of a.references) {
    if (root === undefined || fields.has(root) || (BUILTIN_VARIABLES as readonly string[]).includes(root)) continue;
    if (root === 'rules') {
      if (second !== undefined && second !== '*' && !rules.has(second))
        return `There is no rule "${second}"; rules are ${[...rules].join(', ') || '(none)'}.`;
      continue;
    }
    if (v && root === v.alias) {
      if (second !== undefined && second !== '*' && second !== 'key' && second !== 'label' && !variantFields.has(second))
        return `"${second}" is not a ${v.alias} field; they are ${[...variantFields].join(', ')}.`;
      continue;
    }
    return `"${root}" is not a data field, rule or ${v?.alias ?? 'variant'} value; pick one from the list.`;
  }
  return undefined;
}
