import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { formatFromName } from '../../../shared/data/records';
import { DecisionSchema, VersionApprovalsSchema, type VersionApprovalsDto } from '../../../shared/http/approvals';
import { api } from '../../../shared/http/routes';
import { TemplateListSchema, type Role } from '../../../shared/http/schemas';
import { writeOut } from '../output';
import { reportServerError, routePath, serverClient, ServerError, serverTarget } from '../server-client';

/**
 * `presswork approve` and `presswork approvals`: variant approvals on a server (docs/review.md), with the same
 * server and token handling as `presswork publish`. Exit codes: 0 done, 1 server unreachable, 2 refused or bad input.
 */

interface Target {
  server?: string;
  token?: string;
}

interface DataOpts {
  data?: string;
  dataset?: string;
}

type Call = ReturnType<typeof serverClient>;

/** A template id, or a template's name (case-insensitive) when no id matches; an error lists what there is. */
async function resolveTemplate(call: Call, idOrName: string): Promise<{ templateId: string; latestVersion: number }> {
  const { templates } = TemplateListSchema.parse((await call('GET', api.listTemplates.path)).json);
  const byId = templates.find((t) => t.templateId === idOrName);
  if (byId) return byId;
  const byName = templates.filter((t) => t.name.toLowerCase() === idOrName.toLowerCase());
  if (byName.length === 1) return byName[0]!;
  const list = templates.map((t) => `${t.templateId} ("${t.name}")`).join(', ');
  if (byName.length > 1)
    throw new ServerError(
      `${byName.length} templates are named "${idOrName}": ${byName.map((t) => t.templateId).join(', ')}; name one by its id`,
      'ambiguous',
    );
  throw new ServerError(
    `the server has no template with the id or name "${idOrName}"; ${templates.length ? `published: ${list}` : 'nothing is published yet (presswork publish)'}`,
    'not-found',
  );
}

/**
 * The data a decision or a status is about, as the server's ApprovalData: a stored dataset, or a data file sent
 * whole as its bytes (base64), so that the server reads it (format, encoding) and hashes its records exactly as it
 * does for a job naming the same file.
 */
async function dataOf(opts: DataOpts): Promise<{ data: unknown; label?: string } | undefined> {
  if (opts.data && opts.dataset) throw new ServerError('give --data <file> or --dataset <id>, not both', 'bad-input');
  if (opts.dataset) return { data: { datasetId: opts.dataset } };
  if (!opts.data) return undefined;
  const format = formatFromName(opts.data);
  let bytes: Buffer;
  try {
    bytes = await readFile(opts.data);
  } catch (e) {
    throw new ServerError(`cannot read ${opts.data}: ${(e as Error).message}`, 'bad-input');
  }
  return { data: { file: { base64: bytes.toString('base64'), format } }, label: basename(opts.data) };
}

function versionNumber(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new ServerError(`--version must be a version number (1, 2, …), not "${v}"`, 'bad-input');
  return n;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** The statuses as a table for people, then the history count. */
export function formatApprovals(a: VersionApprovalsDto): string {
  const rows = a.variants.map((v) => {
    const d = v.decision;
    const who = d ? `${d.decision} by ${d.by} ${d.at.slice(0, 16).replace('T', ' ')}Z` : '';
    const note = v.reason ?? (d?.comment ? `"${d.comment}"` : '');
    return [v.variant, v.label, v.status, who, note];
  });
  const head = ['VARIANT', 'LABEL', 'STATUS', 'LAST DECISION', 'COMMENT / WHY'];
  const widths = head.map((h, i) => Math.min(48, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  const approved = a.variants.filter((v) => v.status === 'approved').length;
  let gate: string[] = [];
  if (a.inData) {
    const used = new Set(a.inData);
    const blocking = a.variants.filter((v) => used.has(v.variant) && v.status !== 'approved').map((v) => v.variant);
    gate = [
      `the data uses ${a.inData.join(', ') || 'no variant'}: ${blocking.length ? `a production job would be refused for ${blocking.join(', ')}` : 'a production job with it would pass the approval gate'}`,
    ];
  }
  return [
    `${a.templateId} version ${a.version}: ${approved} of ${a.variants.length} variants approved ${a.datasetSha256 ? `for dataset ${a.datasetSha256.slice(0, 12)}…` : '(any data)'}`,
    ...gate,
    line(head),
    ...rows.map(line),
    `${a.history.length} decision${a.history.length === 1 ? '' : 's'} on this version (--csv for the report)`,
  ].join('\n');
}

const serverOptions = (c: Command, role: Role) =>
  c
    .option('--server <url>', 'server base URL (default: $PRESSWORK_SERVER or http://127.0.0.1:8787)')
    .option('--token <token>', `${role} token (default: $PRESSWORK_TOKEN)`);

export function registerApprovals(program: Command): void {
  serverOptions(
    program
      .command('approve')
      .description('approve (or --reject) one variant (dealer) of a published template version against the data it will be produced with')
      .argument('<template>', 'template id or name on the server')
      .requiredOption('--version <n>', 'the published version')
      .requiredOption('--variant <key>', 'the variant key (a dealer key such as NS01, "(fallback)" or "(template)")')
      .option('--reject', 'record a rejection instead (needs --comment saying what to change)')
      .option('--comment <text>', 'the comment kept with the decision', '')
      .option('--data <file>', 'the CSV or JSON data file the decision is made against (a job must use the same data)')
      .option('--dataset <id>', 'or a dataset stored on the server')
      .option('--data-label <name>', 'a name for the data in the report (default: the file name or dataset name)')
      .option('--json', 'print the decision as JSON'),
    'approver',
  ).action(
    async (
      template: string,
      opts: Target & DataOpts & { version: string; variant: string; reject?: boolean; comment: string; dataLabel?: string; json?: boolean },
    ) => {
      const target = serverTarget(opts, 'approve', 'approver');
      if (!target) return;
      try {
        const version = versionNumber(opts.version)!;
        const data = await dataOf(opts);
        if (!data)
          throw new ServerError(
            'an approval is made against the data it will be produced with: pass --data <file.csv|file.json> or --dataset <id>',
            'bad-input',
          );
        if (opts.reject && !opts.comment.trim())
          throw new ServerError('a rejection needs --comment "…" saying what to change', 'bad-input');
        const call = serverClient(target, 'approver', 'approve or reject variants');
        const t = await resolveTemplate(call, template);
        const res = await call(
          'POST',
          routePath(api.decideApproval, { templateId: t.templateId, version }),
          JSON.stringify({
            variant: opts.variant,
            decision: opts.reject ? 'rejected' : 'approved',
            comment: opts.comment,
            data: data.data,
            ...((opts.dataLabel ?? data.label) ? { dataLabel: opts.dataLabel ?? data.label } : {}),
          }),
        );
        const d = DecisionSchema.parse(res.json);
        if (opts.json) writeOut(JSON.stringify(d, null, 2));
        else
          writeOut(
            `${d.templateId} version ${d.version}: ${d.variant} ${d.decision} by ${d.by} at ${d.at} against ${d.dataLabel} (dataset sha256 ${d.datasetSha256.slice(0, 12)}…)`,
          );
      } catch (e) {
        reportServerError('approve', e);
      }
    },
  );

  serverOptions(
    program
      .command('approvals')
      .description("every variant's approval status for a template version, or the approval report (--csv)")
      .argument('<template>', 'template id or name on the server')
      .option('--version <n>', 'the published version (default: the latest)')
      .option('--data <file>', 'statuses against this CSV or JSON data file (default: against any data)')
      .option('--dataset <id>', 'or against a dataset stored on the server')
      .option('--csv', "print the server's CSV approval report (one row per decision on the version)")
      .option('--json', 'print the statuses and the history as JSON'),
    'viewer',
  ).action(async (template: string, opts: Target & DataOpts & { version?: string; csv?: boolean; json?: boolean }) => {
    const target = serverTarget(opts, 'approvals', 'viewer');
    if (!target) return;
    try {
      if (opts.csv && opts.json) throw new ServerError('give --csv or --json, not both', 'bad-input');
      if (opts.csv && (opts.data || opts.dataset))
        throw new ServerError('the CSV report lists every decision on the version whatever its data; drop --data/--dataset', 'bad-input');
      const call = serverClient(target, 'viewer', 'read approvals');
      const t = await resolveTemplate(call, template);
      const version = versionNumber(opts.version) ?? t.latestVersion;
      const params = { templateId: t.templateId, version };
      if (opts.csv) {
        process.stdout.write((await call('GET', routePath(api.approvalReportCsv, params))).text);
        return;
      }
      const data = await dataOf(opts);
      const res = data
        ? await call('POST', routePath(api.approvalStatus, params), JSON.stringify({ data: data.data }))
        : await call('GET', routePath(api.listApprovals, params));
      const a = VersionApprovalsSchema.parse(res.json);
      writeOut(opts.json ? JSON.stringify(a, null, 2) : formatApprovals(a));
    } catch (e) {
      reportServerError('approvals', e);
    }
  });
}
