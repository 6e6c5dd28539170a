/** The few HTML pages the server shows to people (unsubscribe, development outbox). Every value is escaped. */

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;font-size:14px}button{font:inherit;padding:.5rem 1.2rem}</style></head><body>${body}</body></html>`;

export const resultPage = (title: string, text: string): string => page(title, `<h1>${esc(title)}</h1><p>${esc(text)}</p>`);

export const unsubscribeForm = (action: string): string =>
  page(
    'Unsubscribe',
    `<h1>Unsubscribe</h1><p>Stop receiving these messages?</p><form method="post" action="${esc(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
  );

export const outboxPage = (rows: { file: string; at: string; to: string; subject: string }[], total: number): string =>
  page(
    'Presswork outbox',
    `<h1>Development outbox</h1><p>${total} message${total === 1 ? '' : 's'} written to disk (no SMTP relay is configured)${total > rows.length ? `; the newest ${rows.length} are listed` : ''}.</p>
<table><thead><tr><th>Written</th><th>To</th><th>Subject</th><th>File</th></tr></thead><tbody>${rows
      .map(
        (r) =>
          `<tr><td>${esc(r.at)}</td><td>${esc(r.to)}</td><td>${esc(r.subject)}</td><td><a href="/outbox/${encodeURIComponent(r.file)}">${esc(r.file)}</a></td></tr>`,
      )
      .join('')}</tbody></table>`,
  );
