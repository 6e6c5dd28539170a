import { z } from 'zod';
import { isEmailAddress } from '../links/address';
import { IdentifierSchema } from '../model/ids';
import { VariantSetSchema, type VariantField, type VariantSet } from '../model/variants';
import type { BrandKit } from '../model/brand';
import type { DataField, DataSchema } from '../model/data-schema';
import { headerKey, parseDataFile } from './records';

/**
 * Dealer variant sets as a table: one row per dealer (key, label, typed values, swatch overrides), read
 * from CSV/XLSX, edited in the studio, checked per row and column against the template's brand kit, and
 * turned into the document's `variants` when attached. Pure: bytes in, table and problems out.
 */
export const VariantTableItemSchema = z.strictObject({
  /** May be empty while editing; a problem says so and attach refuses it. */
  key: z.string(),
  label: z.string(),
  values: z.record(z.string(), z.string()),
  /** Template swatch id → dealer swatch id. */
  swatches: z.record(z.string(), z.string()),
});
export const VariantTableSchema = z.strictObject({
  /** The key column's header in the file (what the dealers are identified by, e.g. dealer_id). */
  keyColumn: z.string(),
  fields: z.array(
    z.strictObject({
      name: IdentifierSchema,
      type: z.enum(['text', 'url', 'email', 'phone', 'image', 'number']),
      required: z.boolean(),
    }),
  ),
  items: z.array(VariantTableItemSchema).max(5000),
});
export type VariantTable = z.infer<typeof VariantTableSchema>;
export type VariantTableItem = z.infer<typeof VariantTableItemSchema>;

export interface VariantProblem {
  /** 1-based row of the table; null for the set as a whole. */
  row: number | null;
  /** `key`, `label`, a field name, or `swatch:<id>`; null for the whole row or set. */
  column: string | null;
  severity: 'error' | 'warning';
  message: string;
}

const norm = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
const KEY_HEADERS = ['key', 'dealer_id', 'dealer_key', 'dealer_code', 'dealer', 'code', 'id'];
const SWATCH_HEADER = /^swatch[\s:_-]+(.+)$/i;

/** A field's type from its header, when the template's variant set does not already say. */
export function guessFieldType(name: string): VariantField['type'] {
  if (/phone|tel|fax|mobile/.test(name)) return 'phone';
  if (/e_?mail/.test(name)) return 'email';
  if (/url|web|site|link/.test(name)) return 'url';
  if (/logo|image|photo|picture/.test(name)) return 'image';
  if (/^(count|number|num|qty|rank|radius)/.test(name)) return 'number';
  return 'text';
}

const textField = (name: string, header: string, required = false): DataField => ({
  name,
  type: 'text',
  required,
  aliases: [header],
});

/**
 * Read a dealer table (CSV, TSV, XLSX, JSON) into a variant table. The key column is `key`, `dealer_id`, …,
 * or the template's own key field, else the first column; `label` (or `name`) names the dealer; `swatch:<id>`
 * columns override a brand swatch; every other column is a typed field (types from `existing`, else guessed).
 */
export async function readVariantTable(
  bytes: Uint8Array,
  fileName: string,
  existing?: VariantSet,
): Promise<{ table: VariantTable; problems: VariantProblem[] }> {
  const probeSchema: DataSchema = {
    fields: [{ name: '__probe', type: 'text', required: false, aliases: [] }],
    recordKey: '__probe',
    locale: 'en-US',
    currency: 'USD',
  };
  const probe = await parseDataFile(bytes, fileName, probeSchema, { checkDuplicateKeys: false });
  const fatal = probe.issues.filter((i) => i.row === 0 && i.severity === 'error');
  if (fatal.length)
    return {
      table: { keyColumn: '', fields: [], items: [] },
      problems: fatal.map((i) => ({ row: null, column: i.column ?? null, severity: 'error', message: i.message })),
    };
  const headers = probe.info.columns.map((c) => c.header).filter((h) => h.trim() !== '');
  if (headers.length === 0)
    return {
      table: { keyColumn: '', fields: [], items: [] },
      problems: [
        { row: null, column: null, severity: 'error', message: 'The file has no header row; put the column names in the first row.' },
      ],
    };
  // Headers are matched as data columns are (records.ts `headerKey`): `Dealer-ID` and `DealerId` are `dealer_id`.
  const existingKey = existing ? headerKey(existing.keyField) : undefined;
  const keyHeader =
    headers.find((h) => KEY_HEADERS.some((k) => headerKey(k) === headerKey(h))) ??
    headers.find((h) => existingKey !== undefined && headerKey(h) === existingKey) ??
    headers[0]!;
  const labelHeader = headers.find((h) => h !== keyHeader && headerKey(h) === 'label');
  const swatchHeaders = headers.filter((h) => h !== keyHeader && SWATCH_HEADER.test(h));
  const fieldHeaders = headers.filter((h) => h !== keyHeader && h !== labelHeader && !swatchHeaders.includes(h));

  const known = new Map((existing?.fields ?? []).map((f) => [f.name, f]));
  const used = new Set<string>(['__key', '__label']);
  const fields = fieldHeaders.map((header) => {
    let name = norm(header) || 'field';
    if (/^[0-9]/.test(name)) name = `f_${name}`;
    name = name.slice(0, 60);
    while (used.has(name)) name = `${name}_2`;
    used.add(name);
    const k = known.get(name);
    return { header, name, type: k?.type ?? guessFieldType(name), required: k?.required ?? false };
  });
  const swatches = swatchHeaders.map((header, i) => ({ header, from: SWATCH_HEADER.exec(header)![1]!.trim(), name: `__swatch_${i}` }));

  const schema: DataSchema = {
    fields: [
      textField('__key', keyHeader),
      ...(labelHeader ? [textField('__label', labelHeader)] : []),
      ...fields.map((f) => textField(f.name, f.header)),
      ...swatches.map((s) => textField(s.name, s.header)),
    ],
    recordKey: '__key',
    locale: 'en-US',
    currency: 'USD',
  };
  const parsed = await parseDataFile(bytes, fileName, schema, { checkDuplicateKeys: false });
  const items: VariantTableItem[] = parsed.rows.map((r) => {
    const v = (n: string) => {
      const x = r.values[n];
      return x === undefined ? '' : String(x).trim();
    };
    const values: Record<string, string> = {};
    for (const f of fields) values[f.name] = v(f.name);
    const sw: Record<string, string> = {};
    for (const s of swatches) if (v(s.name)) sw[s.from] = v(s.name);
    const key = v('__key');
    return { key, label: v('__label') || values.name || key, values, swatches: sw };
  });
  // Keep the file's own warnings that are not about our synthetic columns (syntax, extra cells, encoding).
  const fileProblems: VariantProblem[] = parsed.issues
    .filter((i) => i.code === 'csv-syntax' || i.code === 'extra-cells' || i.code === 'encoding')
    .map((i) => ({ row: i.row === 0 ? null : i.row, column: i.column ?? null, severity: i.severity, message: i.message }));
  return {
    table: { keyColumn: keyHeader, fields: fields.map(({ name, type, required }) => ({ name, type, required })), items },
    problems: fileProblems,
  };
}

/** Every problem of a table, by row and column, against the brand kit it will be used with. */
export function checkVariantTable(table: VariantTable, brand: BrandKit): VariantProblem[] {
  const out: VariantProblem[] = [];
  const logos = new Set(brand.logos.map((l) => l.id as string));
  const swatches = new Set(brand.swatches.map((s) => s.id as string));
  const seen = new Map<string, number>();
  if (table.items.length === 0)
    out.push({ row: null, column: null, severity: 'error', message: 'The set has no dealers; add a row or import a file.' });
  table.items.forEach((it, i) => {
    const row = i + 1;
    const p = (column: string | null, message: string, severity: 'error' | 'warning' = 'error') =>
      out.push({ row, column, severity, message });
    if (!it.key.trim()) p('key', 'The dealer key is empty; every dealer needs the key its records carry.');
    else if (seen.has(it.key)) p('key', `Key "${it.key}" is also on row ${seen.get(it.key)}; keys must be unique.`);
    else seen.set(it.key, row);
    if (!it.label.trim()) p('label', 'The dealer has no label; give it a name people recognise.', 'warning');
    for (const f of table.fields) {
      const v = (it.values[f.name] ?? '').trim();
      if (!v) {
        if (f.required) p(f.name, `${f.name} is required and empty.`);
        continue;
      }
      if (f.type === 'email' && !isEmailAddress(v)) p(f.name, `${JSON.stringify(v)} is not an email address.`);
      if (f.type === 'url') {
        let ok = false;
        try {
          ok = ['http:', 'https:'].includes(new URL(v).protocol);
        } catch {
          ok = false;
        }
        if (!ok) p(f.name, `${JSON.stringify(v)} is not a web address; write it with https://.`);
      }
      if (f.type === 'phone') {
        const digits = v.replace(/\D/g, '').length;
        if (!/^[+()\d\s.\-/x]+$/i.test(v) || digits < 7 || digits > 15)
          p(f.name, `"${v}" does not look like a phone number (7 to 15 digits).`);
      }
      if (f.type === 'number' && !Number.isFinite(Number(v))) p(f.name, `"${v}" is not a number.`);
      if (f.type === 'image' && !logos.has(v))
        p(
          f.name,
          `No logo "${v}" in the brand kit; import it in Brand kit, or use one of: ${[...logos].join(', ') || '(the kit has no logos)'}.`,
        );
    }
    for (const [from, to] of Object.entries(it.swatches)) {
      if (!swatches.has(from)) p(`swatch:${from}`, `The brand kit has no swatch "${from}" to override.`);
      if (!swatches.has(to)) p(`swatch:${from}`, `No swatch "${to}" in the brand kit; add it in Brand kit first.`);
    }
  });
  return out;
}

/**
 * The document's `variants` for a checked table: keyed by the template's data field `keyField`, keeping
 * the alias, fallback and unknown-key policy of the template's current set when there is one.
 */
export function variantSetFromTable(table: VariantTable, keyField: string, current?: VariantSet): VariantSet {
  return VariantSetSchema.parse({
    keyField,
    alias: current?.alias ?? 'dealer',
    fields: table.fields,
    items: table.items.map((it) => ({ key: it.key, label: it.label || it.key, values: it.values, swatches: it.swatches })),
    onUnknownKey: current?.onUnknownKey ?? 'fallback',
    fallback: current?.fallback ?? { label: 'Default', values: {} },
  });
}
