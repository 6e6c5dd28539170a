/**
 * Calendar dates without time zones. Dates are plain ISO strings (`YYYY-MM-DD`) everywhere in the engine:
 * they print as themselves, compare correctly as strings, and never shift with the machine's zone.
 * Arithmetic and formatting work on (year, month, day) triples; month names come from Intl in UTC.
 */

export interface CalendarDate {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export const daysInMonth = (y: number, m: number): number => (m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);

export function makeDate(year: number, month: number, day: number): CalendarDate | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

export const toIso = (d: CalendarDate): string => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
};

/** Parse an ISO date (`2026-05-14`, optionally with a time, which is ignored). */
export function parseIsoDate(s: string): CalendarDate | undefined {
  // Fast path for the plain form the engine stores dates in; everything else through the full pattern.
  if (s.length === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
    const m = digit(s, 5) * 10 + digit(s, 6);
    const d = digit(s, 8) * 10 + digit(s, 9);
    if (y === y && m === m && d === d) return makeDate(y, m, d);
  }
  const m = ISO_RE.exec(s.trim());
  if (!m) return undefined;
  return makeDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Days since 1970-01-01 (proleptic Gregorian). */
export const toEpochDays = (d: CalendarDate): number => Math.floor(Date.UTC(d.year, d.month - 1, d.day) / 86_400_000);

export function fromEpochDays(days: number): CalendarDate {
  const t = new Date(days * 86_400_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** Excel's serial day number (1900 date system, with its phantom 1900-02-29) → date. */
export const fromExcelSerial = (serial: number): CalendarDate => fromEpochDays(Math.floor(serial) - 25569);

export type DateUnit = 'days' | 'weeks' | 'months' | 'years';
const UNIT_ALIASES: Record<string, DateUnit> = {
  day: 'days',
  days: 'days',
  d: 'days',
  week: 'weeks',
  weeks: 'weeks',
  w: 'weeks',
  month: 'months',
  months: 'months',
  m: 'months',
  year: 'years',
  years: 'years',
  y: 'years',
};
export const parseUnit = (u: string): DateUnit | undefined => UNIT_ALIASES[u.trim().toLowerCase()];

/**
 * Add an amount of a unit. Months and years keep the day of month and clamp it to the target month's
 * length, as people and calendars do: 2026-08-31 + 6 months = 2027-02-28; 2024-02-29 + 1 year = 2025-02-28.
 */
export function addToDate(d: CalendarDate, amount: number, unit: DateUnit): CalendarDate {
  if (unit === 'days' || unit === 'weeks') return fromEpochDays(toEpochDays(d) + amount * (unit === 'weeks' ? 7 : 1));
  const months = unit === 'years' ? amount * 12 : amount;
  const index = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (d: CalendarDate): number => (((toEpochDays(d) + 4) % 7) + 7) % 7;

const nameCache = new Map<string, { months: string[]; monthsShort: string[]; days: string[]; daysShort: string[] }>();
function namesFor(locale: string) {
  let n = nameCache.get(locale);
  if (!n) {
    const f = (opts: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' });
    const long = f({ month: 'long' });
    const short = f({ month: 'short' });
    const wl = f({ weekday: 'long' });
    const ws = f({ weekday: 'short' });
    n = {
      months: Array.from({ length: 12 }, (_, i) => long.format(new Date(Date.UTC(2026, i, 15)))),
      monthsShort: Array.from({ length: 12 }, (_, i) => short.format(new Date(Date.UTC(2026, i, 15)))),
      // 2026-11-22 is a Sunday.
      days: Array.from({ length: 7 }, (_, i) => wl.format(new Date(Date.UTC(2026, 10, 22 + i)))),
      daysShort: Array.from({ length: 7 }, (_, i) => ws.format(new Date(Date.UTC(2026, 10, 22 + i)))),
    };
    nameCache.set(locale, n);
  }
  return n;
}

/** Month names (long) for a locale, for parsing "May 14, 2026". */
export const monthNames = (locale: string): { long: string[]; short: string[] } => {
  const n = namesFor(locale);
  return { long: n.months, short: n.monthsShort };
};

const num = (flag: string, n: number, w: number) => (flag === '-' ? String(n) : flag === '_' ? String(n).padStart(w, ' ') : pad(n, w));
const FORMAT_RE = /%([-_0^]?)([a-zA-Z%])/g;
type Names = ReturnType<typeof namesFor>;
type Directive = (d: CalendarDate, names: Names, locale: string) => string;

/** One strftime directive; undefined for an unknown one (kept as written). */
function directive(flag: string, c: string): Directive | undefined {
  const up = (s: string, locale: string) => (flag === '^' ? s.toLocaleUpperCase(locale) : s);
  switch (c) {
    case 'Y':
      return (d) => String(d.year);
    case 'y':
      return (d) => num(flag, d.year % 100, 2);
    case 'm':
      return (d) => num(flag, d.month, 2);
    case 'd':
      return (d) => num(flag, d.day, 2);
    case 'e':
      return (d) => (flag === '-' ? String(d.day) : String(d.day).padStart(2, ' '));
    case 'B':
      return (d, names, locale) => up(names.months[d.month - 1] ?? '', locale);
    case 'b':
    case 'h':
      return (d, names, locale) => up(names.monthsShort[d.month - 1] ?? '', locale);
    case 'A':
      return (d, names, locale) => up(names.days[weekday(d)] ?? '', locale);
    case 'a':
      return (d, names, locale) => up(names.daysShort[weekday(d)] ?? '', locale);
    case 'j':
      return (d) => num(flag, toEpochDays(d) - toEpochDays({ year: d.year, month: 1, day: 1 }) + 1, 3);
    case 'u':
      return (d) => String(weekday(d) || 7);
    case 'w':
      return (d) => String(weekday(d));
    case 'F':
      return (d) => toIso(d);
    case 'D':
      return (d) => `${pad(d.month)}/${pad(d.day)}/${pad(d.year % 100)}`;
    case 'x':
      return (d, _names, locale) =>
        new Intl.DateTimeFormat(locale, { timeZone: 'UTC' }).format(new Date(Date.UTC(d.year, d.month - 1, d.day)));
    case 'H':
    case 'M':
    case 'S':
      return () => num(flag, 0, 2);
    case 'I':
      return () => num(flag, 12, 2);
    case 'p':
      return () => 'AM';
    case '%':
      return () => '%';
    default:
      return undefined;
  }
}

/** A format string split once into literals and directives (formats are few, dates many). */
const compiledFormats = new Map<string, (string | Directive)[]>();
function compileFormat(format: string): (string | Directive)[] {
  let parts = compiledFormats.get(format);
  if (parts) return parts;
  parts = [];
  let last = 0;
  for (const m of format.matchAll(FORMAT_RE)) {
    const fn = directive(m[1]!, m[2]!);
    if (!fn) continue;
    if (m.index > last) parts.push(format.slice(last, m.index));
    parts.push(fn);
    last = m.index + m[0].length;
  }
  if (last < format.length) parts.push(format.slice(last));
  if (compiledFormats.size < 256) compiledFormats.set(format, parts);
  return parts;
}

/**
 * strftime for calendar dates: %Y %y %m %-m %d %-d %e %B %b %h %A %a %j %u %w %F %D %x %%.
 * Time directives (%H %M %S %I %p) print midnight. Unknown directives are kept as written.
 */
export function formatDate(d: CalendarDate, format: string, locale = 'en-US'): string {
  const names = namesFor(locale);
  const parts = compileFormat(format);
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    out += typeof p === 'string' ? p : p(d, names, locale);
  }
  return out;
}
