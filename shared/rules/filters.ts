import type { Liquid } from 'liquidjs';
import { addToDate, formatDate, fromEpochDays, parseIsoDate, parseUnit, toIso, type CalendarDate } from './dates';
import { parseDateText, parseLocaleNumber } from '../data/typing';

/**
 * The filters a marketer needs, on top of Liquid's standard ones. All are pure: "today" comes from the
 * rules environment, locale and currency from the template's data schema (each filter takes overrides).
 *
 *   date: '%B %-d, %Y'            calendar date formatting (strftime; month names in the data locale)
 *   date_add: 6, 'months'         date arithmetic in days/weeks/months/years; month ends clamp (Aug 31 + 6 months = Feb 28)
 *   days_until / days_since       whole days between today and a date
 *   money[: 'EUR'[, 'de-DE']]     $1,234.50 / 1.234,50 €
 *   number[: decimals[, locale]]  1,234.5
 *   phone[: 'e164' | 'dots' | 'international']   (614) 555-0142
 *   title_case                    "mARIA  garcía-lópez" → "Maria García-López"
 *   fallback: 'there'             value, or the fallback when the value is missing or blank (also whitespace)
 *   truncate / truncatewords      standard Liquid
 */

export interface FilterEnv {
  /** ISO date of "today". */
  today: string;
  locale: string;
  currency: string;
}

/** Names of the filters Presswork adds (validation treats them as known). */
export const PRESSWORK_FILTERS = [
  'date',
  'date_add',
  'days_until',
  'days_since',
  'money',
  'number',
  'phone',
  'title_case',
  'fallback',
] as const;

const isBlank = (v: unknown) => v === undefined || v === null || v === false || (typeof v === 'string' && v.trim() === '');

/** A calendar date from a filter input: ISO string, "today"/"now", other common date text, or undefined. */
export function toCalendarDate(v: unknown, env: FilterEnv): CalendarDate | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === 'today' || s === 'now') return parseIsoDate(env.today);
    return parseIsoDate(s) ?? parseDateText(s, env.locale);
  }
  if (typeof v === 'number' && Number.isFinite(v)) return fromEpochDays(Math.floor(v / 86400)); // Unix seconds, as Liquid does.
  return undefined;
}

const toNumber = (v: unknown, locale: string): number | undefined => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') return parseLocaleNumber(v, locale) ?? parseLocaleNumber(v, 'en-US');
  return undefined;
};

const formatterCache = new Map<string, Intl.NumberFormat>();
const numberFormat = (locale: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat => {
  const key = `${locale}|${JSON.stringify(opts)}`;
  let f = formatterCache.get(key);
  if (!f) formatterCache.set(key, (f = new Intl.NumberFormat(locale, opts)));
  return f;
};

const moneyFormats = new Map<string, Intl.NumberFormat>();
export function formatMoney(amount: number, currency: string, locale: string): string {
  const key = `${locale}|${currency}`;
  let f = moneyFormats.get(key);
  if (!f) moneyFormats.set(key, (f = numberFormat(locale, { style: 'currency', currency })));
  return f.format(amount);
}

export function formatPhone(raw: string, style = 'national'): string {
  const digits = raw.replace(/\D/g, '');
  const nanp = digits.length === 10 ? digits : digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : undefined;
  if (!nanp) return raw.trim();
  const [a, b, c] = [nanp.slice(0, 3), nanp.slice(3, 6), nanp.slice(6)];
  switch (style) {
    case 'e164':
      return `+1${nanp}`;
    case 'dots':
      return `${a}.${b}.${c}`;
    case 'international':
      return `+1 ${a} ${b} ${c}`;
    default:
      return `(${a}) ${b}-${c}`;
  }
}

export function titleCase(s: string, locale = 'en-US'): string {
  return s
    .trim()
    .replace(/\s+/g, ' ')
    .toLocaleLowerCase(locale)
    .replace(/(^|[\s\-'’(])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toLocaleUpperCase(locale));
}

/** Register the Presswork filters on a Liquid instance. */
export function registerFilters(liquid: Liquid, env: FilterEnv): void {
  liquid.registerFilter('date', (v: unknown, format?: unknown, locale?: unknown) => {
    const d = toCalendarDate(v, env);
    if (!d) return v === undefined || v === null ? '' : String(v);
    return formatDate(d, typeof format === 'string' ? format : '%Y-%m-%d', typeof locale === 'string' ? locale : env.locale);
  });
  liquid.registerFilter('date_add', (v: unknown, amount?: unknown, unit?: unknown) => {
    const d = toCalendarDate(v, env);
    if (!d) return '';
    const n = Number(amount ?? 0);
    const u = parseUnit(typeof unit === 'string' ? unit : 'days');
    if (!Number.isInteger(n) || !u)
      throw new Error(`date_add needs a whole number and a unit (days, weeks, months, years), not ${String(amount)} ${String(unit)}`);
    return toIso(addToDate(d, n, u));
  });
  const diff = (v: unknown, sign: 1 | -1): number | '' => {
    const d = toCalendarDate(v, env);
    const t = parseIsoDate(env.today);
    if (!d || !t) return '';
    return sign * Math.round((Date.UTC(d.year, d.month - 1, d.day) - Date.UTC(t.year, t.month - 1, t.day)) / 86_400_000);
  };
  liquid.registerFilter('days_until', (v: unknown) => diff(v, 1));
  liquid.registerFilter('days_since', (v: unknown) => diff(v, -1));
  liquid.registerFilter('money', (v: unknown, currency?: unknown, locale?: unknown) => {
    const loc = typeof locale === 'string' ? locale : env.locale;
    const n = toNumber(v, loc);
    if (n === undefined) return isBlank(v) ? '' : String(v);
    return formatMoney(n, typeof currency === 'string' && currency ? currency : env.currency, loc);
  });
  liquid.registerFilter('number', (v: unknown, decimals?: unknown, locale?: unknown) => {
    const loc = typeof locale === 'string' ? locale : env.locale;
    const n = toNumber(v, loc);
    if (n === undefined) return isBlank(v) ? '' : String(v);
    const digits = decimals === undefined || decimals === null ? undefined : Math.max(0, Math.min(10, Math.trunc(Number(decimals))));
    return numberFormat(
      loc,
      digits === undefined ? { maximumFractionDigits: 3 } : { minimumFractionDigits: digits, maximumFractionDigits: digits },
    ).format(n);
  });
  liquid.registerFilter('phone', (v: unknown, style?: unknown) =>
    isBlank(v) ? '' : formatPhone(String(v), typeof style === 'string' ? style : 'national'),
  );
  liquid.registerFilter('title_case', (v: unknown) => (isBlank(v) ? '' : titleCase(String(v), env.locale)));
  liquid.registerFilter('fallback', (v: unknown, alt?: unknown) => (isBlank(v) ? (alt ?? '') : v));
}
