import { describe, expect, it } from 'vitest';
import { DataSchemaSchema, type DataSchema } from '../model/data-schema';
import { CsvTokenizer } from './csv';
import { KeySet } from './key-set';
import { readRecords, type DataRow } from './records';

/** The per-field limit holds for every format, and an oversized value is never held whole. */
const schema: DataSchema = DataSchemaSchema.parse({
  recordKey: 'id',
  fields: [{ name: 'id', required: true }, { name: 'note' }],
});
const enc = new TextEncoder();

/** Feeds `text` in 64 KiB chunks, as a file stream does. */
async function rows(name: string, text: string, maxFieldChars: number): Promise<DataRow[]> {
  const bytes = enc.encode(text);
  const chunks = (async function* () {
    for (let o = 0; o < bytes.length; o += 1 << 16) yield bytes.subarray(o, o + (1 << 16));
  })();
  const out: DataRow[] = [];
  for await (const r of readRecords(chunks, { name, schema, maxFieldChars })) out.push(r);
  return out;
}

const tooLarge = (r: DataRow) => r.issues.filter((i) => i.code === 'value-too-large').map((i) => i.column ?? '(line)');

describe('per-field limit', () => {
  it('CSV: a long quoted or unquoted cell fails its row with its full size; the next rows are read', async () => {
    const csv = `id;note\r\na;ok\r\nb;"${'x'.repeat(300_000)}"\r\nc;${'y'.repeat(300_000)}\r\nd;fine\r\n`;
    const r = await rows('de.csv', csv, 1000);
    expect(r.map((x) => x.ok)).toEqual([true, false, false, true]);
    expect(tooLarge(r[1]!)).toEqual(['note']);
    expect(r[1]!.issues[0]!.message).toContain('300,000 characters, over the limit of 1,000');
    expect(r[3]!.values).toEqual({ id: 'd', note: 'fine' });
  });

  it('the CSV tokenizer keeps at most limit + 1 characters of an oversized cell', () => {
    const t = new CsvTokenizer(',', 10);
    const out = t.push(`a,${'z'.repeat(100)}\n`);
    expect(out[0]!.cells[1]).toHaveLength(11);
    expect(out[0]!.oversized?.get(1)).toBe(100);
  });

  it('NDJSON: an overlong line fails its record without being held; JSON arrays check each value', async () => {
    const nd = `{"id":"a","note":""}\n{"id":"b","note":"${'x'.repeat(500_000)}"}\n{"id":"c","note":"${'q'.repeat(2000)}"}\n{"id":"d"}\n`;
    const r = await rows('x.ndjson', nd, 1000);
    expect(r.map((x) => [x.row, x.ok])).toEqual([
      [1, true],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(tooLarge(r[1]!)).toEqual(['(line)']);
    expect(tooLarge(r[2]!)).toEqual(['note']);
    const arr = await rows('x.json', JSON.stringify([{ id: 'a', note: 'n'.repeat(5000) }, { id: 'b' }]), 1000);
    expect(arr.map((x) => x.ok)).toEqual([false, true]);
  });
});

describe('KeySet', () => {
  it('tells repeated keys from new ones over many keys', () => {
    const s = new KeySet();
    for (let i = 0; i < 200_000; i++) expect(s.add(`C-${i}`)).toBe(true);
    for (let i = 0; i < 200_000; i += 997) expect(s.add(`C-${i}`)).toBe(false);
    expect(s.add('C-200000')).toBe(true);
  });
});
