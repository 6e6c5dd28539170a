import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import type { BatchRecord } from '../../shared/compose/print/batch';

/**
 * Data input for print jobs: CSV (header row) or JSON (an array of objects, or { records: [...] }).
 * Kept in one adapter so that moving to shared/data's typed reader is one change.
 */
export class DataReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataReadError';
  }
}

export async function readRecords(path: string): Promise<BatchRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new DataReadError(`cannot read data file ${path}; check the path`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (/\.json$/i.test(path)) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new DataReadError(`${path} is not valid JSON: ${(e as Error).message}`);
    }
    const list = Array.isArray(raw) ? raw : (raw as { records?: unknown }).records;
    if (!Array.isArray(list)) throw new DataReadError(`${path}: expected an array of records or { "records": [...] }`);
    return list.map((record, i) => {
      if (typeof record !== 'object' || record === null || Array.isArray(record))
        throw new DataReadError(`${path}: record ${i + 1} is not an object`);
      return { row: i + 1, record: record as Record<string, unknown> };
    });
  }
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: 'greedy' });
  const bad = parsed.errors.find((e) => e.type !== 'FieldMismatch');
  if (bad) throw new DataReadError(`${path} row ${(bad.row ?? 0) + 1}: ${bad.message}`);
  return parsed.data.map((record, i) => ({ row: i + 1, record }));
}
