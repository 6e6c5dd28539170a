import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parseDataFile } from '../../shared/data/records';
import { listSheets } from '../../shared/data/xlsx';
import { DataSchemaSchema } from '../../shared/model/data-schema';

const schema = DataSchemaSchema.parse({
  recordKey: 'id',
  fields: [
    { name: 'id', required: true },
    { name: 'first_name', aliases: ['First Name'] },
    { name: 'amount', type: 'money' },
    { name: 'since', type: 'date' },
    { name: 'vip', type: 'boolean' },
    { name: 'zip' },
  ],
});

async function workbook(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const notes = wb.addWorksheet('Notes');
  notes.addRow(['not data']);
  const sheet = wb.addWorksheet('Customers');
  sheet.addRow(['id', 'First Name', 'amount', 'since', 'vip', 'zip']);
  sheet.addRow(['1', '<script>alert(1)</script> & "Zoë"', 1234.5, new Date(Date.UTC(2026, 7, 31)), true, 43215]);
  sheet.addRow(['2', '{{ 7*7 }}\n{% raw %}', 'abc', '2026-02-30', 'maybe', '00123']);
  sheet.addRow([]);
  sheet.addRow(['3', { richText: [{ text: 'Ri' }, { text: 'ch', font: { bold: true } }] }, '', '', false, '']);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('XLSX', () => {
  it('reads a named sheet with shared strings, rich text, numbers, dates and booleans; bad cells are reported per row', async () => {
    const bytes = await workbook();
    expect(listSheets(bytes)).toEqual(['Notes', 'Customers']);
    const r = await parseDataFile(bytes, 'c.xlsx', schema, { sheet: 'customers' });
    expect(r.info).toMatchObject({ format: 'xlsx', sheet: 'Customers' });
    expect(r.rows.map((x) => x.values)).toEqual([
      { id: '1', first_name: '<script>alert(1)</script> & "Zoë"', amount: 1234.5, since: '2026-08-31', vip: true, zip: '43215' },
      { id: '2', first_name: '{{ 7*7 }}\n{% raw %}', zip: '00123' },
      { id: '3', first_name: 'Rich', vip: false },
    ]);
    expect(r.rows[1]!.issues.map((i) => [i.row, i.line, i.column, i.code])).toEqual([
      [2, 3, 'amount', 'bad-value'],
      [2, 3, 'since', 'bad-value'],
      [2, 3, 'vip', 'bad-value'],
    ]);
  });

  it('reads the first sheet by default and reports an unknown sheet name', async () => {
    const bytes = await workbook();
    const first = await parseDataFile(bytes, 'c.xlsx', schema);
    expect(first.issues).toContainEqual(expect.objectContaining({ code: 'missing-column', field: 'id' }));
    const none = await parseDataFile(bytes, 'c.xlsx', schema, { sheet: 'Orders' });
    expect(none.issues).toEqual([
      expect.objectContaining({ row: 0, code: 'unknown-sheet', message: 'no sheet named "Orders"; sheets are "Notes", "Customers"' }),
    ]);
  });

  it('reports a file that is not a workbook', async () => {
    const r = await parseDataFile(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), 'x.xlsx', schema);
    expect(r.issues[0]).toMatchObject({ code: 'bad-xlsx' });
  });
});
