import type { TemplateDocument } from '../model/document';
import { DataFieldSchema, type DataField, type FieldType } from '../model/data-schema';
import { IdentifierSchema } from '../model/ids';
import { BUILTIN_VARIABLES } from '../rules/analyze';
import { liquidPlaces, renameVariable, setIn, findVariable, type DocPath } from './liquid-refs';
import { fail, ok, type OpResult } from './result';

/**
 * Operations on the data schema (the Fields editor): add, update, rename (every reference follows),
 * remove (refused while used, with where), reorder, record key, locale and currency.
 */

/** One place that uses a field, for people and for tests. */
export interface FieldUse {
  path: DocPath;
  /** `rule greeting`, `text "Hello {{…" on page Front`, `record key`, `email recipient`, `dealer key field`. */
  where: string;
}

/** Every place a data field is used: Liquid anywhere, the record key, the email recipient, the dealer key field. */
export function fieldUsages(doc: TemplateDocument, name: string): FieldUse[] {
  const uses: FieldUse[] = [];
  if (doc.data.recordKey === name) uses.push({ path: ['data', 'recordKey'], where: 'record key' });
  if (doc.variants?.keyField === name) uses.push({ path: ['variants', 'keyField'], where: 'dealer key field' });
  if (doc.email?.recipientField === name) uses.push({ path: ['email', 'recipientField'], where: 'email recipient' });
  for (const p of liquidPlaces(doc)) {
    const found = findVariable(p.source, p.kind, [name]);
    if (found && found.length) uses.push({ path: p.path, where: p.where });
  }
  return uses;
}

/** Why `name` cannot be a new field's name, or undefined when it can. */
export function fieldNameProblem(doc: TemplateDocument, name: string, except?: string): string | undefined {
  if (!IdentifierSchema.safeParse(name).success)
    return `"${name}" cannot be a field name: use letters, digits and "_", starting with a letter or "_" (at most 64)`;
  if (name !== except && doc.data.fields.some((f) => f.name === name)) return `there is already a field "${name}"`;
  if (doc.rules.some((r) => r.name === name) || name === 'rules') return `"${name}" is the name of a rule; choose another name`;
  if (doc.variants && doc.variants.alias === name) return `"${name}" is how the dealer values are named; choose another name`;
  if ((BUILTIN_VARIABLES as readonly string[]).includes(name)) return `"${name}" is provided by Presswork; choose another name`;
  return undefined;
}

/** A Liquid name for a column header: `E-Mail` → `e_mail`, `Kunden-Nr.` → `kunden_nr`, `1. Name` → `f_1_name`. */
export function fieldNameFor(header: string): string {
  const base = header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
  if (!base) return 'field';
  return /^[a-z_]/.test(base) ? base : `f_${base}`;
}

/** A name not yet used by a field, rule, variant alias or built-in (`name`, `name_2`, `name_3`…). */
export function freeFieldName(doc: TemplateDocument, wanted: string): string {
  if (!fieldNameProblem(doc, wanted)) return wanted;
  for (let n = 2; ; n++) {
    const candidate = `${wanted.slice(0, 60)}_${n}`;
    if (!fieldNameProblem(doc, candidate)) return candidate;
  }
}

const withFields = (doc: TemplateDocument, fields: DataField[], extra: Partial<TemplateDocument['data']> = {}): TemplateDocument => ({
  ...doc,
  data: { ...doc.data, ...extra, fields },
});

export type NewField = { name: string; type?: FieldType } & Partial<Omit<DataField, 'name' | 'type'>>;

/** Add fields (in order) at `index` (default: the end). Fails, adding none, when any name is taken or invalid. */
export function addFields(doc: TemplateDocument, args: { fields: readonly NewField[]; index?: number }): OpResult {
  if (!args.fields.length) return fail('nothing-to-do', 'Choose at least one field to add.');
  let next = doc;
  const created: DataField[] = [];
  for (const f of args.fields) {
    const problem = fieldNameProblem(next, f.name);
    if (problem) return fail(problem.startsWith('there is') ? 'duplicate-id' : 'invalid', `Cannot add field: ${problem}.`, [f.name]);
    const parsed = DataFieldSchema.safeParse(f);
    if (!parsed.success) return fail('invalid', `Cannot add field "${f.name}": ${parsed.error.issues[0]?.message ?? 'invalid'}.`, [f.name]);
    created.push(parsed.data);
    next = withFields(next, [...next.data.fields, parsed.data]);
  }
  const fields = [...doc.data.fields];
  fields.splice(Math.max(0, Math.min(args.index ?? fields.length, fields.length)), 0, ...created);
  return ok(
    withFields(doc, fields),
    created.map((f) => f.name),
  );
}

/** Add one field. */
export const addField = (doc: TemplateDocument, args: { field: NewField; index?: number }): OpResult =>
  addFields(doc, { fields: [args.field], ...(args.index === undefined ? {} : { index: args.index }) });

export type FieldPatch = Partial<Omit<DataField, 'name' | 'sample' | 'label'>> & {
  sample?: DataField['sample'] | null;
  label?: string | null;
};

/** Change a field's type, required flag, label, sample value, aliases or description (`null` clears sample/label). */
export function updateField(doc: TemplateDocument, args: { name: string; patch: FieldPatch }): OpResult {
  const i = doc.data.fields.findIndex((f) => f.name === args.name);
  if (i < 0) return fail('not-found', `There is no field "${args.name}".`, [args.name]);
  const merged: Record<string, unknown> = { ...doc.data.fields[i], ...args.patch };
  for (const k of ['sample', 'label', 'description']) if (merged[k] === null || (k !== 'sample' && merged[k] === '')) delete merged[k];
  if ('aliases' in args.patch) merged.aliases = [...new Set((args.patch.aliases ?? []).map((a) => a.trim()).filter(Boolean))];
  const parsed = DataFieldSchema.safeParse(merged);
  if (!parsed.success) return fail('invalid', `Field "${args.name}": ${parsed.error.issues[0]?.message ?? 'invalid'}.`, [args.name]);
  const fields = [...doc.data.fields];
  fields[i] = parsed.data;
  return ok(withFields(doc, fields));
}

/**
 * Rename a field and every reference to it: Liquid in text runs, rules, visibility conditions, image
 * sources, barcodes, email subject/preheader/sender/blocks, plus the record key, the email recipient and the
 * dealer key field. One operation, so one undo step. Liquid that does not parse is left as it is.
 */
export function renameField(doc: TemplateDocument, args: { from: string; to: string }): OpResult {
  const { from, to } = args;
  if (from === to) return fail('nothing-to-do', 'The name is unchanged.');
  if (!doc.data.fields.some((f) => f.name === from)) return fail('not-found', `There is no field "${from}".`, [from]);
  const problem = fieldNameProblem(doc, to);
  if (problem) return fail(problem.startsWith('there is') ? 'duplicate-id' : 'invalid', `Cannot rename "${from}": ${problem}.`, [from]);
  let next: TemplateDocument = withFields(
    doc,
    doc.data.fields.map((f) => (f.name === from ? { ...f, name: to } : f)),
    doc.data.recordKey === from ? { recordKey: to } : {},
  );
  if (next.variants?.keyField === from) next = { ...next, variants: { ...next.variants, keyField: to } };
  if (next.email?.recipientField === from) next = { ...next, email: { ...next.email, recipientField: to } };
  for (const p of liquidPlaces(next)) {
    const renamed = renameVariable(p.source, p.kind, [from], to);
    if (renamed !== null && renamed !== p.source) next = setIn(next, p.path, renamed);
  }
  return ok(next);
}

/** Remove a field. Refused while anything uses it (the message says where), and for the last field. */
export function removeField(doc: TemplateDocument, args: { name: string }): OpResult {
  const i = doc.data.fields.findIndex((f) => f.name === args.name);
  if (i < 0) return fail('not-found', `There is no field "${args.name}".`, [args.name]);
  if (doc.data.fields.length === 1) return fail('too-few', 'A template keeps at least one field; add another before removing this one.');
  const uses = fieldUsages(doc, args.name);
  if (uses.length) {
    const shown = uses.slice(0, 6).map((u) => u.where);
    const more = uses.length > shown.length ? ` and ${uses.length - shown.length} more` : '';
    return fail('in-use', `"${args.name}" is used by ${shown.join('; ')}${more}. Change those first, or rename the field instead.`, [
      args.name,
    ]);
  }
  return ok(
    withFields(
      doc,
      doc.data.fields.filter((_, k) => k !== i),
    ),
  );
}

/** Move a field to `toIndex` in the list (the order of the Fields editor, the Data screen and new columns). */
export function moveField(doc: TemplateDocument, args: { name: string; toIndex: number }): OpResult {
  const i = doc.data.fields.findIndex((f) => f.name === args.name);
  if (i < 0) return fail('not-found', `There is no field "${args.name}".`, [args.name]);
  const to = Math.max(0, Math.min(args.toIndex, doc.data.fields.length - 1));
  if (to === i) return fail('nothing-to-do', 'The field is already there.');
  const fields = [...doc.data.fields];
  const [f] = fields.splice(i, 1);
  fields.splice(to, 0, f!);
  return ok(withFields(doc, fields));
}

/** Make a field the record key (the customer id used in reports and file names). */
export function setRecordKey(doc: TemplateDocument, args: { name: string }): OpResult {
  if (!doc.data.fields.some((f) => f.name === args.name)) return fail('not-found', `There is no field "${args.name}".`, [args.name]);
  if (doc.data.recordKey === args.name) return fail('nothing-to-do', `"${args.name}" is already the record key.`);
  return ok({ ...doc, data: { ...doc.data, recordKey: args.name } });
}

/** Set the locale (numbers, money and dates in data files) and the currency of money fields. */
export function setDataFormat(doc: TemplateDocument, args: { locale?: string; currency?: string }): OpResult {
  const locale = args.locale?.trim() ?? doc.data.locale;
  const currency = args.currency?.trim().toUpperCase() ?? doc.data.currency;
  try {
    if (Intl.getCanonicalLocales(locale).length !== 1) throw new Error('bad');
  } catch {
    return fail('invalid', `"${locale}" is not a locale; write it like en-US, de-DE or fr-CA.`);
  }
  if (!/^[A-Z]{3}$/.test(currency)) return fail('invalid', `"${currency}" is not a currency code; write it like USD, EUR or GBP.`);
  if (locale === doc.data.locale && currency === doc.data.currency) return fail('nothing-to-do', 'Nothing changed.');
  return ok({ ...doc, data: { ...doc.data, locale, currency } });
}
