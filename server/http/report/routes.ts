import type { api } from '../../../shared/http/routes';
import { ReportsRepo } from '../../store/reports-repo';
import { jobDto, report } from '../handlers/jobs';
import { notFound, type Handler } from '../route-kit';
import { REPORT_PAGE_CSP, reportHtml } from './report-page';

/** The report page route (any role, like the JSON and CSV reports). */
export const reportPageHandlers = {
  jobReportPage: async (c) => {
    const j = c.s.jobs.get(c.params.id);
    if (!j) throw notFound(`no job "${c.params.id}"; list jobs at GET /api/v1/jobs`);
    const reports = new ReportsRepo(c.s.db);
    const errs = c.s.jobs.errors(j.id, 100, 0);
    const html = reportHtml({
      job: jobDto(c.s, j),
      report: report(c.s, j),
      timeline: reports.timeline(j.id),
      bounces: reports.bouncesByReason(j.id),
      errors: errs.errors,
      errorsTotal: errs.total,
      failed: reports.failed(j.id),
    });
    c.reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', REPORT_PAGE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store, private');
    return html;
  },
} satisfies { jobReportPage: Handler<(typeof api)['jobReportPage']> };
