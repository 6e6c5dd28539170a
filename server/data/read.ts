import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { DataSchema } from '../../shared/model/data-schema';
import { readRecords, type RecordStream } from '../../shared/data/records';

/** Stream a data file from disk (64 KiB chunks) into typed rows; memory stays flat for CSV/TSV/NDJSON. */
export function readDataFile(
  path: string,
  schema: DataSchema,
  options: { sheet?: string; checkDuplicateKeys?: boolean; maxFieldChars?: number } = {},
): RecordStream {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for await (const c of createReadStream(path, { highWaterMark: 64 * 1024 })) yield new Uint8Array(c as Buffer);
  }
  return readRecords(chunks(), { name: basename(path), schema, ...options });
}
