import type { PreparedEmail } from '../compose/email/compose';
import { approximateCmykTransform } from '../color/cmyk';
import type { PrintCondition } from '../color/swatch-report';
import type { DataIssue, DataRow } from '../data/records';
import type { TemplateDocument } from '../model/document';
import { compileRules, type BoundRecord } from '../rules/engine';
import { brandOccurrences } from './brand';
import { createEmailChecker, PREFLIGHT_BUILTINS, type EmailChecker } from './email';
import { createPrintChecker, type PrintChecker } from './print';
import { FindingCollector, summarise, type FindingChannel, type Occurrence, type Report } from './report';
import { quoteValue } from '../model/issues';

/**
 * preflight(input, options) → Report: every check over template × data × variants, pure and synchronous.
 * The host (CLI, server, studio) reads the files, compiles the email's MJML and picks the printing
 * condition; this function only looks.
 */

export type Channel = 'print' | 'email';

export interface PreflightInput {
  document: TemplateDocument;
  /** sha256 → bytes: the template package's assets (fonts and images, as the print composer takes them). */
  assets: ReadonlyMap<string, Uint8Array>;
  /** Typed rows from shared/data (readRecords / parseDataFile), in file order. */
  rows: Iterable<DataRow>;
  /** File-level issues of the data (row 0). */
  fileIssues?: readonly DataIssue[];
  /** The precompiled email (prepareEmail with the host's MJML compiler); required to check the email channel. */
  email?: PreparedEmail;
  /** The printing condition for colour checks; the approximate model when absent. */
  condition?: PrintCondition;
  /** zlib compressor for decoding images (a host's native one); fflate when absent. */
  deflate?: (data: Uint8Array, level: number) => Uint8Array;
}

export interface PreflightOptions {
  /** ISO date the rules treat as today. */
  today: string;
  /** Channels to check; default: every channel the template has. */
  channels?: readonly Channel[];
  /** Only records of this variant key (e.g. a dealer id). */
  variant?: string;
  /** Minimum effective resolution of raster images in print (default 300 ppi). */
  minPpi?: number;
  /** HTML bytes above which an email is reported (default 102 KB, where Gmail clips). */
  emailWeightLimit?: number;
  /** ΔE2000 threshold for swatches (default brand.deltaEThreshold). */
  deltaEThreshold?: number;
  /** Rows listed per finding (the count is always complete; default 10). */
  maxRowsListed?: number;
}

export const DEFAULT_MIN_PPI = 300;
export const DEFAULT_EMAIL_WEIGHT_LIMIT = 102 * 1024;

export class PreflightInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreflightInputError';
  }
}

const approximateCondition = (): PrintCondition => ({
  absolute: approximateCmykTransform('absolute'),
  relative: approximateCmykTransform('relative'),
});

export function preflight(input: PreflightInput, options: PreflightOptions): Report {
  const doc = input.document;
  const available: Channel[] = [...(doc.print ? ['print' as const] : []), ...(doc.email ? ['email' as const] : [])];
  const channels = options.channels ?? available;
  for (const c of channels)
    if (!available.includes(c))
      throw new PreflightInputError(`the template has no ${c} channel; check ${available.join(' and ') || 'nothing'}`);
  if (channels.includes('email') && !input.email)
    throw new PreflightInputError('checking the email channel needs the precompiled email (prepareEmail) from the host');
  const minPpi = options.minPpi ?? DEFAULT_MIN_PPI;
  const emailWeightLimit = options.emailWeightLimit ?? DEFAULT_EMAIL_WEIGHT_LIMIT;
  const deltaE = options.deltaEThreshold ?? doc.brand.deltaEThreshold;
  const condition = input.condition ?? approximateCondition();
  const collector = new FindingCollector(options.maxRowsListed ?? 10);
  const add = (channel: FindingChannel, o: Omit<Occurrence, 'channel'>) => collector.add({ ...o, channel });

  // The template itself.
  for (const o of brandOccurrences(doc, channels, condition, deltaE)) collector.add(o);
  checkVariantValues(doc, add);
  for (const i of input.fileIssues ?? []) dataIssue(i, undefined, doc, channels, add);

  const print: PrintChecker | undefined = channels.includes('print')
    ? createPrintChecker(doc, input.assets, { minPpi }, input.deflate)
    : undefined;
  const email: EmailChecker | undefined =
    channels.includes('email') && input.email ? createEmailChecker(doc, input.email, { weightLimit: emailWeightLimit }) : undefined;
  print?.checkStatic((o) => add('print', o));

  // Every record.
  const rules = compileRules(doc, { today: options.today });
  const variants = doc.variants;
  const knownKeys = new Set(variants?.items.map((v) => v.key) ?? []);
  let records = 0;
  for (const row of input.rows) {
    const rawKey = variants ? String(row.values[variants.keyField] ?? '').trim() : '';
    if (options.variant !== undefined && rawKey !== options.variant) continue;
    records++;
    const record = { row: row.row, key: String(row.values[doc.data.recordKey] ?? `row ${row.row}`), variant: rawKey };
    const rowAdd = (channel: FindingChannel) => (o: Omit<Occurrence, 'channel' | 'record'>) => add(channel, { ...o, record });

    let blocking = false;
    for (const i of row.issues) if (dataIssue(i, record, doc, channels, add)) blocking = true;
    const addressReported = row.issues.some((i) => i.code === 'bad-value' && i.field === doc.email?.recipientField);
    // A row the data reader could not read is not produced; its data finding says why. Checking its
    // composition would only add findings that follow from the same cause.
    if (blocking) continue;

    const b = rules.bind(row.values, row.row, { builtins: PREFLIGHT_BUILTINS });
    if (!b.ok) {
      const unknown = variants !== undefined && !knownKeys.has(rawKey);
      rowAdd('data')({
        code: unknown ? 'variant-unknown-key' : 'compose-failed',
        ...(unknown ? { severity: b.skip ? 'warning' : 'error' } : {}),
        target: unknown && variants ? { kind: 'field', id: variants.keyField } : { kind: 'file', id: 'rules' },
        message: unknown && b.skip ? `${b.reason.split(' — ')[0]}; the record is skipped` : b.reason,
      });
      continue;
    }
    const bound: BoundRecord = b.bound;
    if (variants && bound.variant && !bound.variant.matched)
      rowAdd('data')({
        code: 'variant-unknown-key',
        target: { kind: 'field', id: variants.keyField },
        message: `${variants.keyField} ${quoteValue(rawKey)} matches no ${variants.alias}; the record uses the fallback "${variants.fallback.label}"`,
        fix: `Add ${quoteValue(rawKey)} to the template variants, correct the key in the data, or confirm the fallback branding is right for it.`,
      });
    print?.checkRecord(bound, rowAdd('print'));
    email?.checkRecord(bound, rowAdd('email'), addressReported);
  }

  const findings = collector.findings();
  return {
    ok: !findings.some((f) => f.severity === 'error'),
    channels: [...channels],
    ...(options.variant !== undefined ? { variant: options.variant } : {}),
    thresholds: { minPpi, emailWeightLimit, deltaE },
    colorCondition: condition.absolute.description,
    summary: summarise(findings, records),
    findings,
  };
}

type Add = (channel: FindingChannel, o: Omit<Occurrence, 'channel'>) => void;

/** A data reader issue as a finding; true when the issue stops the row from being produced. */
function dataIssue(i: DataIssue, record: Occurrence['record'], doc: TemplateDocument, channels: readonly Channel[], add: Add): boolean {
  const fieldName = i.field ?? i.column;
  const field = i.field !== undefined ? doc.data.fields.find((f) => f.name === i.field) : undefined;
  const target = fieldName !== undefined ? { kind: 'field' as const, id: fieldName } : { kind: 'file' as const, id: 'data' };
  const base = { target, ...(record ? { record } : {}) };
  if (i.code === 'missing-required') {
    add('data', { ...base, code: 'missing-required-data', message: `required field "${fieldName ?? '?'}" is empty` });
    return true;
  }
  // One policy with the data reader, print and email: an unreadable value in a required field stops the
  // record (error); in an optional field it is left out and the record goes on (warning) — except that an
  // unreadable recipient address stops the email of that record.
  const blocksRow = i.severity === 'error';
  if (i.code === 'bad-value' && field?.type === 'email') {
    const recipient = doc.email?.recipientField === field.name;
    const blocksEmail = recipient && channels.includes('email');
    add(blocksEmail ? 'email' : 'data', {
      ...base,
      code: 'email-invalid-address',
      severity: blocksEmail || blocksRow ? 'error' : 'warning',
      message: `"${field.name}" is not a valid email address${blocksRow ? '; the field is required, so the record is not produced' : blocksEmail ? '; this record cannot be emailed' : '; the field is optional, so it is left out'}`,
    });
    return blocksRow;
  }
  if (blocksRow) {
    add('data', { ...base, code: 'data-error', message: i.code === 'bad-value' ? stripValue(i.message) : i.message });
    return true;
  }
  add('data', { ...base, code: 'data-warning', message: i.code === 'bad-value' ? stripValue(i.message) : i.message });
  return false;
}

/** Data messages quote the cell; the finding names the field and lists the rows instead, so equal problems aggregate. */
const stripValue = (m: string) => m.replace(/"(?:[^"\\]|\\.)*"/, 'the value');

/** Required variant fields that a variant (or the fallback) leaves empty. */
function checkVariantValues(doc: TemplateDocument, add: Add): void {
  const variants = doc.variants;
  if (!variants) return;
  const required = variants.fields.filter((f) => f.required);
  variants.items.forEach((v, vi) => {
    for (const f of required)
      if (!(v.values[f.name] ?? '').trim())
        add('data', {
          code: 'missing-required-data',
          target: { kind: 'variant', id: v.key, path: `variants.items[${vi}].values.${f.name}` },
          message: `${variants.alias} "${v.key}" (${v.label}) has no value for the required field "${f.name}"`,
          fix: `Fill in ${variants.alias}.${f.name} for "${v.label}" in the template variants.`,
        });
  });
  if (variants.onUnknownKey === 'fallback')
    for (const f of required)
      if (!(variants.fallback.values[f.name] ?? '').trim())
        add('data', {
          code: 'missing-required-data',
          target: { kind: 'variant', id: '(fallback)', path: `variants.fallback.values.${f.name}` },
          message: `the fallback ${variants.alias} has no value for the required field "${f.name}"`,
          fix: `Fill in the fallback value of ${variants.alias}.${f.name} in the template variants.`,
        });
}
