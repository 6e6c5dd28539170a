import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { BatchRecord } from '../../shared/compose/print/batch';
import { readRecords as readDataRecords, formatDataIssue } from '../../shared/data';
import type { DataSchema } from '../../shared/model/data-schema';

/**
 * Data input for print jobs, through shared/data's typed reader (CSV/TSV/XLSX/JSON/NDJSON, encoding detection,
 * header aliases, typing by the template's data schema). Rows with errors in required fields are kept with their
 * issues so that the job lists them as skipped (or fails) at their row; problems with the file as a whole stop the job.
 */
export class DataReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataReadError';
  }
}

async function* chunks(path: string): AsyncGenerator<Uint8Array> {
  for await (const c of createReadStream(path, { highWaterMark: 1 << 16 })) yield new Uint8Array(c as Buffer);
}

export interface PrintDataOptions {
  /** Longest value accepted in a field, in characters (shared/data's default otherwise). */
  maxFieldChars?: number | undefined;
}

/**
 * The records of a data file as a stream, one at a time (memory does not grow with the file). Problems with the
 * file as a whole (a required column missing, an unreadable workbook) throw DataReadError before any record.
 */
export async function* readRecords(path: string, schema: DataSchema, opts: PrintDataOptions = {}): AsyncGenerator<BatchRecord> {
  try {
    await stat(path);
  } catch {
    throw new DataReadError(`cannot read data file ${path}; check the path`);
  }
  const stream = readDataRecords(chunks(path), {
    name: path,
    schema,
    ...(opts.maxFieldChars !== undefined ? { maxFieldChars: opts.maxFieldChars } : {}),
  });
  const required = new Set(schema.fields.filter((f) => f.required).map((f) => f.name));
  const fatal = () => stream.fileIssues.filter((i) => i.severity === 'error');
  for await (const r of stream) {
    if (fatal().length) break;
    // A record is refused for errors in required fields, in the row itself, or a value over the size limit; an
    // unreadable optional value (say, a malformed e-mail address on a postcard) is left out and the record prints.
    const errors = r.issues.filter(
      (i) =>
        i.severity === 'error' &&
        (i.field === undefined || required.has(i.field) || i.code === 'duplicate-key' || i.code === 'value-too-large'),
    );
    yield {
      row: r.row,
      record: r.values,
      ...(errors.length ? { problems: errors.map((i) => ({ code: i.code, message: formatDataIssue(i) })) } : {}),
    };
  }
  if (fatal().length) throw new DataReadError(`${path}: ${fatal().map(formatDataIssue).join('; ')}`);
}
