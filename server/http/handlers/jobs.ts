import { type api } from '../../../shared/http/routes';
import type { JobDto, JobReport } from '../../../shared/http/schemas';
import type { Job } from '../../store/jobs-repo';
import type { Services } from '../../services';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { readTable, tableFromObjects, type TableStream } from '../../../shared/data';
import { DATA_MEDIA_TYPES, DataInputError, declaredEncoding, storeDataset } from '../../data/source';
import { dataInputHttpError } from '../data-errors';
import { resolveData } from '../../approvals/service';
import { closeAfterReply, HttpError, notFound, type Handler } from '../route-kit';
import { approvalGate } from '../../approvals/gate';

type A = typeof api;

export function jobDto(s: Services, job: Job): JobDto {
  const v = s.templates.byId(job.versionId)!;
  // A running job's progress may be a quarter of a second old (cheap to poll); any other status is exact.
  const c = job.status === 'running' ? s.deliveries.recentCounts(job.id) : s.deliveries.counts(job.id);
  const printing = s.runner.printProgress(job.id);
  const records = Math.max(job.recordCount, c.records, printing?.total ?? 0);
  const done = c.records - c.pending - c.sending;
  // Each channel counts equally: email by the ledger, print by the rows composed.
  const parts: number[] = [];
  if (job.channels.includes('email')) parts.push(c.records ? done / c.records : 0);
  if (job.channels.includes('print')) parts.push(job.printedAt !== null ? 1 : (printing?.fraction ?? 0));
  const progress = parts.length ? parts.reduce((a, b) => a + b, 0) / parts.length : 0;
  return {
    id: job.id,
    templateId: v.dto.templateId,
    version: v.dto.version,
    channels: job.channels,
    status: job.status,
    error: job.error,
    createdAt: job.createdAt,
    scheduledAt: job.scheduledAtMs !== null ? new Date(job.scheduledAtMs).toISOString() : null,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    progress: job.status === 'completed' ? 1 : Math.min(1, progress),
    counts: { ...c, records, pdfs: job.pdfs },
  };
}

function job(s: Services, id: string): Job {
  const j = s.jobs.get(id);
  if (!j) throw notFound(`no job "${id}"; list jobs at GET /api/v1/jobs`);
  return j;
}

export function report(s: Services, j: Job): JobReport {
  const c = s.deliveries.counts(j.id);
  const e = s.deliveries.engagement(j.id);
  return {
    jobId: j.id,
    status: j.status,
    recipients: c.records,
    queued: c.pending + c.sending,
    sent: c.sent,
    deferred: c.deferred,
    bounced: c.bounced,
    suppressed: c.suppressed,
    failed: c.failed,
    uncertain: c.uncertain,
    opened: e.opened,
    clicked: e.clicked,
    unsubscribed: e.unsubscribed,
    clicksByLink: e.links,
  };
}

const csvCell = (v: unknown): string => {
  const t = v === null || v === undefined ? '' : String(v);
  // Quote when needed; neutralise spreadsheet formulas in cells that came from recipients or relays.
  const safe = /^[=+\-@\t\r]/.test(t) ? `'${t}` : t;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** A streamed upload, cut off with a 413 beyond the upload limit (the body is not buffered, so Fastify's limit does not apply). */
async function* limited(body: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Uint8Array> {
  let n = 0;
  for await (const c of body) {
    n += c.length;
    if (n > maxBytes)
      throw new HttpError(
        413,
        'too-large',
        `the data file is larger than the upload limit (limits.maxUploadMb = ${maxBytes / 1024 / 1024} MB); split it or raise the limit`,
      );
    yield new Uint8Array(c.buffer, c.byteOffset, c.length);
  }
}

const isStream = (b: unknown): b is Readable => b instanceof Readable;

/** JSON records (an array, or {"records": [...]}) as a table, read as a .json file is. */
function jsonBodyTable(body: unknown): TableStream {
  const records =
    body && typeof body === 'object' && !Array.isArray(body) && Array.isArray((body as { records?: unknown }).records)
      ? (body as { records: unknown[] }).records
      : body;
  if (!Array.isArray(records)) throw new DataInputError(422, 'the JSON must be an array of records (or {"records": [...]})', []);
  return tableFromObjects(records);
}

/** A scheduleAt this far in the past is taken as clock skew between client and server: the job starts now. */
export const SCHEDULE_SKEW_MS = 60_000;

/**
 * options.scheduleAt as epoch ms, or null to start now. A time in the past is refused (422) rather than run at
 * once under a "scheduled" label, so a stale example or a wrong time zone cannot send a campaign by surprise;
 * within SCHEDULE_SKEW_MS it counts as "now" (status `queued`, as the answer shows).
 */
const ago = (ms: number): string => {
  const [n, unit] = ms < 7_200_000 ? [ms / 60_000, 'minute'] : ms < 172_800_000 ? [ms / 3_600_000, 'hour'] : [ms / 86_400_000, 'day'];
  const r = Math.round(n);
  return `${r} ${unit}${r === 1 ? '' : 's'}`;
};

function scheduledTime(scheduleAt: string | undefined, nowMs: number): number | null {
  if (scheduleAt === undefined) return null;
  const at = Date.parse(scheduleAt);
  if (at >= nowMs - SCHEDULE_SKEW_MS) return at;
  throw new HttpError(
    422,
    'bad-request',
    `options.scheduleAt ${scheduleAt} is in the past (the server's time is ${new Date(nowMs).toISOString()}); give a future time, or leave scheduleAt out to start the job now`,
    [{ path: 'body.options.scheduleAt', message: `${ago(nowMs - at)} in the past` }],
  );
}

export const jobHandlers = {
  createDataset: async (c) => {
    const [mediaType = '', ...params] = String(c.req.headers['content-type'] ?? '')
      .split(';')
      .map((p) => p.trim());
    const charset = params.find((p) => /^charset=/i.test(p))?.slice('charset='.length);
    const name = c.query.name ?? `dataset ${new Date().toISOString()}`;
    const maxBytes = Math.round(c.s.config.limits.maxUploadMb * 1024 * 1024);
    try {
      let table: TableStream;
      const type = mediaType.toLowerCase();
      if (isStream(c.body) || Buffer.isBuffer(c.body)) {
        // The file's bytes, decoded as the CLI decodes a file: BOM, else the declared charset, else detected.
        const format = DATA_MEDIA_TYPES[type];
        const encoding = declaredEncoding(charset);
        const chunks = isStream(c.body)
          ? limited(c.body, maxBytes)
          : (async function* (b: Buffer) {
              yield new Uint8Array(b.buffer, b.byteOffset, b.length);
            })(c.body);
        table = readTable(chunks, {
          name: c.query.name ?? `upload.${format ?? 'csv'}`,
          ...(format ? { format } : {}),
          ...(encoding ? { encoding } : {}),
        });
      } else if (type === 'application/json') table = jsonBodyTable(c.body);
      else
        throw new HttpError(
          415,
          'unsupported-media-type',
          'send the data as text/csv, text/tab-separated-values, application/x-ndjson, an XLSX file, or a JSON array (application/json)',
        );
      const meta = await storeDataset(c.s.datasets, name, table);
      c.reply.code(201);
      return meta;
    } catch (e) {
      // Refused part-way (too large, undecodable): the rest of the body is discarded and the connection closed
      // after the answer, so the next request on it does not wait behind an unread body.
      if (isStream(c.body) && !c.body.readableEnded) {
        closeAfterReply(c.reply);
        c.body.resume();
      }
      throw dataInputHttpError(e);
    }
  },

  listDatasets: async (c) => ({ datasets: c.s.datasets.list() }),

  createJob: async (c) => {
    const b = c.body;
    const v = c.s.templates.get(b.templateId, b.version);
    if (!v)
      throw notFound(
        `template "${b.templateId}" has no version ${b.version}; publish it first or list versions at GET /api/v1/templates/${encodeURIComponent(b.templateId)}/versions`,
      );
    // Approval gate (docs/review.md): with requireApproval, every variant in the data must be approved for this
    // version and data; a proof (options.proof) runs regardless.
    await approvalGate(c.s, v, b);
    if (b.channels.includes('print') && !v.document.print)
      throw new HttpError(422, 'bad-request', `template "${b.templateId}" has no print channel; ask for channels ["email"]`);
    if ((b.options.split !== undefined || b.options.onError !== undefined) && !b.channels.includes('print'))
      throw new HttpError(400, 'bad-request', 'options.split and options.onError apply to print jobs; add "print" to channels');
    if (b.channels.includes('email') && !v.document.email)
      throw new HttpError(422, 'bad-request', `template "${b.templateId}" has no email channel`);
    const scheduledAtMs = scheduledTime(b.options.scheduleAt, Date.now());
    if (b.options.range && b.options.range.to < b.options.range.from)
      throw new HttpError(400, 'bad-request', 'options.range.to must not be before options.range.from');
    let data: unknown = b.data;
    const source = resolveData(c.s, b.data);
    // A file sent with the job is stored as a dataset (row by row, as an upload is); the job names it.
    if ('file' in b.data)
      try {
        data = { datasetId: (await storeDataset(c.s.datasets, `job upload ${new Date().toISOString()}`, source.table())).id };
      } catch (e) {
        throw dataInputHttpError(e);
      }
    const created = c.s.jobs.create({
      versionId: v.dto.id,
      channels: [...new Set(b.channels)],
      options: b.options,
      data,
      by: c.token?.name ?? 'unknown',
      scheduledAtMs,
    });
    c.s.runner.tick();
    c.reply.code(201).header('location', `/api/v1/jobs/${created.id}`);
    return jobDto(c.s, created);
  },

  listJobs: async (c) => ({ jobs: c.s.jobs.list(c.query.limit).map((j) => jobDto(c.s, j)) }),

  getJob: async (c) => jobDto(c.s, job(c.s, c.params.id)),

  cancelJob: async (c) => {
    const j = job(c.s, c.params.id);
    if (!c.s.runner.cancel(j.id))
      throw new HttpError(409, 'conflict', `the job is already ${j.status}; only scheduled, queued or running jobs can be canceled`);
    return jobDto(c.s, job(c.s, j.id));
  },

  jobErrors: async (c) => {
    job(c.s, c.params.id);
    return c.s.jobs.errors(c.params.id, c.query.limit, c.query.offset);
  },

  jobFiles: async (c) => {
    const j = job(c.s, c.params.id);
    return {
      files: c.s.jobs.outputs(j.id).map((o) => ({
        name: o.file,
        bytes: o.bytes,
        row: o.row === 0 ? null : o.row,
        recordKey: o.recordKey,
        url: `/api/v1/jobs/${j.id}/files/${encodeURIComponent(o.file)}`,
      })),
    };
  },

  jobFile: async (c) => {
    const j = job(c.s, c.params.id);
    // Only files the job has listed (complete, renamed into place) are served; never a temporary file.
    const o = c.s.jobs.output(j.id, c.params.name);
    if (!o) throw notFound(`job "${j.id}" has no file "${c.params.name}"; list its files at GET /api/v1/jobs/${j.id}/files`);
    const path = join(c.s.runner.filesDir(j.id), basename(o.file));
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      throw notFound(`the file "${o.file}" of job "${j.id}" is no longer on the server; run the job again`);
    }
    const ascii = o.file.replace(/[^\x20-\x7e]|["\\]/g, '_');
    return c.reply
      .type('application/pdf')
      .header('content-length', size)
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(o.file)}`)
      .send(createReadStream(path));
  },

  jobReport: async (c) => report(c.s, job(c.s, c.params.id)),

  jobReportCsv: async (c) => {
    const j = job(c.s, c.params.id);
    const lines = ['row,record_key,email,status,attempts,deferrals,uncertain,opens,clicks,unsubscribed,sent_at,response,error'];
    for (const r of c.s.deliveries.recipients(j.id))
      lines.push(
        [
          r.row,
          r.record_key,
          r.recipient,
          r.status,
          r.attempts,
          r.deferrals,
          r.uncertain ? 'yes' : '',
          r.opens,
          r.clicks,
          r.unsubscribed ? 'yes' : '',
          r.sent_at,
          r.response,
          r.error,
        ]
          .map(csvCell)
          .join(','),
      );
    c.reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${j.id}-report.csv"`);
    return `${lines.join('\r\n')}\r\n`;
  },
} satisfies {
  [
    K in
      | 'createDataset'
      | 'listDatasets'
      | 'createJob'
      | 'listJobs'
      | 'getJob'
      | 'cancelJob'
      | 'jobErrors'
      | 'jobFiles'
      | 'jobFile'
      | 'jobReport'
      | 'jobReportCsv'
  ]: Handler<A[K]>;
};
