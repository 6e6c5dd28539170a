import type { DataField, FieldType } from '../model/data-schema';
import { EMAIL_ADDRESS_HINT, isEmailAddress } from '../links/address';
import { fromExcelSerial, makeDate, monthNames, parseIsoDate, toIso, type CalendarDate } from '../rules/dates';

/**
 * Turning one cell into a typed value, by the field's type in the template's data schema.
 *
 * Typed values: text/email/url/image → string; number/money → number; boolean → boolean; date → ISO
 * `YYYY-MM-DD` string. An empty cell is `undefined` (absent). A cell that cannot be read returns a
 * reason, never throws.
 */

export type TypedValue = string | number | boolean;
export type CellResult = { ok: true; value: TypedValue | undefined } | { ok: false; reason: string };

export interface TypingOptions {
  /** BCP 47 locale of the data (the schema's locale): decides "1.234,50" vs "1,234.50" and D/M vs M/D. */
  locale: string;
  currency: string;
}

interface NumberSeparators {
  group: string;
  decimal: string;
}
const separatorCache = new Map<string, NumberSeparators>();
export function separatorsFor(locale: string): NumberSeparators {
  let s = separatorCache.get(locale);
  if (!s) {
    const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
    s = {
      group: parts.find((p) => p.type === 'group')?.value ?? ',',
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    };
    separatorCache.set(locale, s);
  }
  return s;
}

const SPACES = /[\s\u00a0\u202f\u2009']/g;

/**
 * Locale-aware number reading. Accepts the locale's own form ("1.234,50" in de-DE), plain machine form
 * ("1234.50"), a leading or trailing currency symbol or ISO code, a leading minus, parentheses for
 * negatives (accounting), and thin/non-breaking spaces or apostrophes as group separators.
 */
export function parseLocaleNumber(raw: string, locale: string): number | undefined {
  let s = raw.trim();
  if (!s) return undefined;
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  // Currency symbols and codes, before or after.
  s = s.replace(/^(?:[A-Z]{3}|[$€£¥₹₩₽¢]|US\$|CHF|kr)\s*/u, '').replace(/\s*(?:[A-Z]{3}|[$€£¥₹₩₽¢]|kr)$/u, '');
  if (s.startsWith('-') || s.startsWith('\u2212')) {
    negative = !negative;
    s = s.slice(1).trim();
  } else if (s.startsWith('+')) s = s.slice(1).trim();
  s = s.replace(SPACES, '');
  if (!s) return undefined;
  const { group, decimal } = separatorsFor(locale);
  let normalised: string;
  if (/^\d+$/.test(s)) normalised = s;
  else if (/^\d+\.\d+$/.test(s) && !(group === '.' && /^\d{1,3}(\.\d{3})+$/.test(s))) normalised = s;
  else {
    const g = group === '\u00a0' || group === '\u202f' ? '' : group;
    const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const grouped = g ? new RegExp(`^\\d{1,3}(${esc(g)}\\d{3})*(${esc(decimal)}\\d+)?$`) : null;
    const plain = new RegExp(`^\\d+(${esc(decimal)}\\d+)?$`);
    if (grouped?.test(s)) normalised = s.split(g).join('').replace(decimal, '.');
    else if (plain.test(s)) normalised = s.replace(decimal, '.');
    else return undefined;
  }
  const n = Number(normalised);
  if (!Number.isFinite(n)) return undefined;
  return negative ? -n : n;
}

const DAY_FIRST_DEFAULT = (locale: string) => !/^en-(US|PH)$|^en$/i.test(locale) && !/-US$/i.test(locale);

/**
 * Dates in the common forms: ISO (2026-05-14, with or without a time), 2026/05/14, numeric with the
 * locale's day/month order (5/14/2026 in en-US, 14/5/2026 or 14.5.2026 elsewhere; two-digit years are
 * 20xx below 70), and month names in English or the locale ("May 14, 2026", "14 May 2026", "14. Mai 2026").
 */
export function parseDateText(raw: string, locale: string): CalendarDate | undefined {
  const s = raw.trim();
  if (!s) return undefined;
  const iso = parseIsoDate(s);
  if (iso) return iso;
  let m = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/.exec(s);
  if (m) return makeDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s);
  if (m) {
    let year = Number(m[3]);
    if (m[3]!.length === 2) year += year < 70 ? 2000 : 1900;
    const a = Number(m[1]);
    const b = Number(m[2]);
    const dayFirst = s.includes('.') || DAY_FIRST_DEFAULT(locale);
    return dayFirst ? makeDate(year, b, a) : makeDate(year, a, b);
  }
  const monthIndex = (name: string): number | undefined => {
    const n = name.toLowerCase().replace(/\.$/, '');
    for (const loc of [locale, 'en-US']) {
      const { long, short } = monthNames(loc);
      const i = long.findIndex((x) => x.toLowerCase() === n);
      if (i >= 0) return i + 1;
      const j = short.findIndex((x) => x.toLowerCase().replace(/\.$/, '') === n);
      if (j >= 0) return j + 1;
      if (n.length >= 3) {
        const k = long.findIndex((x) => x.toLowerCase().startsWith(n));
        if (k >= 0) return k + 1;
      }
    }
    return undefined;
  };
  m = /^([\p{L}.]+)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/u.exec(s);
  if (m) {
    const mo = monthIndex(m[1]!);
    return mo ? makeDate(Number(m[3]), mo, Number(m[2])) : undefined;
  }
  m = /^(\d{1,2})\.?\s*([\p{L}.]+)\.?,?\s+(\d{4})$/u.exec(s);
  if (m) {
    const mo = monthIndex(m[2]!);
    return mo ? makeDate(Number(m[3]), mo, Number(m[1])) : undefined;
  }
  return undefined;
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'x', 'ja', 'oui', 'sí', 'si', 'on', 'wahr']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'nein', 'non', 'off', 'falsch']);

/** The one address check (shared/links/address.ts), under the name the data readers have always used. */
export const isValidEmail = isEmailAddress;

/** Absolute http(s) URL with a dotted host name (or localhost), an optional port, and no spaces. */
const URL_RE =
  /^https?:\/\/(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+|localhost)(?::\d{1,5})?(?:[/?#][^\s<>"]*)?$/i;
export const isValidUrl = (s: string): boolean => URL_RE.test(s);

const describeType: Record<FieldType, string> = {
  text: 'text',
  number: 'a number',
  money: 'an amount of money',
  date: 'a date',
  email: 'an email address',
  url: 'a web address',
  image: 'an image reference',
  boolean: 'yes/no',
};

/** Type one cell. `raw` is a string from CSV/XLSX text, or a number/boolean from JSON or numeric XLSX cells. */
export function typeCell(field: Pick<DataField, 'type'>, raw: unknown, opts: TypingOptions): CellResult {
  if (raw === undefined || raw === null) return { ok: true, value: undefined };
  if (typeof raw === 'string' && raw.trim() === '' && field.type !== 'text') return { ok: true, value: undefined };
  if (typeof raw === 'string' && raw === '') return { ok: true, value: undefined };
  const text = typeof raw === 'string' ? raw : String(raw);
  const bad = (hint: string): CellResult => ({
    ok: false,
    reason: `${JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text)} is not ${describeType[field.type]}; ${hint}`,
  });
  switch (field.type) {
    case 'text':
    case 'image':
      return { ok: true, value: typeof raw === 'string' ? raw : text };
    case 'number':
    case 'money': {
      if (typeof raw === 'number') return Number.isFinite(raw) ? { ok: true, value: raw } : bad('use a finite number');
      const n = parseLocaleNumber(text, opts.locale);
      if (n === undefined) {
        const { group, decimal } = separatorsFor(opts.locale);
        return bad(`write it like 1${group}234${decimal}50 (locale ${opts.locale})`);
      }
      return { ok: true, value: n };
    }
    case 'date': {
      if (typeof raw === 'number') {
        if (raw > 0 && raw < 2_958_466) return { ok: true, value: toIso(fromExcelSerial(raw)) };
        return bad('use a date like 2026-05-14');
      }
      const d = parseDateText(text, opts.locale);
      return d ? { ok: true, value: toIso(d) } : bad('use a date like 2026-05-14 (ISO), or the locale form, or "May 14, 2026"');
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const w = text.trim().toLowerCase();
      if (TRUE_WORDS.has(w)) return { ok: true, value: true };
      if (FALSE_WORDS.has(w)) return { ok: true, value: false };
      return bad('use true/false, yes/no or 1/0');
    }
    case 'email': {
      const e = text.trim();
      return isValidEmail(e) ? { ok: true, value: e } : bad(EMAIL_ADDRESS_HINT);
    }
    case 'url': {
      const u = text.trim();
      return isValidUrl(u) ? { ok: true, value: u } : bad('use an absolute http(s) address like https://example.com/page');
    }
  }
}
