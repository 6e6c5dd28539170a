import type { FieldType } from '../model/data-schema';
import type { TemplateDocument } from '../model/document';
import { isValidEmail, isValidUrl, parseDateText, parseLocaleNumber, typeCell, type TypedValue } from '../data/typing';
import { fieldNameFor, freeFieldName, type NewField } from './fields';

/**
 * "Create fields from these columns": a typed guess per column of an imported file, from its header and
 * its values, for the designer to confirm. Conservative: a column becomes a number, money, date, email,
 * url or boolean only when every non-empty value reads as one; identifiers with leading zeros (postcodes,
 * customer numbers) and phone numbers stay text.
 */

export interface ColumnGuess {
  header: string;
  /** A free field name for the header (`E-Mail` → `e_mail`). */
  name: string;
  type: FieldType;
  /** Every row has a value. */
  required: boolean;
  /** The first value, typed as the field reads it (text at most 200 characters): shown before data is loaded. */
  sample?: TypedValue;
}

const MONEY_HEADER = /price|amount|betrag|preis|total|cost|kosten|summe|balance|saldo|fee|gebuehr|gebühr|eur|usd|gbp|€|\$|£/i;
const MONEY_VALUE = /[€$£¥]|\b(EUR|USD|GBP|CHF)\b/;
const IMAGE_HEADER = /image|photo|picture|logo|bild|foto/i;
/** Customer numbers, codes and keys are identifiers even when every value is digits. */
const ID_HEADER = /(^|[^a-z])(id|nr|no|key|code|nummer|number|num|plz|zip|postcode|postal)([^a-z]|$)|kundennummer|kundennr/i;
const BOOL_WORDS = new Set(['true', 'false', 'yes', 'no', 'ja', 'nein', 'oui', 'non', 'wahr', 'falsch']);

/** The type a column's values suggest (see the module comment). */
export function guessColumnType(header: string, values: readonly string[], locale: string): FieldType {
  const vs = values.map((v) => v.trim()).filter((v) => v !== '');
  if (IMAGE_HEADER.test(header)) return 'image';
  if (!vs.length) return 'text';
  if (ID_HEADER.test(header) && vs.every((v) => /^[\w./-]+$/.test(v))) return 'text';
  const all = (p: (v: string) => boolean) => vs.every(p);
  if (all(isValidEmail)) return 'email';
  if (all(isValidUrl)) return 'url';
  if (all((v) => BOOL_WORDS.has(v.toLowerCase()))) return 'boolean';
  // Leading zeros and phone-like values are identifiers, not quantities.
  if (vs.some((v) => /^0\d+$/.test(v) || /^\+/.test(v) || /\d[\s/-]\d{2,}[\s/-]\d/.test(v))) return 'text';
  if (all((v) => /\d/.test(v) && parseDateText(v, locale) !== undefined && !/^\d+$/.test(v))) return 'date';
  const stripped = (v: string) => v.replace(MONEY_VALUE, '').trim();
  if (all((v) => parseLocaleNumber(stripped(v), locale) !== undefined))
    return MONEY_HEADER.test(header) || vs.some((v) => MONEY_VALUE.test(v)) ? 'money' : 'number';
  return 'text';
}

/**
 * Guesses for the columns no field reads, in file order, with names free in `doc` and in each other.
 * `rows` are the file's raw cells by header.
 */
export function guessFieldsForColumns(
  doc: TemplateDocument,
  headers: readonly string[],
  rows: readonly Record<string, string | undefined>[],
): ColumnGuess[] {
  const taken = new Set<string>();
  const out: ColumnGuess[] = [];
  for (const header of headers) {
    const values = rows.map((r) => r[header] ?? '');
    const wanted = fieldNameFor(header);
    let name = freeFieldName(doc, wanted);
    for (let n = 2; taken.has(name); n++) name = freeFieldName(doc, `${wanted}_${n}`);
    taken.add(name);
    const first = values.find((v) => v.trim() !== '');
    const type = guessColumnType(header, values, doc.data.locale);
    const typed = first === undefined ? undefined : typeCell({ type }, first, doc.data);
    const sample = typed?.ok ? typed.value : undefined;
    out.push({
      header,
      name,
      type,
      required: values.length > 0 && values.every((v) => v.trim() !== ''),
      ...(sample === undefined ? {} : { sample: typeof sample === 'string' && sample.length > 200 ? sample.slice(0, 200) : sample }),
    });
  }
  return out;
}

/** The fields to add for confirmed guesses: the header becomes an alias when it differs from the name. */
export const fieldsFromGuesses = (guesses: readonly ColumnGuess[]): NewField[] =>
  guesses.map((g) => ({
    name: g.name,
    type: g.type,
    required: g.required,
    aliases: g.header === g.name ? [] : [g.header],
    ...(g.sample === undefined ? {} : { sample: g.sample }),
  }));
