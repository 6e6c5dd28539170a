import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudio, type Studio } from '../studio';
import { keyFileSecrets } from './secrets';
import { dispatch } from '../ipc/dispatch';
import type { DatasetView } from '../../shared/ipc/contract';
import type { TemplateDocument } from '../../shared/model/document';
import { addFields, fieldsFromGuesses, removeField, setDataFormat, setRecordKey, type OpResult } from '../../shared/ops';

const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');
const must = (r: OpResult): TemplateDocument => {
  if (!r.ok) throw new Error(r.error.message);
  return r.doc;
};

/** A German Excel export: Windows-1252, ";" separator, decimal commas, dd.mm.yyyy dates, "E-Mail", hostile notes. */
const GERMAN = Buffer.from(
  [
    'Kunden-Nr.;Vorname;E-Mail;Betrag;Termin;PLZ;Notiz',
    '1001;Jürgen;j@example.de;1.234,50;03.04.2026;01067;<script>alert(1)</script>',
    '1002;Zoë;z@example.de;12,00;14.05.2026;80331;{{ 7*7 }}',
    '1003;Ĳsbrand;i@example.de;7,5;01.12.2026;10115;"javascript:alert(1)"',
  ].join('\r\n'),
  'latin1',
);

describe('data that stays with its template, and fields from its columns', () => {
  let dir: string;
  let studio: Studio;
  let clock = Date.parse('2026-11-22T10:00:00Z');
  const start = () =>
    createStudio({
      userData: dir,
      transport: 'web',
      secrets: keyFileSecrets(dir),
      emit: () => undefined,
      now: () => new Date((clock += 1000)),
    });
  const call = async <T>(channel: string, args: unknown): Promise<T> => {
    const r = await dispatch(studio.handlers, channel, args);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'studio-data-'));
    studio = start();
  });
  afterAll(async () => {
    await studio.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists ignored columns with typed guesses, and reads them once fields exist', async () => {
    const t = await call<{ id: string }>('template:create', {
      name: 'Winter check',
      preset: 'postcard-6x9',
      custom: null,
      brandFrom: null,
    });
    // The designer sets the locale to German first (Fields editor), as the draft journal would send it.
    const { document } = await call<{ document: TemplateDocument }>('template:get', { id: t.id });
    const german = must(setDataFormat(document, { locale: 'de-DE', currency: 'EUR' }));
    await call('template:autosave', { id: t.id, document: german });

    const ds = await call<DatasetView>('data:import', { templateId: t.id, file: { fileName: 'kunden.csv', data: b64(GERMAN) } });
    expect(ds.templateId).toBe(t.id);
    expect(ds.ignored.map((g) => [g.header, g.name, g.type])).toEqual([
      ['Kunden-Nr.', 'kunden_nr', 'text'],
      ['Vorname', 'vorname', 'text'],
      ['E-Mail', 'e_mail', 'email'],
      ['Betrag', 'betrag', 'money'],
      ['Termin', 'termin', 'date'],
      ['PLZ', 'plz', 'text'],
      ['Notiz', 'notiz', 'text'],
    ]);
    expect(ds.ignored.find((g) => g.header === 'Vorname')!.sample).toBe('Jürgen');
    expect(ds.ignored.find((g) => g.header === 'Betrag')!.sample).toBe(1234.5);
    expect(ds.problems.filter((p) => p.message.includes('is ignored'))).toHaveLength(7);

    // A file without the new template's record key column reads no rows until the key is one of its columns.
    expect(ds.rows).toBe(0);
    // Until then the record stepper shows the template's sample record instead of failing.
    const sample = await call<{ total: number; values: Record<string, string> }>('data:record', {
      templateId: t.id,
      datasetId: ds.id,
      index: 0,
    });
    expect(sample).toMatchObject({ total: 1, values: { customer_id: 'C-000001', first_name: 'Alex' } });
    expect(ds.problems.map((p) => p.message)).toContainEqual(expect.stringContaining('required field "customer_id" has no column'));
    let withFields = must(addFields(german, { fields: fieldsFromGuesses(ds.ignored) }));
    withFields = must(setRecordKey(withFields, { name: 'kunden_nr' }));
    withFields = must(removeField(withFields, { name: 'customer_id' }));
    await call('template:autosave', { id: t.id, document: withFields });
    const again = await call<DatasetView>('data:get', { datasetId: ds.id });
    expect(again.rows).toBe(3);
    expect(again.ignored).toEqual([]);
    expect(again.problems.filter((p) => p.message.includes('is ignored'))).toEqual([]);
    const rec = await call<{ values: Record<string, string | number> }>('data:values', { templateId: t.id, datasetId: ds.id, index: 0 });
    expect(rec.values).toMatchObject({
      vorname: 'Jürgen',
      e_mail: 'j@example.de',
      betrag: 1234.5,
      termin: '2026-04-03',
      plz: '01067',
      notiz: '<script>alert(1)</script>',
    });
  });

  it('keeps one entry per file, remembers the current dataset, and restores it after a restart', async () => {
    const t = await call<{ id: string }>('template:create', { name: 'Spring', preset: 'postcard-6x9', custom: null, brandFrom: null });
    const other = Buffer.from('customer_id,first_name\n1,Ana\n2,Bo\n');
    const a = await call<DatasetView>('data:import', { templateId: t.id, file: { fileName: 'kunden.csv', data: b64(GERMAN) } });
    const a2 = await call<DatasetView>('data:import', { templateId: t.id, file: { fileName: 'kunden.csv', data: b64(GERMAN) } });
    expect(a2.id).toBe(a.id);
    const b = await call<DatasetView>('data:import', { templateId: t.id, file: { fileName: 'other.csv', data: b64(other) } });
    const list = async () =>
      (await call<{ datasets: { id: string; name: string; rows: number }[] }>('data:list', { templateId: t.id })).datasets;
    expect((await list()).map((d) => [d.name, d.rows])).toEqual([
      ['other.csv', 2],
      ['kunden.csv', 0],
    ]);
    await call('data:select', { datasetId: a.id });
    expect((await list())[0]!.id).toBe(a.id);
    // Another template's datasets are its own.
    const library = await call<{ items: { kind: string; name: string }[] }>('library:list', {});
    expect(library.items.filter((i) => i.kind === 'dataset' && i.name === 'kunden.csv')).toHaveLength(2);

    await studio.close();
    studio = start();
    const reopened = await list();
    expect(reopened.map((d) => d.id)).toEqual([a.id, b.id]);
    expect((await call<DatasetView>('data:get', { datasetId: reopened[1]!.id })).rows).toBe(2);
  });
});
