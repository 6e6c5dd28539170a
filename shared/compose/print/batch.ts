import { compileRules } from '../../rules/engine';
import type { PlanPage } from '../plan/types';
import { createPrintComposer, outputIntentOf, type ComposerInput, type PrintComposer } from './compose';
import type { FitStatus } from '../../text/layout';
import { PdfWriter, type ByteSink } from './pdf-writer';

/**
 * A print job over a data file: records in order → one PDF (or one PDF per record). Bad records are listed
 * with row and reason and skipped, or stop the job (onError: 'fail'); a record is composed completely before
 * any of its pages is written, so a PDF never holds half a record.
 */

export interface BatchRecord {
  /** 1-based data row (header excluded). */
  row: number;
  record: Readonly<Record<string, unknown>>;
  /** Problems the data reader found in this row (missing or unreadable values): the record is skipped. */
  problems?: { code: string; message: string }[] | undefined;
}

export interface PrintTarget {
  /** Open the output for a file (`name` undefined: the single output). */
  open(name: string | undefined): ByteSink;
  /** The file is complete (rename temp → final). */
  commit(name: string | undefined): void;
  /** The file is abandoned (delete the temp file). */
  abort(name: string | undefined): void;
}

export interface PrintBatchOptions {
  /** ISO date used as "today" by the rules. */
  today: string;
  onError: 'skip' | 'fail';
  /** Only rows from..to (1-based, inclusive). */
  range?: { from: number; to: number } | undefined;
  /** Only the records of this variant key (e.g. a dealer id). */
  variant?: string | undefined;
  /** One file per record, named by this Liquid pattern (e.g. `{{ customer_id }}.pdf`). */
  splitPattern?: string | undefined;
  title?: string | undefined;
  creationDate?: string | undefined;
  compression?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  onProgress?: ((done: number, row: number) => void) | undefined;
}

export interface SkippedRecord {
  row: number;
  key: string;
  code: string;
  reason: string;
  elementId?: string | undefined;
}

export interface FrameSummary {
  elementId: string;
  pageId: string;
  shrunk: number;
  /** Rows where copy-fit stopped at the minimum size (and the text fit there). */
  minSizeRows: number[];
  /** Rows where text still did not fit (overflowed or was clipped). */
  overflowRows: number[];
}

export interface RecordFit {
  row: number;
  key: string;
  elementId: string;
  status: FitStatus;
  size: number;
}

export interface PrintSummary {
  ok: boolean;
  pages: number;
  bytes: number;
  recordsDone: number;
  recordsSkipped: SkippedRecord[];
  recordsFiltered: number;
  files: string[];
  overflow: { frames: FrameSummary[]; records: RecordFit[]; recordsTruncated: boolean };
  failure?: SkippedRecord | undefined;
}

const MAX_ROWS_LISTED = 10_000;

/** A safe file name from a rendered pattern: no folders, no control characters. */
export function safeFileName(s: string): string {
  let clean = '';
  for (const ch of s) clean += ch.charCodeAt(0) < 32 || '/\\<>:"|?*'.includes(ch) ? '_' : ch;
  clean = clean.replace(/^\.+/, '_').trim();
  return clean.toLowerCase().endsWith('.pdf') ? clean : `${clean}.pdf`;
}

export function runPrintBatch(
  input: ComposerInput,
  records: Iterable<BatchRecord>,
  target: PrintTarget,
  opts: PrintBatchOptions,
): PrintSummary {
  const doc = input.document;
  const composer: PrintComposer = createPrintComposer(input);
  const rules = compileRules(doc, { today: opts.today });
  const required = doc.data.fields.filter((f) => f.required).map((f) => f.name);
  const keyField = doc.data.recordKey;
  const summary: PrintSummary = {
    ok: true,
    pages: 0,
    bytes: 0,
    recordsDone: 0,
    recordsSkipped: [],
    recordsFiltered: 0,
    files: [],
    overflow: { frames: [], records: [], recordsTruncated: false },
  };
  const frames = new Map<string, FrameSummary>();
  const writerOpts = {
    marks: doc.print!.marks,
    images: composer.ctx.images,
    artwork: composer.ctx.artwork,
    title: opts.title ?? doc.name,
    creationDate: opts.creationDate,
    compression: opts.compression,
    deflate: input.deflate,
    outputIntent: outputIntentOf(input),
  };
  let single: PdfWriter | undefined;
  const openWriter = (name: string | undefined) => new PdfWriter(target.open(name), writerOpts);

  const note = (s: SkippedRecord): boolean => {
    if (opts.onError === 'fail') {
      summary.ok = false;
      summary.failure = s;
      return false;
    }
    summary.recordsSkipped.push(s);
    return true;
  };

  let done = 0;
  for (const { row, record, problems } of records) {
    if (opts.range && (row < opts.range.from || row > opts.range.to)) {
      summary.recordsFiltered += 1;
      if (row > opts.range.to) break;
      continue;
    }
    const key = String(record[keyField] ?? '');
    if (problems?.length) {
      const first = problems[0]!;
      if (!note({ row, key, code: first.code, reason: problems.map((p) => p.message).join('; ') })) break;
      continue;
    }
    const bound = rules.bind(record, row);
    if (!bound.ok && bound.code === 'rule-failed') {
      if (!note({ row, key, code: bound.code, reason: bound.reason })) break;
      continue;
    }
    if (!bound.ok) {
      if (bound.skip || opts.variant !== undefined) {
        summary.recordsFiltered += opts.variant !== undefined ? 1 : 0;
        if (opts.variant === undefined && !note({ row, key, code: 'variant-unknown', reason: bound.reason })) break;
        continue;
      }
      if (!note({ row, key, code: 'variant-unknown', reason: `${bound.reason}; fix the data or set variants.onUnknownKey` })) break;
      continue;
    }
    if (opts.variant !== undefined && bound.bound.variant?.key !== opts.variant) {
      summary.recordsFiltered += 1;
      continue;
    }
    const missing = required.filter((f) => {
      const v = record[f];
      return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
    });
    if (missing.length) {
      if (
        !note({
          row,
          key,
          code: 'missing-required',
          reason: `required field${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} empty; fill ${missing.length > 1 ? 'them' : 'it'} in the data`,
        })
      )
        break;
      continue;
    }
    const res = composer.composeRecord(bound.bound);
    if (!res.ok) {
      if (!note({ row, key, code: res.code, reason: res.reason, elementId: res.elementId })) break;
      continue;
    }
    let fileName: string | undefined;
    if (opts.splitPattern !== undefined) {
      try {
        fileName = safeFileName(bound.bound.text(opts.splitPattern));
      } catch (e) {
        if (!note({ row, key, code: 'name-error', reason: `the file name pattern failed: ${e instanceof Error ? e.message : String(e)}` }))
          break;
        continue;
      }
    }
    writePages(res.pages);
    for (const fr of res.frames) {
      let f = frames.get(fr.elementId);
      if (!f) frames.set(fr.elementId, (f = { elementId: fr.elementId, pageId: fr.pageId, shrunk: 0, minSizeRows: [], overflowRows: [] }));
      if (fr.status === 'shrunk') f.shrunk += 1;
      if (fr.status === 'min-size' && f.minSizeRows.length < MAX_ROWS_LISTED) f.minSizeRows.push(row);
      if ((fr.status === 'overflow' || fr.status === 'clipped') && f.overflowRows.length < MAX_ROWS_LISTED) f.overflowRows.push(row);
      if (summary.overflow.records.length < MAX_ROWS_LISTED)
        summary.overflow.records.push({ row, key, elementId: fr.elementId, status: fr.status, size: fr.size });
      else summary.overflow.recordsTruncated = true;
    }
    done += 1;
    summary.recordsDone = done;
    opts.onProgress?.(done, row);

    function writePages(pages: PlanPage[]) {
      if (fileName !== undefined) {
        const w = openWriter(fileName);
        for (const p of pages) w.addPage(p);
        const r = w.finish();
        target.commit(fileName);
        summary.files.push(fileName);
        summary.pages += r.pages;
        summary.bytes += r.bytes;
      } else {
        single ??= openWriter(undefined);
        for (const p of pages) single.addPage(p);
        summary.pages += pages.length;
      }
    }
  }
  summary.overflow.frames = [...frames.values()];
  if (opts.splitPattern === undefined) {
    if (!summary.ok) {
      if (single) target.abort(undefined);
      return summary;
    }
    single ??= openWriter(undefined);
    const r = single.finish();
    summary.bytes = r.bytes;
    target.commit(undefined);
    summary.files.push('');
  }
  return summary;
}
