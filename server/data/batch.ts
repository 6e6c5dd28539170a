import type { BatchRecord } from '../../shared/compose/print/batch';
import { formatDataIssue, type DataRow, type RecordStream } from '../../shared/data';
import type { DataSchema } from '../../shared/model/data-schema';
import { pacer } from './source';

/**
 * Typed rows → the print batch's records, one policy for `presswork compose print` and the server's print jobs:
 * a record is refused (skipped and listed, or failing the run with onError "fail") for errors in required fields
 * or in the row itself; an unreadable optional value (say, a malformed e-mail address on a postcard) is left out
 * and the record still prints.
 */
export function batchRecord(r: DataRow, required: ReadonlySet<string>): BatchRecord {
  const errors = r.issues.filter(
    (i) =>
      i.severity === 'error' &&
      (i.field === undefined || required.has(i.field) || i.code === 'duplicate-key' || i.code === 'value-too-large'),
  );
  return {
    row: r.row,
    record: r.values,
    ...(errors.length ? { problems: errors.map((i) => ({ code: i.code, message: formatDataIssue(i) })) } : {}),
  };
}

/** A problem with the data as a whole (a missing required column, an undecodable file): nothing can be printed. */
export class DataReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataReadError';
  }
}

/**
 * Every row of a stream as batch records, one at a time (memory does not grow with the file); throws
 * `DataReadError` (prefixed with `what`) when the file cannot be used, at the point that is found.
 */
export async function* streamBatchRecords(stream: RecordStream, schema: DataSchema, what = 'the data'): AsyncGenerator<BatchRecord> {
  const required = new Set(schema.fields.filter((f) => f.required).map((f) => f.name));
  const fatal = () => stream.fileIssues.filter((i) => i.severity === 'error');
  const pause = pacer();
  for await (const r of stream) {
    if (fatal().length) break;
    await pause();
    yield batchRecord(r, required);
  }
  if (fatal().length) throw new DataReadError(`${what}: ${fatal().map(formatDataIssue).join('; ')}`);
}

/** Every row of a stream as batch records, collected. */
export async function batchRecords(stream: RecordStream, schema: DataSchema, what = 'the data'): Promise<BatchRecord[]> {
  const out: BatchRecord[] = [];
  for await (const r of streamBatchRecords(stream, schema, what)) out.push(r);
  return out;
}
