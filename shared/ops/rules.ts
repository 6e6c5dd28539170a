import type { TemplateDocument } from '../model/document';
import { RuleSchema, type Rule } from '../model/rules';
import { IdentifierSchema } from '../model/ids';
import { BUILTIN_VARIABLES, analyzeLiquid } from '../rules/analyze';
import { compileRules, RulesError, ruleOrder, type RulesEnv } from '../rules/engine';
import { createSafeLiquid } from '../rules/liquid';
import { findVariable, liquidPlaces, renameVariable, setIn } from './liquid-refs';
import type { FieldUse } from './fields';
import { fail, ok, type OpResult } from './result';

/**
 * Operations on the template's named Liquid rules (the Rules panel): add, change type, expression and
 * description, rename (every `rules.<name>` follows), remove (refused while used, with where), plus what the
 * panel shows for each rule: its live value for a record, or the error with its line and column.
 */

export type RuleType = Rule['type'];
export const RULE_TYPES: readonly RuleType[] = RuleSchema.shape.type.unwrap().options;

/** Every place that reads `rules.<name>`: other rules, text, conditions, images, barcodes, email. */
export function ruleUsages(doc: TemplateDocument, name: string): FieldUse[] {
  const uses: FieldUse[] = [];
  for (const p of liquidPlaces(doc)) {
    const found = findVariable(p.source, p.kind, ['rules', name]);
    if (found && found.length) uses.push({ path: p.path, where: p.where });
  }
  return uses;
}

/** Why `name` cannot be a rule's name, or undefined when it can. */
export function ruleNameProblem(doc: TemplateDocument, name: string): string | undefined {
  if (!IdentifierSchema.safeParse(name).success)
    return `"${name}" cannot be a rule name: use letters, digits and "_", starting with a letter or "_" (at most 64)`;
  if (doc.rules.some((r) => r.name === name)) return `there is already a rule "${name}"`;
  return undefined;
}

/** A rule name not used yet (`rule`, `rule_2`, …). */
export function freeRuleName(doc: TemplateDocument, wanted = 'rule'): string {
  if (!ruleNameProblem(doc, wanted)) return wanted;
  for (let n = 2; ; n++) if (!ruleNameProblem(doc, `${wanted.slice(0, 60)}_${n}`)) return `${wanted.slice(0, 60)}_${n}`;
}

export type NewRule = { name: string; expression?: string; type?: RuleType; description?: string };

/** Add a rule at the end (its expression may be empty or even broken: the panel shows the error). */
export function addRule(doc: TemplateDocument, args: { rule: NewRule }): OpResult {
  const name = args.rule.name.trim();
  const problem = ruleNameProblem(doc, name);
  if (problem) return fail(problem.startsWith('there is') ? 'duplicate-id' : 'invalid', `Cannot add rule: ${problem}.`, [name]);
  const parsed = RuleSchema.safeParse({ ...args.rule, name, expression: args.rule.expression ?? '' });
  if (!parsed.success) return fail('invalid', `Cannot add rule "${name}": ${parsed.error.issues[0]?.message ?? 'invalid'}.`, [name]);
  return ok({ ...doc, rules: [...doc.rules, parsed.data] }, [name]);
}

export type RulePatch = { expression?: string; type?: RuleType; description?: string | null };

/** Change a rule's expression, type or description (`null` or "" clears the description). */
export function updateRule(doc: TemplateDocument, args: { name: string; patch: RulePatch }): OpResult {
  const i = doc.rules.findIndex((r) => r.name === args.name);
  if (i < 0) return fail('not-found', `There is no rule "${args.name}".`, [args.name]);
  const merged: Record<string, unknown> = { ...doc.rules[i], ...args.patch };
  if (merged.description === null || merged.description === '') delete merged.description;
  const parsed = RuleSchema.safeParse(merged);
  if (!parsed.success) return fail('invalid', `Rule "${args.name}": ${parsed.error.issues[0]?.message ?? 'invalid'}.`, [args.name]);
  const before = doc.rules[i]!;
  const after = parsed.data;
  if (before.expression === after.expression && before.type === after.type && before.description === after.description)
    return fail('nothing-to-do', 'Nothing changed.');
  const rules = [...doc.rules];
  rules[i] = after;
  return ok({ ...doc, rules });
}

/** Rename a rule and every `rules.<name>` that reads it, as one operation (one undo step). */
export function renameRule(doc: TemplateDocument, args: { from: string; to: string }): OpResult {
  const { from } = args;
  const to = args.to.trim();
  if (from === to) return fail('nothing-to-do', 'The name is unchanged.');
  if (!doc.rules.some((r) => r.name === from)) return fail('not-found', `There is no rule "${from}".`, [from]);
  const problem = ruleNameProblem(doc, to);
  if (problem)
    return fail(problem.startsWith('there is') ? 'duplicate-id' : 'invalid', `Cannot rename rule "${from}": ${problem}.`, [from]);
  let next: TemplateDocument = { ...doc, rules: doc.rules.map((r) => (r.name === from ? { ...r, name: to } : r)) };
  for (const p of liquidPlaces(next)) {
    const renamed = renameVariable(p.source, p.kind, ['rules', from], to);
    if (renamed !== null && renamed !== p.source) next = setIn(next, p.path, renamed);
  }
  return ok(next);
}

/** Remove a rule; refused while anything reads it (the message says where). */
export function removeRule(doc: TemplateDocument, args: { name: string }): OpResult {
  if (!doc.rules.some((r) => r.name === args.name)) return fail('not-found', `There is no rule "${args.name}".`, [args.name]);
  const uses = ruleUsages(doc, args.name);
  if (uses.length) {
    const shown = uses.slice(0, 6).map((u) => u.where);
    const more = uses.length > shown.length ? ` and ${uses.length - shown.length} more` : '';
    return fail('in-use', `rules.${args.name} is used by ${shown.join('; ')}${more}. Change those first.`, [args.name]);
  }
  return ok({ ...doc, rules: doc.rules.filter((r) => r.name !== args.name) });
}

/** A problem in a rule, with where in its expression (1-based line and column) when it is known. */
export interface RuleProblem {
  message: string;
  line?: number;
  col?: number;
}

/** What the Rules panel shows for one rule on one record. */
export type RuleOutcome =
  | { name: string; type: RuleType; ok: true; /** The value as text ("" when empty). */ value: string }
  | { name: string; type: RuleType; ok: false; problem: RuleProblem };

// Same configuration and filters as the engine, so what fails here fails when composing.
const analyzer = createSafeLiquid({ today: '2000-01-01', locale: 'en-US', currency: 'USD' });

const POSITION = /,?\s*line:(\d+), col:(\d+)/;
/** A liquidjs message without its `line:…, col:…` tail, and that position. */
function withPosition(message: string): RuleProblem {
  const m = POSITION.exec(message);
  const text = message.replace(POSITION, '').trim();
  return m ? { message: text, line: Number(m[1]), col: Number(m[2]) } : { message: text };
}

function positionOf(source: string, offset: number): { line: number; col: number } {
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}

/** A rule's expression checked without data: syntax, filters, and names it reads that do not exist. */
export function checkRule(doc: TemplateDocument, rule: Rule): RuleProblem | undefined {
  if (!rule.expression.trim()) return { message: 'Write an expression, e.g. {{ first_name | capitalize }}.' };
  try {
    analyzer.parse(rule.expression);
  } catch (e) {
    const msg = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
    const unknown = /^undefined filter: ([^,\s]+)/.exec(msg);
    const problem = withPosition(msg);
    return unknown ? { ...problem, message: `unknown filter "${unknown[1]}" (see docs/data-and-rules.md for the filters)` } : problem;
  }
  const a = analyzeLiquid(rule.expression);
  if (!a.ok) return withPosition(a.error);
  const fields = new Set(doc.data.fields.map((f) => f.name));
  const rules = new Set(doc.rules.map((r) => r.name));
  const v = doc.variants;
  const at = (path: string[]): Partial<RuleProblem> => {
    const o = findVariable(rule.expression, 'template', path)?.[0];
    return o ? positionOf(rule.expression, o.start) : {};
  };
  for (const [root, second] of a.references) {
    if (root === undefined || fields.has(root) || (BUILTIN_VARIABLES as readonly string[]).includes(root)) continue;
    if (root === 'rules') {
      if (second === rule.name) return { message: `a rule cannot read itself (rules.${rule.name})`, ...at(['rules', second]) };
      if (second !== undefined && second !== '*' && !rules.has(second))
        return { message: `there is no rule "${second}"; rules are ${[...rules].join(', ')}`, ...at(['rules', second]) };
      continue;
    }
    if (v && root === v.alias) {
      const known = new Set(['key', 'label', '*', ...v.fields.map((f) => f.name)]);
      if (second !== undefined && !known.has(second))
        return {
          message: `"${second}" is not a ${v.alias} value; they are ${[...known].filter((k) => k !== '*').join(', ')}`,
          ...at([root, second]),
        };
      continue;
    }
    return { message: `"${root}" is not a data field or rule; fields are ${[...fields].join(', ')}`, ...at([root]) };
  }
  return undefined;
}

const RULE_FAILED = /^rule "([^"]+)" (?:failed: )?(.*)$/s;

/**
 * Every rule evaluated for one record (values as the record view gives them: text, typed by the fields),
 * in the document's order. A rule with an error shows it (with line and column where known); the rules that
 * read it say so; the others still get their values.
 */
export function evaluateRules(
  doc: TemplateDocument,
  record: Readonly<Record<string, unknown>>,
  rowNumber: number,
  env: RulesEnv,
): RuleOutcome[] {
  const problems = new Map<string, RuleProblem>();
  for (const r of doc.rules) {
    const p = checkRule(doc, r);
    if (p) problems.set(r.name, p);
  }
  try {
    ruleOrder(doc);
  } catch (e) {
    if (e instanceof RulesError) {
      const names = /cycle: (.*)$/.exec(e.message)?.[1]?.split(' → ') ?? [];
      for (const n of names) if (!problems.has(n)) problems.set(n, { message: e.message });
    }
  }
  const reads = (r: Rule): string[] => {
    const a = analyzeLiquid(r.expression);
    return a.ok ? a.references.filter((x) => x[0] === 'rules' && x[1] && x[1] !== '*').map((x) => x[1]!) : [];
  };
  let general: RuleProblem | undefined;
  let values: Readonly<Record<string, unknown>> = {};
  // Each round either evaluates all remaining rules or finds one more that fails: at most one round per rule.
  for (let round = 0; round <= doc.rules.length; round++) {
    // Rules that read a rule with a problem cannot be evaluated either.
    let grew = true;
    while (grew) {
      grew = false;
      for (const r of doc.rules) {
        if (problems.has(r.name)) continue;
        const bad = reads(r).find((n) => problems.has(n));
        if (bad) {
          problems.set(r.name, { message: `reads rules.${bad}, which has an error`, ...positionIn(r, bad) });
          grew = true;
        }
      }
    }
    const good = doc.rules.filter((r) => !problems.has(r.name));
    if (!good.length) break;
    let result;
    try {
      result = compileRules({ ...doc, rules: good }, env).bind(record, rowNumber);
    } catch (e) {
      general = { message: e instanceof Error ? e.message : String(e) };
      break;
    }
    if (result.ok) {
      values = result.bound.rules;
      break;
    }
    const m = result.code === 'rule-failed' ? RULE_FAILED.exec(result.reason) : null;
    if (!m || !good.some((r) => r.name === m[1])) {
      general = { message: result.reason };
      break;
    }
    problems.set(m[1]!, withPosition(m[2]!));
  }
  return doc.rules.map((r): RuleOutcome => {
    const problem = problems.get(r.name) ?? (general && !(r.name in values) ? general : undefined);
    if (problem) return { name: r.name, type: r.type, ok: false, problem };
    const v = values[r.name];
    return { name: r.name, type: r.type, ok: true, value: v === undefined || v === null ? '' : String(v) };
  });
}

function positionIn(rule: Rule, read: string): Partial<RuleProblem> {
  const o = findVariable(rule.expression, 'template', ['rules', read])?.[0];
  return o ? positionOf(rule.expression, o.start) : {};
}
