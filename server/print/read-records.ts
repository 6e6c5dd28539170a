import { stat } from 'node:fs/promises';
import type { BatchRecord } from '../../shared/compose/print/batch';
import type { DataSchema } from '../../shared/model/data-schema';
import { batchRecords, DataReadError } from '../data/batch';
import { readDataFile } from '../data/read';

export { DataReadError };

/**
 * Data input for `presswork compose print`, through shared/data's typed reader (CSV/TSV/XLSX/JSON/NDJSON, encoding
 * detection, header matching, typing by the template's data schema) and the one record policy of server/data/batch.ts,
 * which the server's print jobs use too. Problems with the file as a whole stop the run.
 */
export async function readRecords(path: string, schema: DataSchema): Promise<BatchRecord[]> {
  try {
    await stat(path);
  } catch {
    throw new DataReadError(`cannot read data file ${path}; check the path`);
  }
  return batchRecords(readDataFile(path, schema), schema, path);
}
