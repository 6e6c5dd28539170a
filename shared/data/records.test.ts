import { describe, expect, it } from 'vitest';
import { DataSchemaSchema, type DataSchema } from '../model/data-schema';
import { headerKey, parseDataFile, readRecords, formatDataIssue } from './records';
import { detectEncoding } from './decode';
import { parseDateText, parseLocaleNumber, typeCell } from './typing';

const schema: DataSchema = DataSchemaSchema.parse({
  recordKey: 'id',
  fields: [
    { name: 'id', required: true },
    { name: 'first_name', aliases: ['First Name'] },
    { name: 'email', type: 'email' },
    { name: 'amount', type: 'money' },
    { name: 'since', type: 'date' },
    { name: 'vip', type: 'boolean' },
    { name: 'note' },
  ],
});
const utf8 = (s: string) => new TextEncoder().encode(s);
const cp1252 = (s: string) => Uint8Array.from([...s].map((c) => ({ é: 0xe9, ü: 0xfc, '€': 0x80, '’': 0x92 })[c] ?? c.charCodeAt(0)));
const utf16le = (s: string, bom = true) => {
  const out = new Uint8Array((bom ? 2 : 0) + s.length * 2);
  if (bom) out.set([0xff, 0xfe]);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[(bom ? 2 : 0) + i * 2] = c & 0xff;
    out[(bom ? 2 : 0) + i * 2 + 1] = c >> 8;
  }
  return out;
};

const NASTY = [
  'id,First Name,email,amount,since,vip,note',
  '1,"<script>alert(1)</script>",a@example.com,"1,234.50",2026-08-31,yes,"line one',
  'line two, with comma"',
  '2,"{{ 7*7 }}",b@example.com,12,05/14/2026,no,"she said ""hi"" & left"',
  "3,{% raw %},not-an-email,abc,2026-02-30,maybe,'single'",
  ',Nobody,c@example.com,1,2026-01-01,true,missing id',
].join('\r\n');

describe('CSV', () => {
  it('reads RFC 4180 quoting, embedded newlines and doubled quotes, and types values', async () => {
    const r = await parseDataFile(utf8(NASTY), 'c.csv', schema);
    expect(r.info).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',' });
    expect(r.rows).toHaveLength(4);
    const [a, b] = r.rows;
    expect(a!.values).toEqual({
      id: '1',
      first_name: '<script>alert(1)</script>',
      email: 'a@example.com',
      amount: 1234.5,
      since: '2026-08-31',
      vip: true,
      note: 'line one\r\nline two, with comma',
    });
    expect(b!.line).toBe(4);
    expect(b!.values).toMatchObject({ first_name: '{{ 7*7 }}', since: '2026-05-14', vip: false, note: 'she said "hi" & left' });
  });

  it('reports every bad cell with row, line, column and reason, and keeps going', async () => {
    const r = await parseDataFile(utf8(NASTY), 'c.csv', schema);
    const bad = r.rows[2]!;
    // The one policy for unreadable values: optional fields are left out with a warning, the record goes on.
    expect(bad.ok).toBe(true);
    expect(bad.values).toEqual({ id: '3', first_name: '{% raw %}', note: "'single'" });
    expect(bad.issues.map((i) => [i.row, i.line, i.column, i.code, i.severity])).toEqual([
      [3, 5, 'email', 'bad-value', 'warning'],
      [3, 5, 'amount', 'bad-value', 'warning'],
      [3, 5, 'since', 'bad-value', 'warning'],
      [3, 5, 'vip', 'bad-value', 'warning'],
    ]);
    expect(formatDataIssue(bad.issues[0]!)).toMatch(
      /^row 3 \(line 5\), column "email": warning: "not-an-email" is not an email address; .*; the field is optional, so the value is left out$/,
    );
    expect(r.rows[3]!.issues).toEqual([expect.objectContaining({ row: 4, column: 'id', code: 'missing-required', severity: 'error' })]);
    expect(r.records.map((x) => x.values.id)).toEqual(['1', '2', '3']);
  });

  it('stops a record whose required field cannot be read', async () => {
    const required = DataSchemaSchema.parse({
      ...schema,
      fields: schema.fields.map((f) => (f.name === 'amount' ? { ...f, required: true } : f)),
    });
    const r = await parseDataFile(utf8(NASTY), 'c.csv', required);
    expect(r.rows[2]!.ok).toBe(false);
    expect(r.rows[2]!.issues.find((i) => i.column === 'amount')).toMatchObject({ code: 'bad-value', severity: 'error' });
  });

  it('gives the same rows when the bytes arrive one at a time (chunk boundaries inside quotes and CRLF)', async () => {
    const bytes = utf8(`\uFEFF${NASTY}`);
    const stream = readRecords(
      (async function* () {
        for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
      })(),
      { name: 'c.csv', schema },
    );
    const rows = [];
    for await (const row of stream) rows.push(row);
    const whole = await parseDataFile(utf8(NASTY), 'c.csv', schema);
    expect(rows).toEqual(whole.rows);
  });

  it('strips a UTF-8 BOM and detects ; and tab delimiters', async () => {
    const semi = await parseDataFile(utf8('\uFEFFid;first_name;amount\n7;Zoë;"1.234,50"\n'), 'x.csv', { ...schema, locale: 'de-DE' });
    expect(semi.info.delimiter).toBe(';');
    expect(semi.info.columns[0]).toEqual({ header: 'id', field: 'id' });
    expect(semi.rows[0]!.values).toEqual({ id: '7', first_name: 'Zoë', amount: 1234.5 });
    const tsv = await parseDataFile(utf8('id\tfirst_name\n8\tAl, Jr.\n'), 'x.tsv', schema);
    expect(tsv.rows[0]!.values).toEqual({ id: '8', first_name: 'Al, Jr.' });
  });

  it('reads Windows-1252 (as Excel writes it) and UTF-16 with and without BOM', async () => {
    const text = 'id,first_name,note\n1,José Müller,5 € ’quoted’\n';
    const win = await parseDataFile(cp1252(text), 'w.csv', schema);
    expect(win.info.encoding).toBe('windows-1252');
    expect(win.rows[0]!.values).toEqual({ id: '1', first_name: 'José Müller', note: '5 € ’quoted’' });
    for (const bytes of [utf16le(text), utf16le(text, false)]) {
      const r = await parseDataFile(bytes, 'u.csv', schema);
      expect(r.info.encoding).toBe('utf-16le');
      expect(r.rows[0]!.values.first_name).toBe('José Müller');
    }
    expect(detectEncoding(Uint8Array.from([0xfe, 0xff, 0, 0x41])).encoding).toBe('utf-16be');
  });

  it('reports unknown and missing required columns at file level', async () => {
    const r = await parseDataFile(utf8('first_name,colour\nA,red\n'), 'x.csv', schema);
    expect(r.rows).toEqual([]);
    expect(r.issues.map((i) => [i.row, i.code, i.severity])).toEqual([
      [0, 'unknown-column', 'warning'],
      [0, 'missing-column', 'error'],
    ]);
  });

  it('reports duplicate record keys and rows with extra cells', async () => {
    const r = await parseDataFile(utf8('id,first_name\n1,A\n1,B,extra\n'), 'x.csv', schema);
    expect(r.rows[1]!.issues.map((i) => i.code)).toEqual(['extra-cells', 'duplicate-key']);
  });
});

describe('JSON and NDJSON', () => {
  it('reads an array of objects with native types and reports nested values', async () => {
    const r = await parseDataFile(
      utf8(JSON.stringify([{ id: 1, first_name: '<b>&', amount: 12.5, vip: true, note: { x: 1 } }])),
      'r.json',
      schema,
    );
    expect(r.rows[0]!.values).toEqual({ id: '1', first_name: '<b>&', amount: 12.5, vip: true });
    expect(r.rows[0]!.issues.map((i) => i.code)).toEqual(['nested-value']);
  });
  it('reads NDJSON line by line; a broken line is reported and the rest still read', async () => {
    const r = await parseDataFile(utf8('{"id":"1","first_name":"{% raw %}"}\n{oops\n\n{"id":"3","email":"x@y.io"}\n'), 'r.ndjson', schema);
    expect(r.rows.map((x) => [x.row, x.line, x.ok])).toEqual([
      [1, 1, true],
      [2, 2, false],
      [3, 4, true],
    ]);
    expect(r.rows[1]!.issues[0]!.code).toBe('bad-json');
  });
});

describe('typing', () => {
  it('reads numbers and money by locale', () => {
    expect(parseLocaleNumber('$1,234.50', 'en-US')).toBe(1234.5);
    expect(parseLocaleNumber('1.234,50 €', 'de-DE')).toBe(1234.5);
    expect(parseLocaleNumber('(12.00)', 'en-US')).toBe(-12);
    expect(parseLocaleNumber('1,5', 'de-DE')).toBe(1.5);
    expect(parseLocaleNumber('1,234', 'de-DE')).toBe(1.234);
    expect(parseLocaleNumber('12abc', 'en-US')).toBeUndefined();
  });
  it('reads dates in common forms, by the locale order, and rejects impossible ones', () => {
    expect(parseDateText('5/14/2026', 'en-US')).toEqual({ year: 2026, month: 5, day: 14 });
    expect(parseDateText('14/5/2026', 'en-GB')).toEqual({ year: 2026, month: 5, day: 14 });
    expect(parseDateText('14.05.2026', 'de-DE')).toEqual({ year: 2026, month: 5, day: 14 });
    expect(parseDateText('May 14, 2026', 'en-US')).toEqual({ year: 2026, month: 5, day: 14 });
    expect(parseDateText('14. Mai 2026', 'de-DE')).toEqual({ year: 2026, month: 5, day: 14 });
    expect(parseDateText('2026-02-29', 'en-US')).toBeUndefined();
    expect(typeCell({ type: 'date' }, 46156, { locale: 'en-US', currency: 'USD' })).toEqual({ ok: true, value: '2026-05-14' });
  });
  it('validates email and URL values', () => {
    const o = { locale: 'en-US', currency: 'USD' };
    expect(typeCell({ type: 'email' }, 'maria.garcia@@example', o).ok).toBe(false);
    expect(typeCell({ type: 'email' }, ' maria@example.com ', o)).toEqual({ ok: true, value: 'maria@example.com' });
    expect(typeCell({ type: 'url' }, 'javascript:alert(1)', o).ok).toBe(false);
    expect(typeCell({ type: 'url' }, 'https://dealer.example/service?c=1', o).ok).toBe(true);
  });
});

describe('header matching', () => {
  const de: DataSchema = DataSchemaSchema.parse({
    recordKey: 'kunden_nr',
    locale: 'de-DE',
    currency: 'EUR',
    fields: [
      { name: 'kunden_nr', required: true },
      { name: 'email', type: 'email', required: true },
      { name: 'postal_code' },
      { name: 'first_name', label: 'Vorname' },
      { name: 'city', aliases: ['Wohn-Ort'] },
    ],
  });

  it('ignores case, spaces, underscores and hyphens (E-Mail, KundenNr, Postal Code, labels, aliases)', async () => {
    const csv = 'KundenNr;E-Mail;Postal Code;VOR NAME;wohn_ort\n4711;anna@example.de;10115;Anna;Berlin\n';
    const r = await parseDataFile(utf8(csv), 'k.csv', de);
    expect(r.issues).toEqual([]);
    expect(r.info.columns.map((c) => c.field)).toEqual(['kunden_nr', 'email', 'postal_code', 'first_name', 'city']);
    expect(r.rows[0]!.values).toEqual({
      kunden_nr: '4711',
      email: 'anna@example.de',
      postal_code: '10115',
      first_name: 'Anna',
      city: 'Berlin',
    });
  });

  it('is one function: headerKey', () => {
    expect(headerKey('E-Mail')).toBe(headerKey('email'));
    expect(headerKey('KundenNr')).toBe(headerKey('kunden_nr'));
    expect(headerKey(' Postal  Code ')).toBe(headerKey('postal_code'));
    expect(headerKey('Gr\u0075\u0308\u00dfe')).toBe(headerKey('gr\u00fc\u00dfe'));
    expect(headerKey('e.mail')).not.toBe(headerKey('email'));
  });

  it('prefers a field name over another field’s alias with the same key', async () => {
    const s = DataSchemaSchema.parse({
      recordKey: 'id',
      fields: [
        { name: 'id', aliases: ['email'] },
        { name: 'email', type: 'email' },
      ],
    });
    const r = await parseDataFile(utf8('E-Mail\na@example.com\n'), 'x.csv', s);
    expect(r.info.columns[0]!.field).toBe('email');
  });
});

describe('undecodable input is an error, never mojibake', () => {
  const s: DataSchema = DataSchemaSchema.parse({
    recordKey: 'id',
    fields: [
      { name: 'id', required: true },
      { name: 'strasse', aliases: ['Straße'] },
    ],
  });
  const latin = Uint8Array.from([...'id;Straße\n1;Hauptstraße 5\n'].map((c) => c.charCodeAt(0)));

  it('reads a declared Windows-1252 file, and refuses one declared UTF-8 that is not', async () => {
    const ok = await parseDataFile(latin, 'k.csv', s, { encoding: 'windows-1252' });
    expect(ok.rows[0]!.values).toEqual({ id: '1', strasse: 'Hauptstraße 5' });
    const bad = await parseDataFile(latin, 'k.csv', s, { encoding: 'utf-8' });
    expect(bad.issues.filter((i) => i.severity === 'error').map((i) => i.code)).toEqual(['encoding']);
    expect(formatDataIssue(bad.issues.find((i) => i.code === 'encoding')!)).toMatch(/declared UTF-8 but is not/);
  });

  it('refuses binary data and a quote left open to the end of the file', async () => {
    const bin = await parseDataFile(Uint8Array.from([0x69, 0x64, 0x0a, 0x31, 0x00, 0x02]), 'x.csv', s);
    expect(bin.issues.find((i) => i.severity === 'error')?.message).toMatch(/binary data \(a zero byte at offset 4\)/);
    const open = await parseDataFile(utf8('id;Straße\n1;"Haupt\n2;Neben\n3;Ring\n'), 'x.csv', s);
    expect(open.rows).toHaveLength(0);
    expect(open.issues.find((i) => i.severity === 'error')).toMatchObject({ code: 'csv-syntax' });
    expect(open.issues.find((i) => i.severity === 'error')?.message).toMatch(/line 2: a quoted value is not closed/);
  });
});
