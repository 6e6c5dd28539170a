import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLibrary, type Db } from './library-db';
import { TemplateService } from './templates';
import { VariantSetService } from './variants';
import { DataService } from './data';
import { SAMPLE_DIR } from '../studio';
import ExcelJS from 'exceljs';

const CSV = [
  'dealer_id,label,name,phone,url,email,logo,street,city_line,swatch:brand-red',
  'NS01,Harbor Light Motors,Harbor Light Motors,(614) 555-7777,https://harbor.example,service@harbor.example,logo-northside,1 Pier Rd,"Columbus, OH 43215",dealer-green',
  'LK02,Lakeview,Lakeview Auto,12,lakeview.example,not-an-email,logo-missing,2 Lake St,"Chicago, IL 60625",no-such-swatch',
  'NS01,Duplicate,Dup,(614) 555-0000,https://dup.example,a@b.example,logo-lakeview,3 Dup St,"Dayton, OH 45402",',
  ',No key,Nobody,(614) 555-0001,https://x.example,x@y.example,logo-lakeview,4 No St,"Dayton, OH 45402",',
].join('\n');

describe('VariantSetService (dealer variant sets in the library)', () => {
  let dir: string;
  let db: Db;
  let templates: TemplateService;
  let variants: VariantSetService;
  const now = () => new Date('2026-11-22T10:00:00Z');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'variants-'));
    db = openLibrary(dir);
    templates = new TemplateService(db, now, SAMPLE_DIR);
    variants = new VariantSetService(db, templates, now);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a CSV with typed fields and swatch overrides and lists problems by row and column', async () => {
    const t = await templates.openSample();
    const v = await variants.import(t.id, 'dealers.csv', new TextEncoder().encode(CSV));
    expect(v.table.keyColumn).toBe('dealer_id');
    expect(v.table.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'name:text',
      'phone:phone',
      'url:url',
      'email:email',
      'logo:image',
      'street:text',
      'city_line:text',
    ]);
    expect(v.table.items[0]).toEqual({
      key: 'NS01',
      label: 'Harbor Light Motors',
      values: {
        name: 'Harbor Light Motors',
        phone: '(614) 555-7777',
        url: 'https://harbor.example',
        email: 'service@harbor.example',
        logo: 'logo-northside',
        street: '1 Pier Rd',
        city_line: 'Columbus, OH 43215',
      },
      swatches: { 'brand-red': 'dealer-green' },
    });
    const where = v.problems.map((p) => `${p.row}/${p.column}`);
    expect(where).toEqual(expect.arrayContaining(['2/phone', '2/url', '2/email', '2/logo', '2/swatch:brand-red', '3/key', '4/key']));
    expect(where.filter((w) => w.startsWith('1/'))).toEqual([]);
    expect(v.suggestedKeyField).toBe('dealer_id');
    expect(variants.list()).toEqual([expect.objectContaining({ id: v.id, name: 'dealers.csv', detail: '4 dealers · 7 fields' })]);
    // Attach is refused while there are errors, naming them.
    expect(() => variants.attach(v.id, t.id, 'dealer_id')).toThrow(/problems/);
  });

  it('saves edits, attaches the set to the template and records resolve to its dealers after a reopen', async () => {
    const t = await templates.openSample();
    const v = await variants.import(t.id, 'dealers.csv', new TextEncoder().encode(CSV));
    const fixed = {
      ...v.table,
      items: [
        v.table.items[0]!,
        {
          ...v.table.items[1]!,
          values: {
            ...v.table.items[1]!.values,
            phone: '(773) 555-0100',
            url: 'https://lakeview.example',
            email: 'hi@lakeview.example',
            logo: 'logo-lakeview',
          },
          swatches: {},
        },
      ],
    };
    const saved = variants.save(v.id, t.id, fixed);
    expect(saved.problems).toEqual([]);
    expect(() => variants.attach(v.id, t.id, 'no_such_field')).toThrow(/no data field/);
    variants.attach(v.id, t.id, 'dealer_id');

    // A new process: the set is still in the library, the template's draft holds the attached variants.
    const templates2 = new TemplateService(db, now, SAMPLE_DIR);
    const variants2 = new VariantSetService(db, templates2, now);
    expect(variants2.view(v.id, t.id).table.items).toHaveLength(2);
    const doc = templates2.get(t.id).document;
    expect(doc.variants!.keyField).toBe('dealer_id');
    expect(doc.variants!.items.map((i) => i.label)).toEqual(['Harbor Light Motors', 'Lakeview']);
    expect(doc.variants!.fallback.label).toBe('Network default'); // the template's own fallback is kept
    const data = new DataService(db, templates2, now);
    const r = await data.record(t.id, null, 0); // the sample record's dealer_id is NS01
    expect(r.view.variant).toEqual({ key: 'NS01', name: 'Harbor Light Motors', fallback: false });
  });

  it('reads the key column by name or falls back to the first column, and refuses unknown formats', async () => {
    const t = await templates.openSample();
    const v = await variants.import(t.id, 'd.csv', new TextEncoder().encode('Code,Name,Website\nA1,Alpha,https://a.example\n'));
    expect(v.table.keyColumn).toBe('Code');
    expect(v.table.items[0]).toMatchObject({ key: 'A1', label: 'Alpha', values: { name: 'Alpha', website: 'https://a.example' } });
    await expect(variants.import(t.id, 'd.pdf', new Uint8Array([1]))).rejects.toThrow(/\.csv/);
    // The sample template prints dealer.street and dealer.city_line: a set without them cannot replace its dealers.
    expect(() => variants.attach(v.id, t.id, 'dealer_id')).toThrow(/street/);
  });

  it('imports an Excel workbook the same way (numbers become text, the problems by row and column)', async () => {
    const t = await templates.openSample();
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Dealers');
    sheet.addRow(['Dealer ID', 'Label', 'Phone', 'Logo']);
    sheet.addRow(['NS01', 'Harbor Light Motors', '(614) 555-7777', 'logo-northside']);
    sheet.addRow([4711, 'Numbered dealer', 5550100, 'logo-nowhere']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const v = await variants.import(t.id, 'dealers.xlsx', bytes);
    expect(v.table.keyColumn).toBe('Dealer ID');
    expect(v.table.items.map((i) => [i.key, i.label, i.values.phone])).toEqual([
      ['NS01', 'Harbor Light Motors', '(614) 555-7777'],
      ['4711', 'Numbered dealer', '5550100'],
    ]);
    expect(v.problems.map((p) => `${p.row}/${p.column}/${p.severity}`)).toEqual(['2/logo/error']);
  });
});
