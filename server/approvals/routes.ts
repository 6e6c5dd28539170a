import type { z } from 'zod';
import type { ApprovalDataSchema, approvalRoutes } from '../../shared/http/approvals';
import type { DataSource } from '../data/source';
import type { Services } from '../services';
import type { StoredVersion } from '../store/templates-repo';
import { HttpError, notFound, type Handler } from '../http/route-kit';
import { approvalsRepo } from './repo';
import { approvableVariants, datasetSha256, resolveData, variantKeysInData, variantStatuses } from './service';

type A = typeof approvalRoutes;

function version(s: Services, templateId: string, v: number): StoredVersion {
  const found = s.templates.get(templateId, v);
  if (!found)
    throw notFound(
      `template "${templateId}" has no version ${v}; list them at GET /api/v1/templates/${encodeURIComponent(templateId)}/versions`,
    );
  return found;
}

/** The dataset hash of approval data, a readable name of it for the report, and its records when sent. */
async function dataHash(
  s: Services,
  data: z.output<typeof ApprovalDataSchema>,
): Promise<{ sha: string; label: string; source?: DataSource }> {
  if ('datasetSha256' in data) return { sha: data.datasetSha256, label: `dataset ${data.datasetSha256.slice(0, 12)}…` };
  const got = resolveData(s, data);
  return { sha: await datasetSha256(got), label: got.label, source: got };
}

const csvCell = (v: unknown): string => {
  const t = v === null || v === undefined ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(t) ? `'${t}` : t;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const approvalHandlers = {
  listApprovals: async (c) => {
    const v = version(c.s, c.params.templateId, c.params.version);
    const all = approvalsRepo(c.s.db).history(v.dto.templateId);
    return {
      templateId: v.dto.templateId,
      version: v.dto.version,
      datasetSha256: c.query.datasetSha256 ?? null,
      variants: variantStatuses(v.document, v.dto.version, all, c.query.datasetSha256),
      history: all.filter((d) => d.version === v.dto.version),
    };
  },

  approvalStatus: async (c) => {
    const v = version(c.s, c.params.templateId, c.params.version);
    const { sha: dataSha, source } = await dataHash(c.s, c.body.data);
    const all = approvalsRepo(c.s.db).history(v.dto.templateId);
    const variants = variantStatuses(v.document, v.dto.version, all, dataSha);
    const used = source ? await variantKeysInData(v.document, source) : undefined;
    return {
      templateId: v.dto.templateId,
      version: v.dto.version,
      datasetSha256: dataSha,
      variants,
      ...(used ? { inData: variants.map((x) => x.variant).filter((k) => used.has(k)) } : {}),
      history: all.filter((d) => d.version === v.dto.version),
    };
  },

  decideApproval: async (c) => {
    const v = version(c.s, c.params.templateId, c.params.version);
    const b = c.body;
    const target = approvableVariants(v.document).find((x) => x.key === b.variant);
    if (!target)
      throw new HttpError(
        422,
        'bad-request',
        `version ${v.dto.version} of "${v.dto.templateId}" has no variant "${b.variant}"; its variants are ${approvableVariants(v.document)
          .map((x) => x.key)
          .join(', ')}`,
      );
    const { sha: dataSha, label } = await dataHash(c.s, b.data);
    if (b.decision === 'rejected' && !b.comment.trim())
      throw new HttpError(400, 'bad-request', 'a rejection needs a comment saying what to change');
    const d = approvalsRepo(c.s.db).add({
      templateId: v.dto.templateId,
      version: v.dto.version,
      variant: target.key,
      decision: b.decision,
      comment: b.comment,
      valuesSha256: target.valuesSha256,
      datasetSha256: dataSha,
      dataLabel: b.dataLabel ?? label,
      by: c.token?.name ?? 'unknown',
    });
    c.reply.code(201);
    return d;
  },

  approvalReportCsv: async (c) => {
    const v = version(c.s, c.params.templateId, c.params.version);
    const all = approvalsRepo(c.s.db).history(v.dto.templateId);
    const current = new Map(variantStatuses(v.document, v.dto.version, all).map((x) => [x.variant, x]));
    const lines = [
      'decided_at,template,version,variant,variant_label,decision,by,comment,data,dataset_sha256,values_sha256,current_status',
    ];
    for (const d of all.filter((x) => x.version === v.dto.version)) {
      const now = current.get(d.variant);
      lines.push(
        [
          d.at,
          d.templateId,
          d.version,
          d.variant,
          now?.label ?? '',
          d.decision,
          d.by,
          d.comment,
          d.dataLabel,
          d.datasetSha256,
          d.valuesSha256,
          now?.decision?.id === d.id ? now.status : 'superseded',
        ]
          .map(csvCell)
          .join(','),
      );
    }
    c.reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${v.dto.templateId}-v${v.dto.version}-approvals.csv"`);
    return `${lines.join('\r\n')}\r\n`;
  },
} satisfies { [K in keyof A]: Handler<A[K]> };
