import { deflateSync } from 'node:zlib';
import { formatDataIssue, type DataRow } from '../../shared/data/records';
import { formatIssues } from '../cli/output';
import { preflight, type Channel, type PreflightOptions } from '../../shared/preflight/preflight';
import type { Report } from '../../shared/preflight/report';
import { RulesError } from '../../shared/rules/engine';
import { conditionFor } from '../color/condition';
import { readDataFile } from '../data/read';
import { DEFAULT_BASE_URL, prepareJob } from '../email/job';
import { loadTemplate } from '../templates/load';

/**
 * Node side of preflight: read the template package and the data file, compile the email's MJML, pick the
 * printing condition (the template's output intent, else the approximate model), then run the pure engine.
 */

export interface PreflightRunOptions extends Omit<PreflightOptions, 'channels' | 'today'> {
  /** Default: the current date. */
  today?: string;
  /** Default: every channel the template has. */
  channels?: readonly Channel[];
  /** XLSX: the sheet to read. */
  sheet?: string;
  /** ICC output profile for the colour checks (default: the template's output intent, else approximate). */
  profile?: string;
}

export type PreflightRunResult = { ok: true; report: Report } | { ok: false; input: 'template' | 'data' | 'options'; message: string };

const nativeDeflate = (data: Uint8Array, level: number): Uint8Array => deflateSync(data, { level });

export async function runPreflight(templatePath: string, dataPath: string, opts: PreflightRunOptions = {}): Promise<PreflightRunResult> {
  const loaded = await loadTemplate(templatePath);
  if (!loaded.ok) return { ok: false, input: 'template', message: formatIssues(templatePath, loaded.issues) };
  const pkg = loaded.pkg;
  const doc = pkg.document;
  const available: Channel[] = [...(doc.print ? ['print' as const] : []), ...(doc.email ? ['email' as const] : [])];
  const channels = opts.channels ?? available;
  const absent = channels.find((c) => !available.includes(c));
  if (absent) return { ok: false, input: 'options', message: `${templatePath}: the template has no ${absent} channel` };
  const today = opts.today ?? new Date().toISOString().slice(0, 10);

  const rows: DataRow[] = [];
  const stream = readDataFile(dataPath, doc.data, opts.sheet !== undefined ? { sheet: opts.sheet } : {});
  try {
    for await (const row of stream) rows.push(row);
  } catch (e) {
    return { ok: false, input: 'data', message: `cannot read ${dataPath}: ${e instanceof Error ? e.message : String(e)}` };
  }
  const fatal = stream.fileIssues.filter((i) => i.severity === 'error');
  if (fatal.length) return { ok: false, input: 'data', message: fatal.map((i) => `${dataPath}: ${formatDataIssue(i)}`).join('\n') };

  try {
    const email = channels.includes('email')
      ? await prepareJob(pkg, { today, baseUrl: DEFAULT_BASE_URL, assets: { kind: 'url', base: `${DEFAULT_BASE_URL}/assets` } })
      : undefined;
    const { condition } = await conditionFor(pkg, opts.profile);
    const report = preflight(
      {
        document: doc,
        assets: pkg.assets,
        rows,
        fileIssues: stream.fileIssues,
        condition,
        deflate: nativeDeflate,
        ...(email ? { email } : {}),
      },
      { ...opts, today, channels },
    );
    return { ok: true, report };
  } catch (e) {
    if (e instanceof RulesError) return { ok: false, input: 'template', message: `${templatePath}: ${e.message}` };
    throw e;
  }
}
