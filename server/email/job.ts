import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TemplatePackage } from '../../shared/model/package';
import { compileRules, RulesError } from '../../shared/rules/engine';
import { prepareEmail, type PreparedEmail } from '../../shared/compose/email/compose';
import { formatDataIssue, type DataIssue } from '../../shared/data/records';
import { isEmailAddress } from '../../shared/links/address';
import { readDataFile } from '../data/read';
import { compileMjml } from './mjml';
import { toEml } from './eml';
import { socialIcons } from './icons';
import { quoteValue } from '../../shared/model/issues';

/**
 * The email composition job behind `presswork compose email` and `preview email`: template + data file →
 * one .eml per record, every record that cannot be sent reported (never silently dropped).
 */

export interface EmailJobOptions {
  /** ISO date rules treat as today. */
  today: string;
  /** Base for placeholder per-recipient URLs: <base>/unsubscribe/<record key>, <base>/view/<record key>. */
  baseUrl: string;
  /** How images and fonts are linked: under a base URL (for sending) or inlined as data: URIs (for previews). */
  assets: { kind: 'url'; base: string } | { kind: 'inline' };
}

export const DEFAULT_BASE_URL = 'https://example.invalid';

export async function prepareJob(pkg: TemplatePackage, opts: EmailJobOptions): Promise<PreparedEmail> {
  const doc = pkg.document;
  const rules = compileRules(doc, { today: opts.today });
  const byId = new Map(doc.assets.map((a) => [a.id as string, a]));
  const assetUrl = (id: string): string | undefined => {
    const a = byId.get(id);
    if (!a) return undefined;
    if (opts.assets.kind === 'url')
      return `${opts.assets.base.replace(/\/$/, '')}/${a.sha256}/${encodeURIComponent(a.name.split('/').pop() ?? a.name)}`;
    const bytes = pkg.assets.get(a.sha256);
    return bytes ? `data:${a.mediaType};base64,${Buffer.from(bytes).toString('base64')}` : undefined;
  };
  const icons = new Map(socialIcons().map((i) => [i.network as string, i]));
  const iconUrl = (network: string): string | undefined => {
    const icon = icons.get(network);
    if (!icon) return undefined;
    return opts.assets.kind === 'url'
      ? `${opts.assets.base.replace(/\/$/, '')}/${icon.sha256}/${icon.file}`
      : `data:image/png;base64,${Buffer.from(icon.bytes).toString('base64')}`;
  };
  return prepareEmail(doc, rules, { compileMjml: (m) => compileMjml(m), assetUrl, iconUrl });
}

export const placeholderUrls = (base: string, key: string) => ({
  unsubscribe_url: `${base.replace(/\/$/, '')}/unsubscribe/${encodeURIComponent(key)}`,
  view_online_url: `${base.replace(/\/$/, '')}/view/${encodeURIComponent(key)}`,
});

export interface ReportedRecord {
  row: number;
  line?: number;
  key?: string;
  column?: string;
  code: string;
  message: string;
}
export interface WrittenRecord {
  row: number;
  key: string;
  file: string;
  to: string;
  subject: string;
  variant?: string;
  /** Links or images the URL policy left out of this message (it was written without them). */
  problems?: { code: string; id: string; message: string }[];
}
export interface EmailJobSummary {
  template: string;
  data: string;
  today: string;
  placeholderUrls: string;
  records: number;
  written: WrittenRecord[];
  reported: ReportedRecord[];
  fileIssues: DataIssue[];
  warnings: string[];
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'record';

export async function runEmailJob(
  pkg: TemplatePackage,
  paths: { template: string; data: string; out: string; sheet?: string },
  opts: EmailJobOptions,
  onReport: (line: string) => void,
): Promise<EmailJobSummary> {
  const doc = pkg.document;
  const email = doc.email;
  if (!email) throw new RulesError('liquid-syntax', 'the template has no email channel');
  const prepared = await prepareJob(pkg, opts);
  await mkdir(paths.out, { recursive: true });
  const stream = readDataFile(paths.data, doc.data, { sheet: paths.sheet });
  const summary: EmailJobSummary = {
    template: paths.template,
    data: paths.data,
    today: opts.today,
    placeholderUrls: `${opts.baseUrl}/unsubscribe/<record key> and ${opts.baseUrl}/view/<record key> stand in for the signed per-recipient URLs the delivery server adds`,
    records: 0,
    written: [],
    reported: [],
    fileIssues: stream.fileIssues,
    warnings: [...prepared.mjmlWarnings],
  };
  const report = (r: ReportedRecord) => {
    summary.reported.push(r);
    onReport(
      `row ${r.row}${r.line !== undefined ? ` (line ${r.line})` : ''}${r.key ? ` [${r.key}]` : ''}${r.column ? `, column "${r.column}"` : ''}: ${r.message} — not written`,
    );
  };
  const width = 6;
  const runDate = new Date();
  for await (const row of stream) {
    summary.records++;
    const key = String(row.values[doc.data.recordKey] ?? `row-${row.row}`);
    // The one policy (shared/data/records.ts): errors stop the record; an unreadable optional value is left out
    // with a warning — except the recipient address, without which there is no email to write.
    const stops = (i: DataIssue) => i.severity === 'error' || (i.code === 'bad-value' && i.field === email.recipientField);
    const errors = row.issues.filter(stops);
    for (const w of row.issues.filter((i) => !stops(i))) {
      summary.warnings.push(formatDataIssue(w));
      if (w.code === 'bad-value') onReport(`${formatDataIssue(w)} (written without it)`);
    }
    if (errors.length) {
      for (const e of errors) report({ row: row.row, line: e.line, key, column: e.column, code: e.code, message: e.message });
      continue;
    }
    const r = prepared.compose(row.values, row.row, { builtins: placeholderUrls(opts.baseUrl, key) });
    if (!r.ok) {
      report({ row: row.row, line: row.line, key, code: r.code, message: r.reason });
      continue;
    }
    const m = r.email;
    if (!m.to || !isEmailAddress(m.to)) {
      report({
        row: row.row,
        line: row.line,
        key,
        column: email.recipientField,
        code: 'no-recipient',
        message: `no valid address in "${email.recipientField}"; fill it in to send this record`,
      });
      continue;
    }
    if (!isEmailAddress(m.from.email)) {
      report({
        row: row.row,
        line: row.line,
        key,
        code: 'bad-sender',
        message: `the sender address ${quoteValue(m.from.email)} is not valid; check email.from.email and the variant values it uses`,
      });
      continue;
    }
    if (m.replyTo !== undefined && !isEmailAddress(m.replyTo)) {
      report({
        row: row.row,
        line: row.line,
        key,
        code: 'bad-reply-to',
        message: `the reply-to address ${quoteValue(m.replyTo)} is not valid; check email.replyTo and the values it uses`,
      });
      continue;
    }
    for (const p of m.problems) {
      const line = `row ${row.row}${row.line !== undefined ? ` (line ${row.line})` : ''} [${key}]: ${p.message} — written without it`;
      summary.warnings.push(line);
      onReport(line);
    }
    const file = `${String(row.row).padStart(width, '0')}-${safeName(key)}.eml`;
    const eml = toEml(m, {
      // Short whatever the key (a Message-ID cannot be folded): row, a hash of template and key, the run.
      messageId: `<r${row.row}.${createHash('sha256').update(`${doc.id}\n${key}`).digest('hex').slice(0, 16)}.${runDate.getTime().toString(36)}@presswork.invalid>`,
      date: runDate,
      headers: { 'X-Presswork-Record': key, 'X-Presswork-Template': doc.id },
    });
    await writeFile(join(paths.out, file), eml);
    summary.written.push({
      row: row.row,
      key,
      file,
      to: m.to,
      subject: m.subject,
      variant: m.variantKey,
      ...(m.problems.length ? { problems: m.problems } : {}),
    });
  }
  for (const i of stream.fileIssues) onReport(formatDataIssue(i));
  await writeFile(join(paths.out, 'index.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
