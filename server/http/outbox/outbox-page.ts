import type { OutboxQuery } from '../../../shared/http/outbox';
import { esc, page } from '../pages';

/** The outbox page's HTML: filters, the newest-first list with pages, and one message rendered. Every value is escaped. */

export interface OutboxRow {
  file: string;
  at: string;
  job: string;
  to: string;
  subject: string;
}

export interface OutboxOpened {
  file: string;
  headers: [string, string][];
  html: string | undefined;
  text: string | undefined;
}

export interface OutboxView {
  dir: string;
  total: number;
  matching: number;
  page: number;
  pages: number;
  pageSize: number;
  rows: OutboxRow[];
  query: OutboxQuery;
  opened: OutboxOpened | undefined;
  publicOrigin: string;
}

/** Headers shown first, in this order; the rest follow as written. */
const FIRST = ['subject', 'from', 'to', 'date', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post'];

const CSS = `
h1{margin:.2rem 0}.muted{color:#666;font-size:14px}
form.filters{display:flex;gap:.5rem;flex-wrap:wrap;align-items:end;margin:1rem 0}
form.filters label{display:flex;flex-direction:column;font-size:13px;color:#444}
form.filters input{font:inherit;font-size:14px;padding:.3rem .4rem;border:1px solid #bbb;border-radius:4px;min-width:11rem}
form.filters button{padding:.35rem 1rem}
.layout{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,3fr);gap:1.5rem;align-items:start}
.list{table-layout:fixed}.list th:last-child,.list td:last-child{width:11.5rem}.list .job{font-size:12px;word-break:break-all}.list .when{font-size:12px;white-space:nowrap;color:#666}
.list td{vertical-align:top}.list tr.open td{background:#eef4ff}
.list a{color:#1a4fb5;text-decoration:none}.list a:hover{text-decoration:underline}
.list .subj{font-weight:600}
nav.pager{display:flex;gap:1rem;align-items:center;margin:.8rem 0;font-size:14px}
.message h2{margin:.2rem 0 .6rem;font-size:20px}
.message table.headers td:first-child{white-space:nowrap;color:#555;width:10rem}
.message table.headers td{word-break:break-all;font-size:13px}
.message h3{margin:1.2rem 0 .4rem;font-size:15px}
iframe.html{width:100%;height:640px;border:1px solid #ccc;border-radius:4px;background:#fff}
pre.text{white-space:pre-wrap;background:#f6f6f6;border:1px solid #ddd;border-radius:4px;padding:.8rem;font-size:13px;max-height:30rem;overflow:auto}
@media (max-width:70rem){.layout{grid-template-columns:1fr}}`;

const href = (q: OutboxQuery, change: Partial<OutboxQuery>): string => {
  const merged = { ...q, ...change };
  const p = new URLSearchParams();
  for (const k of ['job', 'to', 'subject', 'page', 'open'] as const) {
    const v = merged[k];
    if (v === undefined || v === '' || (k === 'page' && v === 1)) continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `/outbox?${s}` : '/outbox';
};

/**
 * The message's HTML for the frame: the open-tracking pixel removed (showing the message here must not count as an
 * open), a policy that forbids scripts, and links that open nowhere (the frame is sandboxed without popups or
 * top navigation, and the page's own policy forbids loading anything into a frame).
 */
export function frameDocument(html: string, publicOrigin: string): string {
  const withoutPixel = html.replace(/<img\b[^>]*\/t\/o\/[^>]*>/gi, '');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data: ${publicOrigin}; font-src data: ${publicOrigin}`;
  const head = `<meta http-equiv="Content-Security-Policy" content="${esc(csp)}"><base target="_blank">`;
  return /<head[^>]*>/i.test(withoutPixel) ? withoutPixel.replace(/<head[^>]*>/i, (m) => `${m}${head}`) : `${head}${withoutPixel}`;
}

function messageSection(m: OutboxOpened, publicOrigin: string): string {
  const ordered = [
    ...FIRST.flatMap((n) => m.headers.filter(([h]) => h === n)),
    ...m.headers.filter(([h]) => !FIRST.includes(h) && h !== 'content-type' && h !== 'mime-version'),
  ];
  const subject = m.headers.find(([h]) => h === 'subject')?.[1] ?? '(no subject)';
  return `<section class="message" aria-label="message"><h2>${esc(subject)}</h2>
<p class="muted">${esc(m.file)} · <a href="/outbox/${encodeURIComponent(m.file)}" download>download .eml</a></p>
<table class="headers"><tbody>${ordered.map(([h, v]) => `<tr><td>${esc(h)}</td><td>${esc(v)}</td></tr>`).join('')}</tbody></table>
<h3>HTML part</h3>${
    m.html === undefined
      ? '<p class="muted">This message has no HTML part.</p>'
      : `<iframe class="html" title="HTML part of the message" sandbox="" referrerpolicy="no-referrer" srcdoc="${esc(frameDocument(m.html, publicOrigin))}"></iframe>
<p class="muted">Shown without scripts; links are not followed and the open pixel is left out, so viewing here records nothing.</p>`
  }
<h3>Text part</h3>${m.text === undefined ? '<p class="muted">This message has no text part.</p>' : `<pre class="text">${esc(m.text)}</pre>`}</section>`;
}

export function outboxHtml(v: OutboxView): string {
  const q = v.query;
  const filtered = Boolean(q.job || q.to || q.subject);
  const first = v.matching === 0 ? 0 : (v.page - 1) * v.pageSize + 1;
  const last = Math.min(v.matching, v.page * v.pageSize);
  const summary =
    v.total === 0
      ? 'No messages yet. Run an email job (docs/api.md) and they appear here.'
      : `${v.total} message${v.total === 1 ? '' : 's'} written to disk (no SMTP relay is configured)${
          filtered ? `; ${v.matching} match the filters` : ''
        }. Showing ${first}–${last}, newest first.`;
  const filters = `<form class="filters" method="get" action="/outbox">
<label>Job<input name="job" value="${esc(q.job ?? '')}" placeholder="job_…"></label>
<label>Recipient<input name="to" value="${esc(q.to ?? '')}" placeholder="name@example.org"></label>
<label>Subject<input name="subject" value="${esc(q.subject ?? '')}" placeholder="text in the subject"></label>
<button type="submit">Filter</button>${filtered ? ' <a href="/outbox">Clear filters</a>' : ''}</form>`;
  const rows = v.rows
    .map(
      (r) =>
        `<tr${v.opened?.file === r.file ? ' class="open"' : ''}><td><a class="subj" href="${esc(href(q, { open: r.file }))}">${esc(r.subject || '(no subject)')}</a><br>${esc(r.to)}</td><td><span class="when">${esc(r.at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</span><br><a class="job" href="${esc(href({ page: 1 }, { job: r.job === '(real-time)' ? 'msg' : r.job }))}" title="only this job">${esc(r.job)}</a></td></tr>`,
    )
    .join('');
  const pager =
    v.pages > 1
      ? `<nav class="pager" aria-label="pages">${v.page > 1 ? `<a href="${esc(href(q, { page: v.page - 1, open: undefined }))}">‹ Newer</a>` : '<span class="muted">‹ Newer</span>'}<span>Page ${v.page} of ${v.pages}</span>${
          v.page < v.pages
            ? `<a href="${esc(href(q, { page: v.page + 1, open: undefined }))}">Older ›</a>`
            : '<span class="muted">Older ›</span>'
        }</nav>`
      : '';
  const list = `<div><table class="list"><thead><tr><th>Subject and recipient</th><th>Written and job</th></tr></thead><tbody>${
    rows || `<tr><td colspan="2" class="muted">${filtered ? 'No message matches these filters.' : 'No messages.'}</td></tr>`
  }</tbody></table>${pager}</div>`;
  return page(
    'Presswork outbox',
    `<h1>Development outbox</h1><p class="muted">${esc(summary)} Folder: <code>${esc(v.dir)}</code></p>${filters}<div class="layout">${list}${
      v.opened ? messageSection(v.opened, v.publicOrigin) : '<div></div>'
    }</div>`,
    CSS,
    '100rem',
  );
}
