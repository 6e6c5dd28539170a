import { stat } from 'node:fs/promises';
import type { BatchRecord } from '../../shared/compose/print/batch';
import type { DataSchema } from '../../shared/model/data-schema';
import { DataReadError, streamBatchRecords } from '../data/batch';
import { readDataFile } from '../data/read';

export { DataReadError };

export interface PrintDataOptions {
  /** Longest value accepted in a field, in characters (shared/data's default otherwise). */
  maxFieldChars?: number | undefined;
}

/**
 * Data input for `presswork compose print`, through shared/data's typed reader (CSV/TSV/XLSX/JSON/NDJSON, encoding
 * detection, header matching, typing by the template's data schema) and the one record policy of server/data/batch.ts,
 * which the server's print jobs use too. The records come as a stream, one at a time (memory does not grow with the
 * file). Problems with the file as a whole (a required column missing, an unreadable workbook) throw DataReadError.
 */
export async function* readRecords(path: string, schema: DataSchema, opts: PrintDataOptions = {}): AsyncGenerator<BatchRecord> {
  try {
    await stat(path);
  } catch {
    throw new DataReadError(`cannot read data file ${path}; check the path`);
  }
  const stream = readDataFile(path, schema, opts.maxFieldChars !== undefined ? { maxFieldChars: opts.maxFieldChars } : {});
  yield* streamBatchRecords(stream, schema, path);
}
