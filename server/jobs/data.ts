import Papa from 'papaparse';
import type { DataSchema } from '../../shared/model/data-schema';
import type { DataRecord } from '../../shared/http/schemas';

/**
 * Data files for jobs and datasets: CSV (header row) or a JSON array of objects. Column headers are
 * matched to the template's fields by name or alias (case-insensitive); numbers, money and booleans
 * are typed so rules compare them as values. Problems come back as a list, never as an exception.
 */

export type ParsedData =
  { ok: true; fields: string[]; records: DataRecord[] } | { ok: false; problems: { path: string; message: string }[] };

const MAX_RECORDS = 1_000_000;

export function parseDataFile(content: string, format: 'csv' | 'json'): ParsedData {
  if (format === 'json') {
    let raw: unknown;
    try {
      raw = JSON.parse(content);
    } catch (e) {
      return { ok: false, problems: [{ path: '(file)', message: `not valid JSON: ${(e as Error).message}` }] };
    }
    if (!Array.isArray(raw) || raw.length === 0)
      return { ok: false, problems: [{ path: '(file)', message: 'a JSON data file must be a non-empty array of objects' }] };
    const problems: { path: string; message: string }[] = [];
    const records: DataRecord[] = [];
    const fields = new Set<string>();
    raw.forEach((r, i) => {
      if (typeof r !== 'object' || r === null || Array.isArray(r)) {
        problems.push({ path: `[${i}]`, message: 'must be an object of field values' });
        return;
      }
      const rec: DataRecord = {};
      for (const [k, v] of Object.entries(r as Record<string, unknown>)) {
        fields.add(k);
        if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') rec[k] = v;
        else problems.push({ path: `[${i}].${k}`, message: 'must be a string, number, boolean or null' });
      }
      records.push(rec);
    });
    if (problems.length) return { ok: false, problems: problems.slice(0, 50) };
    return { ok: true, fields: [...fields], records };
  }
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() });
  const fatal = parsed.errors.filter((e) => e.type !== 'FieldMismatch' || e.code === 'TooManyFields');
  if (fatal.length)
    return {
      ok: false,
      problems: fatal.slice(0, 50).map((e) => ({ path: e.row !== undefined ? `row ${e.row + 2}` : '(file)', message: e.message })),
    };
  const fields = parsed.meta.fields ?? [];
  if (fields.length === 0 || parsed.data.length === 0)
    return { ok: false, problems: [{ path: '(file)', message: 'a CSV data file needs a header row and at least one record' }] };
  if (parsed.data.length > MAX_RECORDS) return { ok: false, problems: [{ path: '(file)', message: `more than ${MAX_RECORDS} records` }] };
  return { ok: true, fields, records: parsed.data as DataRecord[] };
}

/** Map headers onto schema field names (by name or alias, case-insensitively) and type the values. */
export function conformRecord(record: DataRecord, schema: DataSchema): { record: DataRecord; problems: string[] } {
  const byHeader = new Map<string, (typeof schema.fields)[number]>();
  for (const f of schema.fields) {
    byHeader.set(f.name.toLowerCase(), f);
    for (const a of f.aliases) byHeader.set(a.toLowerCase(), f);
  }
  const out: DataRecord = {};
  const problems: string[] = [];
  for (const [k, v] of Object.entries(record)) {
    const f = byHeader.get(k.toLowerCase());
    if (!f) {
      out[k] = v;
      continue;
    }
    let value = v;
    if (typeof v === 'string') {
      const t = v.trim();
      if ((f.type === 'number' || f.type === 'money') && t !== '') {
        const n = Number(t.replace(/[$€£,\s]/g, ''));
        if (Number.isFinite(n)) value = n;
        else problems.push(`${f.name}: "${v}" is not a number`);
      } else if (f.type === 'boolean' && t !== '') {
        if (/^(true|yes|y|1)$/i.test(t)) value = true;
        else if (/^(false|no|n|0)$/i.test(t)) value = false;
        else problems.push(`${f.name}: "${v}" is not true/false`);
      } else value = t;
    }
    out[f.name] = value;
  }
  for (const f of schema.fields)
    if (f.required && (out[f.name] === undefined || out[f.name] === null || out[f.name] === ''))
      problems.push(`${f.name} is required but empty`);
  return { record: out, problems };
}
