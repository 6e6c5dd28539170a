import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplate } from '../../server/templates/load';
import { writeTemplatePackage } from '../../shared/model/package';
import type { RunningServer } from '../../server/server';
import { openLibrary, type Db } from '../../main/services/library-db';
import { TemplateService } from '../../main/services/templates';
import { DataService } from '../../main/services/data';
import { runPresswork } from '../support/cli';
import { parseEml } from '../email/eml-parse';
import { client, SAMPLE_DIR, startSmtpSink, startTestServer, tempDir, token, waitFor, type SmtpSink } from './harness';

/**
 * One data path (issue 13, item 1): the same German Excel export — Windows-1252, `;`, decimal commas, day-first
 * dates, `x` for yes, `E-Mail`/`KundenNr`/`Postal Code` headers, hostile values — and a UTF-16 export with RTL, CJK
 * and emoji give identical typed records through the CLI (`compose email`), HTTP jobs (a stored dataset, a file sent
 * as bytes), real-time sends (POST /api/v1/messages) and the studio's data service. Each path's typed record is
 * printed by the template, one `F:field=value` line per field, and read back from the composed messages.
 */

const FIELDS = ['kunden_nr', 'email', 'vorname', 'strasse', 'postal_code', 'betrag', 'datum', 'gutschein', 'notiz'] as const;
const HEADERS = ['KundenNr', 'E-Mail', 'Vorname', 'Straße', 'Postal Code', 'Betrag', 'Datum', 'Gutschein', 'Notiz'];

const DE_ROWS = [
  ['1001', 'anna@example.de', 'Jürgen', 'Hauptstraße 5', '10115', '1.234,50', '03.04.2026', 'x', '<script>alert(1)</script>'],
  ['1002', 'bernd@example.de', '{{ 7*7 }}', 'Königsallee 1', '40212', '12,00', '31.12.2026', '', 'javascript:alert(1)'],
  ['1003', 'carla@example.de', 'Zoë "Q" <b>', 'Straße – 7', '80331', '-7,5', '01.02.2026', 'nein', '€ 5 “Gänsefüßchen” & ‹›'],
];
const INTL_ROWS = [
  ['2001', 'dana@example.de', 'مرحبا بالعالم', 'שלום 3', '01067', '2.000,00', '14.05.2026', 'ja', '日本語のテキスト 😀👍🏽'],
  ['2002', 'emil@example.de', '张伟', '서울 1', '20095', '0,99', '29.02.2028', 'X', 'Ünïcödé ✓ 🇩🇪'],
];

const csv = (rows: string[][]) =>
  [HEADERS, ...rows].map((r) => r.map((c) => (/[;"\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(';')).join('\r\n') + '\r\n';
const cp1252 = (text: string) => {
  const map: Record<string, number> = { '€': 0x80, '–': 0x96, '“': 0x93, '”': 0x94, '‹': 0x8b, '›': 0x9b };
  return Uint8Array.from([...text].map((ch) => map[ch] ?? (ch.charCodeAt(0) <= 0xff ? ch.charCodeAt(0) : 0x3f)));
};
const utf16le = (text: string) => new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));

const DE_BYTES = cp1252(csv(DE_ROWS));
const INTL_BYTES = utf16le(csv(INTL_ROWS));

/** What a typed record must be (de-DE): numbers, ISO dates, booleans; absent when empty. */
const EXPECTED_1001 = {
  kunden_nr: '1001',
  email: 'anna@example.de',
  vorname: 'Jürgen',
  strasse: 'Hauptstraße 5',
  postal_code: '10115',
  betrag: '1234.5',
  datum: '2026-04-03',
  gutschein: 'true',
  notiz: '<script>alert(1)</script>',
};

type Dump = Record<string, string>;

/** The `F:field=value` lines of a message's text part. */
function dumpOf(raw: string | Buffer): Dump {
  const text = parseEml(typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw).parts[0]!.body;
  const out: Dump = {};
  for (const m of text.matchAll(/^F:([a-z_]+)=(.*)$/gm)) out[m[1]!] = m[2]!.trimEnd();
  return out;
}

const byKey = (dumps: Dump[]) => Object.fromEntries(dumps.map((d) => [d.kunden_nr, d]));

/** A template printing every typed field of the record (numbers raw, dates as stored, booleans as true/false/none). */
function writeTemplate(dir: string): void {
  cpSync(SAMPLE_DIR, dir, { recursive: true });
  const raw = JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8')) as Record<string, unknown> & {
    email: Record<string, unknown>;
  };
  raw.id = 'data-parity';
  raw.name = 'Data parity';
  raw.data = {
    recordKey: 'kunden_nr',
    locale: 'de-DE',
    currency: 'EUR',
    fields: [
      { name: 'kunden_nr', type: 'text', required: true },
      { name: 'email', type: 'email', required: true },
      { name: 'vorname', type: 'text' },
      { name: 'strasse', type: 'text', aliases: ['Straße'] },
      { name: 'postal_code', type: 'text' },
      { name: 'betrag', type: 'money' },
      { name: 'datum', type: 'date' },
      { name: 'gutschein', type: 'boolean' },
      { name: 'notiz', type: 'text' },
    ],
  };
  raw.rules = [];
  delete raw.variants;
  delete raw.print;
  const line = (f: string) =>
    f === 'gutschein'
      ? 'F:gutschein={% if gutschein == true %}true{% elsif gutschein == false %}false{% else %}none{% endif %}'
      : `F:${f}={{ ${f} }}`;
  raw.email = {
    ...raw.email,
    subject: 'Kunde {{ kunden_nr }}',
    preheader: '',
    from: { name: 'Presswork Test', email: 'test@presswork.example' },
    sections: [
      {
        id: 's',
        columns: [{ id: 'c', blocks: [{ id: 't', type: 'text', paragraphs: FIELDS.map((f) => ({ runs: [{ text: line(f) }] })) }] }],
      },
    ],
  };
  writeFileSync(join(dir, 'template.json'), JSON.stringify(raw, null, 2));
}

describe('one data path: CLI, HTTP jobs, real-time sends and the studio type a file identically', () => {
  const tmp = tempDir('parity');
  const tplDir = join(tmp.dir, 'template');
  let sink: SmtpSink;
  let server: RunningServer;
  let operator: ReturnType<typeof client>;
  let db: Db;
  const cli: Record<string, Record<string, Dump>> = {};

  beforeAll(async () => {
    writeTemplate(tplDir);
    writeFileSync(join(tmp.dir, 'kunden-de.csv'), DE_BYTES);
    writeFileSync(join(tmp.dir, 'kunden-intl.csv'), INTL_BYTES);
    for (const f of ['kunden-de.csv', 'kunden-intl.csv']) {
      const out = join(tmp.dir, `out-${f}`);
      const r = await runPresswork(['compose', 'email', tplDir, '--data', join(tmp.dir, f), '--out', out, '--today', '2026-11-22']);
      expect(r.code, r.stderr).toBe(0);
      cli[f] = byKey(
        readdirSync(out)
          .filter((x) => x.endsWith('.eml'))
          .map((x) => dumpOf(readFileSync(join(out, x)))),
      );
    }
    sink = await startSmtpSink();
    server = await startTestServer(join(tmp.dir, 'server'), {}, sink.port);
    const loaded = await loadTemplate(tplDir);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const publisher = client(server.url, token(server, 'publisher'));
    const pub = await publisher('POST', '/api/v1/templates', writeTemplatePackage(loaded.pkg), { 'content-type': 'application/zip' });
    expect(pub.status, pub.text).toBe(201);
    operator = client(server.url, token(server, 'operator'));
    db = openLibrary(join(tmp.dir, 'studio'));
  }, 180_000);

  afterAll(async () => {
    db?.close();
    await server?.close();
    await sink?.close();
    tmp.remove();
  });

  /** Run an email job on `data` and return the dumps of the messages it sent. */
  async function job(data: unknown): Promise<Record<string, Dump>> {
    const before = sink.messages.length;
    const res = await operator('POST', '/api/v1/jobs', { templateId: 'data-parity', version: 1, channels: ['email'], data });
    expect(res.status, res.text).toBe(201);
    const id = String(res.json.id);
    const done = await waitFor(
      'the job to finish',
      async () => {
        const j = await operator('GET', `/api/v1/jobs/${id}`);
        return ['completed', 'failed'].includes(String(j.json.status)) ? j.json : undefined;
      },
      60_000,
    );
    expect(done.status, JSON.stringify(done)).toBe('completed');
    return byKey(sink.messages.slice(before).map((m) => dumpOf(m.raw)));
  }

  it('the CLI types the de-DE file by the locale (1.234,50 → 1234.5, 03.04.2026 → 2026-04-03, x → true)', () => {
    expect(cli['kunden-de.csv']!['1001']).toEqual(EXPECTED_1001);
    expect(cli['kunden-de.csv']!['1002']).toMatchObject({
      betrag: '12',
      datum: '2026-12-31',
      gutschein: 'none',
      notiz: 'javascript:alert(1)',
    });
    expect(cli['kunden-de.csv']!['1003']).toMatchObject({ vorname: 'Zoë "Q" <b>', betrag: '-7.5', gutschein: 'false' });
    expect(cli['kunden-intl.csv']!['2001']).toMatchObject({ vorname: 'مرحبا بالعالم', notiz: '日本語のテキスト 😀👍🏽', betrag: '2000' });
  });

  it('an uploaded dataset (detected and declared Windows-1252) and a file sent as bytes give the same records', async () => {
    const detected = await operator('POST', '/api/v1/datasets?name=kunden-de', DE_BYTES, { 'content-type': 'text/csv' });
    expect(detected.status, detected.text).toBe(201);
    // Stored decoded, never as mojibake: the header keeps its ß.
    expect(detected.json.fields).toEqual(HEADERS);
    expect(detected.json.records).toBe(3);
    expect(await job({ datasetId: detected.json.id })).toEqual(cli['kunden-de.csv']);

    const declared = await operator('POST', '/api/v1/datasets', DE_BYTES, { 'content-type': 'text/csv; charset=windows-1252' });
    expect(declared.status, declared.text).toBe(201);
    expect(await job({ datasetId: declared.json.id })).toEqual(cli['kunden-de.csv']);

    const latin1 = await operator('POST', '/api/v1/datasets', DE_BYTES, { 'content-type': 'text/csv; charset=ISO-8859-1' });
    expect(latin1.status, latin1.text).toBe(201);

    const utf16 = await operator('POST', '/api/v1/datasets', INTL_BYTES, { 'content-type': 'text/csv' });
    expect(utf16.status, utf16.text).toBe(201);
    expect(utf16.json.fields).toEqual(HEADERS);
    expect(await job({ datasetId: utf16.json.id })).toEqual(cli['kunden-intl.csv']);

    expect(await job({ file: { base64: Buffer.from(DE_BYTES).toString('base64'), format: 'csv' } })).toEqual(cli['kunden-de.csv']);
  }, 180_000);

  it('inline records and real-time sends (the rows as the file has them) give the same records', async () => {
    const records = [...DE_ROWS, ...INTL_ROWS].map((r) => Object.fromEntries(HEADERS.map((h, i) => [h, r[i]!])));
    // A job's inline records: rows without a value keep the key with an empty string, as a CSV reader gives them.
    expect(await job({ records: records.slice(0, 3) })).toEqual(cli['kunden-de.csv']);
    const all = { ...cli['kunden-de.csv'], ...cli['kunden-intl.csv'] };
    for (const record of records) {
      const before = sink.messages.length;
      const res = await operator('POST', '/api/v1/messages', { templateId: 'data-parity', version: 1, record });
      expect(res.status, res.text).toBe(200);
      await waitFor('the real-time message', () => (sink.messages.length > before ? true : undefined), 20_000);
      const d = dumpOf(sink.messages[sink.messages.length - 1]!.raw);
      expect(d).toEqual(all[record.KundenNr!]);
    }
  }, 120_000);

  it("the studio's data service types both files into the same values", async () => {
    const templates = new TemplateService(db, () => new Date('2026-11-22T10:00:00Z'), SAMPLE_DIR);
    const session = await templates.openPath(tplDir);
    const data = new DataService(db, templates, () => new Date('2026-11-22T10:00:00Z'));
    for (const [file, bytes] of [
      ['kunden-de.csv', DE_BYTES],
      ['kunden-intl.csv', INTL_BYTES],
    ] as const) {
      const view = await data.import(session.id, file, bytes);
      const rows = await data.rows(view.id);
      const dumps = rows.map((r) => {
        const v = r.values as Record<string, unknown>;
        return Object.fromEntries(
          FIELDS.map((f) => [f, f === 'gutschein' ? (v[f] === undefined ? 'none' : String(v[f])) : v[f] === undefined ? '' : String(v[f])]),
        );
      });
      expect(byKey(dumps)).toEqual(cli[file]);
    }
  });

  it('an undecodable upload is a 4xx that says why, and nothing is stored', async () => {
    const before = (await operator('GET', '/api/v1/datasets')).json.datasets as unknown[];
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const bin = await operator('POST', '/api/v1/datasets', png, { 'content-type': 'text/csv' });
    expect(bin.status).toBe(422);
    expect(bin.json.error?.message).toMatch(/binary data/);

    const lying = await operator('POST', '/api/v1/datasets', DE_BYTES, { 'content-type': 'text/csv; charset=utf-8' });
    expect(lying.status).toBe(422);
    expect(lying.json.error?.message).toMatch(/declared UTF-8 but is not/);

    const unknown = await operator('POST', '/api/v1/datasets', DE_BYTES, { 'content-type': 'text/csv; charset=shift_jis' });
    expect(unknown.status).toBe(415);
    expect(unknown.json.error?.message).toMatch(/shift_jis/);

    // Text already decoded with the wrong encoding by the sender (U+FFFD) is refused, not stored as mojibake.
    const mojibake = Buffer.from(DE_BYTES).toString('utf8');
    const res = await operator('POST', '/api/v1/jobs', {
      templateId: 'data-parity',
      version: 1,
      channels: ['email'],
      data: { file: { content: mojibake, format: 'csv' } },
    });
    expect(res.status).toBe(422);
    expect(res.json.error?.message).toMatch(/U\+FFFD/);

    const broken16 = utf16le('KundenNr;E-Mail\r\n1;a@example.de\r\n');
    const cut = Uint8Array.from([...broken16, 0x3d, 0xd8, 0x41, 0x00]); // a high surrogate without its pair
    const r16 = await operator('POST', '/api/v1/datasets', cut, { 'content-type': 'text/csv' });
    expect(r16.status).toBe(422);
    expect(r16.json.error?.message).toMatch(/not valid UTF-16LE/);

    expect((await operator('GET', '/api/v1/datasets')).json.datasets).toEqual(before);
  });
});
