/** The few HTML pages the server shows to people (unsubscribe; the outbox and report pages build on `page`). Every value is escaped. */

export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A whole page: the house style, plus `css` for pages that need more (outbox, reports). */
export const page = (title: string, body: string, css = '', maxWidth = '60rem'): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:${maxWidth};margin:2rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;font-size:14px}button{font:inherit;padding:.5rem 1.2rem}${css}</style></head><body>${body}</body></html>`;

export const resultPage = (title: string, text: string): string => page(title, `<h1>${esc(title)}</h1><p>${esc(text)}</p>`);

export const unsubscribeForm = (action: string): string =>
  page(
    'Unsubscribe',
    `<h1>Unsubscribe</h1><p>Stop receiving these messages?</p><form method="post" action="${esc(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
  );
