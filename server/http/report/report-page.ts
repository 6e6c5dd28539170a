import type { JobDto, JobReport } from '../../../shared/http/schemas';
import type { Timeline, TimelineKind } from '../../store/reports-repo';
import { esc, page } from '../pages';

/**
 * A job's report as a page (GET /api/v1/jobs/:id/report.html): the counts of the JSON report, deliveries and
 * engagement over time as inline SVG charts, top links, bounces by reason and the per-record errors. No scripts,
 * no external requests: the page works saved to disk, inside the studio, and under `default-src 'none'`.
 */

export interface ReportPageInput {
  job: JobDto;
  report: JobReport;
  timeline: Timeline | undefined;
  bounces: { reason: string; recipients: number }[];
  errors: { row: number; recordKey: string | null; channel: string; message: string }[];
  errorsTotal: number;
  failed: { row: number; recordKey: string | null; recipient: string | null; error: string }[];
}

export const REPORT_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const COLOURS: Record<TimelineKind, string> = {
  sent: '#2e7d32',
  deferral: '#f9a825',
  bounce: '#c62828',
  open: '#1565c0',
  click: '#6a1b9a',
};
const LABELS: Record<TimelineKind, string> = {
  sent: 'sent',
  deferral: 'deferrals',
  bounce: 'bounced',
  open: 'opens',
  click: 'clicks',
};

const CSS = `
h1{margin:.2rem 0;font-size:26px}h2{font-size:18px;margin:1.8rem 0 .5rem}.muted{color:#666;font-size:14px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(8.5rem,1fr));gap:.6rem;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.5rem .7rem}.card b{display:block;font-size:24px;line-height:1.2}
.card span{font-size:13px;color:#555}.card.bad b{color:#c62828}.card.warn b{color:#a66f00}.card.good b{color:#2e7d32}
svg{display:block;max-width:100%;height:auto}svg text{font:11px system-ui,sans-serif;fill:#555}
.legend{display:flex;gap:1rem;font-size:13px;margin:.3rem 0}.legend i{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.3rem;vertical-align:-1px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.url{word-break:break-all}
details{margin:.4rem 0;font-size:14px}`;

const n = (v: number) => v.toLocaleString('en-US');
const pct = (a: number, b: number) => (b > 0 ? `${((100 * a) / b).toFixed(1)}%` : '–');

function timeLabel(ms: number, bucketMs: number): string {
  const iso = new Date(ms).toISOString();
  if (bucketMs >= 86_400_000) return iso.slice(0, 10);
  if (bucketMs >= 60_000) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(11, 19);
}

const widthWords = (ms: number) =>
  ms >= 86_400_000
    ? `${ms / 86_400_000} day`
    : ms >= 3_600_000
      ? `${ms / 3_600_000} h`
      : ms >= 60_000
        ? `${ms / 60_000} min`
        : `${ms / 1000} s`;

/** A bar chart of `kinds` per time bucket: stacked bars with a y axis, first/last time labels and a hover title per bar. */
function chart(t: Timeline, kinds: readonly TimelineKind[], label: string): string {
  const W = 760;
  const H = 220;
  const left = 48;
  const right = 12;
  const top = 12;
  const bottom = 28;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const totals = Array.from({ length: t.buckets }, (_, i) => kinds.reduce((a, k) => a + (t.series[k][i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const slot = plotW / t.buckets;
  const barW = Math.max(1, Math.min(40, slot * 0.8));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  for (const v of [...new Set([0, Math.round(max / 2), max])]) {
    parts.push(`<line x1="${left}" x2="${W - right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${n(v)}</text>`);
  }
  for (let i = 0; i < t.buckets; i++) {
    let base = 0;
    const x = left + i * slot + (slot - barW) / 2;
    const at = timeLabel(t.startMs + i * t.bucketMs, t.bucketMs);
    for (const k of kinds) {
      const v = t.series[k][i] ?? 0;
      if (v === 0) continue;
      const y1 = y(base + v);
      const h = y(base) - y1;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y1.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(0.5, h).toFixed(1)}" fill="${COLOURS[k]}"><title>${esc(`${at}: ${n(v)} ${LABELS[k]}`)}</title></rect>`,
      );
      base += v;
    }
  }
  parts.push(`<line x1="${left}" x2="${W - right}" y1="${top + plotH}" y2="${top + plotH}" stroke="#999"/>`);
  parts.push(`<text x="${left}" y="${H - 8}">${esc(timeLabel(t.startMs, t.bucketMs))}</text>`);
  parts.push(
    `<text x="${W - right}" y="${H - 8}" text-anchor="end">${esc(timeLabel(t.startMs + (t.buckets - 1) * t.bucketMs, t.bucketMs))} (UTC, ${widthWords(t.bucketMs)} per bar)</text>`,
  );
  const legend = `<div class="legend">${kinds
    .map((k) => `<span><i style="background:${COLOURS[k]}"></i>${LABELS[k]} ${n(t.series[k].reduce((a, b) => a + b, 0))}</span>`)
    .join('')}</div>`;
  const table = `<details><summary>The numbers behind the chart</summary><table><thead><tr><th>from (UTC)</th>${kinds
    .map((k) => `<th class="num">${LABELS[k]}</th>`)
    .join('')}</tr></thead><tbody>${totals
    .map((tot, i) =>
      tot === 0
        ? ''
        : `<tr><td>${esc(new Date(t.startMs + i * t.bucketMs).toISOString())}</td>${kinds.map((k) => `<td class="num">${n(t.series[k][i] ?? 0)}</td>`).join('')}</tr>`,
    )
    .join('')}</tbody></table></details>`;
  return `${legend}<svg role="img" aria-label="${esc(label)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>${table}`;
}

export function reportHtml(p: ReportPageInput): string {
  const r = p.report;
  const j = p.job;
  const card = (value: number, label: string, cls = '', extra = '') =>
    `<div class="card ${cls}" data-count="${esc(label)}"><b>${n(value)}</b><span>${esc(label)}${extra ? ` · ${esc(extra)}` : ''}</span></div>`;
  const cards = [
    card(r.recipients, 'recipients'),
    card(r.sent, 'sent', 'good', pct(r.sent, r.recipients)),
    card(r.queued, 'queued'),
    card(r.deferred, 'deferred', r.deferred ? 'warn' : ''),
    card(r.bounced, 'bounced', r.bounced ? 'bad' : '', pct(r.bounced, r.recipients)),
    card(r.suppressed, 'suppressed'),
    card(r.failed, 'failed', r.failed ? 'bad' : ''),
    card(r.uncertain, 'uncertain', r.uncertain ? 'warn' : ''),
    card(r.opened, 'opened', '', pct(r.opened, r.sent)),
    card(r.clicked, 'clicked', '', pct(r.clicked, r.sent)),
    card(r.unsubscribed, 'unsubscribed'),
  ].join('');
  const none = (what: string) => `<p class="muted">${what}</p>`;
  const deliveries = p.timeline
    ? chart(p.timeline, ['sent', 'deferral', 'bounce'], 'Deliveries over time')
    : none('Nothing delivered yet.');
  const engagement =
    p.timeline && (p.timeline.series.open.some((v) => v > 0) || p.timeline.series.click.some((v) => v > 0))
      ? chart(p.timeline, ['open', 'click'], 'Opens and clicks over time')
      : none('No opens or clicks recorded yet. Opens count only where the mail client loads images.');
  const links = r.clicksByLink.length
    ? `<table><thead><tr><th>link</th><th class="num">clicks</th><th class="num">recipients</th></tr></thead><tbody>${r.clicksByLink
        .slice(0, 20)
        .map((l) => `<tr><td class="url">${esc(l.url)}</td><td class="num">${n(l.clicks)}</td><td class="num">${n(l.recipients)}</td></tr>`)
        .join('')}</tbody></table>`
    : none('No clicks yet.');
  const bounces = p.bounces.length
    ? `<table><thead><tr><th>the relay's answer</th><th class="num">recipients</th></tr></thead><tbody>${p.bounces
        .map((b) => `<tr><td>${esc(b.reason)}</td><td class="num">${n(b.recipients)}</td></tr>`)
        .join('')}</tbody></table>`
    : none('No bounces.');
  const errorRows = [
    ...p.errors.map((e) => ({ row: e.row, key: e.recordKey, what: e.channel, message: e.message })),
    // A failed message whose record error is already listed is not listed twice.
    ...p.failed
      .filter((f) => !p.errors.some((e) => e.row === f.row && e.message === f.error))
      .map((f) => ({ row: f.row, key: f.recordKey, what: `email to ${f.recipient ?? '?'}`, message: f.error })),
  ].sort((a, b) => a.row - b.row);
  const errors = errorRows.length
    ? `<p class="muted">${n(p.errorsTotal)} record error${p.errorsTotal === 1 ? '' : 's'}${
        p.errorsTotal > p.errors.length ? ` (the first ${p.errors.length} shown; all at GET /api/v1/jobs/${esc(j.id)}/errors)` : ''
      }, ${n(r.failed)} failed message${r.failed === 1 ? '' : 's'}.</p><table><thead><tr><th class="num">row</th><th>record</th><th>what</th><th>problem</th></tr></thead><tbody>${errorRows
        .map((e) => `<tr><td class="num">${e.row}</td><td>${esc(e.key ?? '')}</td><td>${esc(e.what)}</td><td>${esc(e.message)}</td></tr>`)
        .join('')}</tbody></table>`
    : none('No record errors.');
  const utc = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const when = [
    `created ${utc(j.createdAt)}`,
    j.startedAt ? `started ${utc(j.startedAt)}` : '',
    j.finishedAt ? `finished ${utc(j.finishedAt)}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return page(
    `Report ${j.id}`,
    `<h1>${esc(j.templateId)} v${j.version}: ${esc(j.status)}</h1>
<p class="muted">Job ${esc(j.id)} · ${esc(j.channels.join(' + '))} · ${esc(when)}</p>
<section class="cards" aria-label="counts">${cards}</section>
<h2>Deliveries over time</h2>${deliveries}
<h2>Opens and clicks over time</h2>${engagement}
<h2>Top links</h2>${links}
<h2>Bounces by reason</h2>${bounces}
<h2>Per-record errors</h2>${errors}
<p class="muted">The same numbers as GET /api/v1/jobs/${esc(j.id)}/report (JSON) and /report.csv (one row per recipient). Deferrals, opens and clicks in the charts count events; "deferred", "opened" and "clicked" above count recipients.</p>`,
    CSS,
    '52rem',
  );
}
