import { compileRules } from '../../rules/engine';
import { createPrintComposer, outputIntentOf, type ComposerInput, type PrintComposer } from './compose';
import type { FitStatus } from '../../text/layout';
import { PdfWriter, type ByteSink } from './pdf-writer';

/**
 * A print job over a data file: records in order → one PDF (or one PDF per record). Bad records are listed
 * with row and reason and skipped, or stop the job (onError: 'fail'); a record is composed completely before
 * any of its pages is written, so a PDF never holds half a record.
 *
 * Memory stays flat however many records there are: records are pushed one at a time (`createPrintBatch`, so
 * that a host can feed it from a stream), pages go to the sink as they are composed, and the summary keeps
 * counts and at most MAX_ROWS_LISTED rows per list; every row's outcome can be streamed out through `onReport`.
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
  /**
   * The file is complete (rename temp → final). A target that finds `name` taken by a file from before the run
   * keeps that file and returns the name it used instead.
   */
  commit(name: string | undefined): string | void;
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
  /** Every skipped record and every frame that shrank to its minimum or overflowed, as it happens. */
  onReport?: ((line: ReportLine) => void) | undefined;
  /** Checked between records: when true, the batch stops and throws PrintAborted (a signal, a cancelled job). */
  aborted?: (() => boolean) | undefined;
}

/** One line of the per-record report (`compose print --report file.ndjson`). */
export type ReportLine =
  | ({ kind: 'skipped' } & SkippedRecord)
  | ({ kind: 'fit' } & RecordFit)
  | { kind: 'renamed'; row: number; key: string; wanted: string; written: string };

export class PrintAborted extends Error {
  constructor() {
    super('the print job was interrupted');
    this.name = 'PrintAborted';
  }
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
  /** The first MAX_ROWS_LISTED skipped records (all of them go to `onReport`). */
  recordsSkipped: SkippedRecord[];
  recordsSkippedTotal: number;
  /** Data rows left out by --range or --variant. */
  recordsFiltered: number;
  /** Data rows read (the range may reach beyond them). */
  rowsRead: number;
  files: string[];
  /** Split mode: files whose rendered name was taken (earlier in the run, or by a file already there). */
  renamed: { row: number; wanted: string; written: string }[];
  overflow: { frames: FrameSummary[]; records: RecordFit[]; recordsTruncated: boolean };
  failure?: SkippedRecord | undefined;
}

export const MAX_ROWS_LISTED = 10_000;

/** Longest file name stem kept whole, in UTF-8 bytes (file systems allow 255 bytes per name). */
const MAX_NAME_BYTES = 120;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

const utf8Length = (s: string) => {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
};

/** FNV-1a over UTF-16 code units, as 8 hex digits: tells apart long names that share their first bytes. */
const shortHash = (s: string) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
};

/**
 * A safe file name from a rendered pattern, on Linux, macOS and Windows alike: no folders (`/`, `\\`, `..`), no
 * control characters (NUL included) or characters Windows refuses, no leading dots, no trailing dots or spaces,
 * no reserved device names (`CON`, `nul.pdf`, `COM1`…), at most ~130 bytes (a longer name is cut and given a
 * short hash of the whole name, so two long names stay apart), always ending in `.pdf`.
 */
export function safeFileName(s: string): string {
  let clean = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    clean += c < 32 || c === 0x7f || '/\\<>:"|?*'.includes(ch) ? '_' : ch;
  }
  clean = clean.trim();
  if (clean.toLowerCase().endsWith('.pdf')) clean = clean.slice(0, -4);
  clean = clean.replace(/^\.+/, '_').replace(/[. ]+$/, '');
  if (!clean) clean = 'record';
  if (WINDOWS_RESERVED.test(clean)) clean = `_${clean}`;
  if (utf8Length(clean) > MAX_NAME_BYTES) {
    let cut = '';
    let bytes = 0;
    for (const ch of clean) {
      const b = utf8Length(ch);
      if (bytes + b > MAX_NAME_BYTES - 9) break;
      cut += ch;
      bytes += b;
    }
    clean = `${cut.replace(/[. ]+$/, '')}-${shortHash(s)}`;
  }
  return `${clean}.pdf`;
}

/** `name.pdf` → `name-2.pdf`, `name-3.pdf`, …: the next free numbered name. */
export function numberedName(name: string, n: number): string {
  return name.replace(/(\.pdf)?$/i, (ext) => `-${n}${ext}`);
}

/** A batch fed one record at a time: `add` each (false once the job has stopped), then `finish`. */
export interface PrintBatch {
  add(record: BatchRecord): boolean;
  finish(): PrintSummary;
  /** Abandon the output (a file being written is deleted); the files already committed are the host's to remove. */
  abort(): void;
}

/** Records → PDF, in one call (the records may be any iterable; use createPrintBatch to feed a stream). */
export function runPrintBatch(
  input: ComposerInput,
  records: Iterable<BatchRecord>,
  target: PrintTarget,
  opts: PrintBatchOptions,
): PrintSummary {
  const batch = createPrintBatch(input, target, opts);
  try {
    for (const r of records) if (!batch.add(r)) break;
  } catch (e) {
    batch.abort();
    throw e;
  }
  return batch.finish();
}

export function createPrintBatch(input: ComposerInput, target: PrintTarget, opts: PrintBatchOptions): PrintBatch {
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
    recordsSkippedTotal: 0,
    recordsFiltered: 0,
    rowsRead: 0,
    files: [],
    renamed: [],
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
  /** Split mode: names given in this run, lower-cased (case-insensitive file systems see `A.pdf` and `a.pdf` as one). */
  const used = new Set<string>();
  let stopped = false;
  let done = 0;

  const note = (s: SkippedRecord): boolean => {
    if (opts.onError === 'fail') {
      summary.ok = false;
      summary.failure = s;
      stopped = true;
      return false;
    }
    summary.recordsSkippedTotal += 1;
    if (summary.recordsSkipped.length < MAX_ROWS_LISTED) summary.recordsSkipped.push(s);
    opts.onReport?.({ kind: 'skipped', ...s });
    return true;
  };

  const uniqueName = (wanted: string): string => {
    let name = wanted;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = numberedName(wanted, n);
    used.add(name.toLowerCase());
    return name;
  };

  const add = ({ row, record, problems }: BatchRecord): boolean => {
    if (stopped) return false;
    if (opts.aborted?.()) throw new PrintAborted();
    summary.rowsRead = Math.max(summary.rowsRead, row);
    if (opts.range && (row < opts.range.from || row > opts.range.to)) {
      summary.recordsFiltered += 1;
      return true;
    }
    const key = String(record[keyField] ?? '');
    if (problems?.length) {
      const first = problems[0]!;
      return note({ row, key, code: first.code, reason: problems.map((p) => p.message).join('; ') });
    }
    const bound = rules.bind(record, row);
    if (!bound.ok && bound.code === 'rule-failed') return note({ row, key, code: bound.code, reason: bound.reason });
    if (!bound.ok) {
      if (bound.skip || opts.variant !== undefined) {
        summary.recordsFiltered += opts.variant !== undefined ? 1 : 0;
        return opts.variant !== undefined || note({ row, key, code: 'variant-unknown', reason: bound.reason });
      }
      return note({ row, key, code: 'variant-unknown', reason: `${bound.reason}; fix the data or set variants.onUnknownKey` });
    }
    if (opts.variant !== undefined && bound.bound.variant?.key !== opts.variant) {
      summary.recordsFiltered += 1;
      return true;
    }
    const missing = required.filter((f) => {
      const v = record[f];
      return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
    });
    if (missing.length)
      return note({
        row,
        key,
        code: 'missing-required',
        reason: `required field${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} empty; fill ${missing.length > 1 ? 'them' : 'it'} in the data`,
      });
    const res = composer.composeRecord(bound.bound);
    if (!res.ok) return note({ row, key, code: res.code, reason: res.reason, elementId: res.elementId });
    let fileName: string | undefined;
    if (opts.splitPattern !== undefined) {
      let wanted: string;
      try {
        wanted = safeFileName(bound.bound.text(opts.splitPattern));
      } catch (e) {
        return note({
          row,
          key,
          code: 'name-error',
          reason: `the file name pattern failed: ${e instanceof Error ? e.message : String(e)}`,
        });
      }
      fileName = uniqueName(wanted);
      const w = openWriter(fileName);
      for (const p of res.pages) w.addPage(p);
      const r = w.finish();
      const written = target.commit(fileName) ?? fileName;
      if (written !== wanted) {
        used.add(written.toLowerCase());
        if (summary.renamed.length < MAX_ROWS_LISTED) summary.renamed.push({ row, wanted, written });
        opts.onReport?.({ kind: 'renamed', row, key, wanted, written });
      }
      summary.files.push(written);
      summary.pages += r.pages;
      summary.bytes += r.bytes;
    } else {
      single ??= openWriter(undefined);
      for (const p of res.pages) single.addPage(p);
      summary.pages += res.pages.length;
    }
    for (const fr of res.frames) {
      let f = frames.get(fr.elementId);
      if (!f) frames.set(fr.elementId, (f = { elementId: fr.elementId, pageId: fr.pageId, shrunk: 0, minSizeRows: [], overflowRows: [] }));
      if (fr.status === 'shrunk') f.shrunk += 1;
      if (fr.status === 'min-size' && f.minSizeRows.length < MAX_ROWS_LISTED) f.minSizeRows.push(row);
      if ((fr.status === 'overflow' || fr.status === 'clipped') && f.overflowRows.length < MAX_ROWS_LISTED) f.overflowRows.push(row);
      const fit = { row, key, elementId: fr.elementId, status: fr.status, size: fr.size };
      if (summary.overflow.records.length < MAX_ROWS_LISTED) summary.overflow.records.push(fit);
      else summary.overflow.recordsTruncated = true;
      if (fr.status !== 'fits') opts.onReport?.({ kind: 'fit', ...fit });
    }
    done += 1;
    summary.recordsDone = done;
    opts.onProgress?.(done, row);
    return true;
  };

  const abort = () => {
    stopped = true;
    if (single) target.abort(undefined);
    single = undefined;
  };

  const finish = (): PrintSummary => {
    stopped = true;
    summary.overflow.frames = [...frames.values()];
    if (summary.ok && done === 0) {
      // Never a 0-page PDF: a job that composed nothing failed.
      summary.ok = false;
      const range = opts.range;
      summary.failure = {
        row: 0,
        key: '',
        code: 'no-records',
        reason:
          summary.rowsRead === 0
            ? 'the data has no records'
            : range && range.from > summary.rowsRead
              ? `--range starts at row ${range.from} but the data has ${summary.rowsRead} rows`
              : summary.recordsSkippedTotal > 0
                ? `all ${summary.recordsSkippedTotal} records were skipped; see the reasons listed`
                : `no record matched${range ? ` rows ${range.from}–${range.to === Number.MAX_SAFE_INTEGER ? 'end' : range.to}` : ''}${opts.variant !== undefined ? ` variant "${opts.variant}"` : ''}`,
      };
    }
    if (opts.splitPattern === undefined) {
      if (!summary.ok) {
        abort();
        return summary;
      }
      const r = single!.finish();
      summary.bytes = r.bytes;
      target.commit(undefined);
      summary.files.push('');
    }
    return summary;
  };

  return { add, finish, abort };
}
