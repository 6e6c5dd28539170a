/** HTML escaping for text and attribute values (the five characters that matter in both). */
const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => (/[&<>"']/.test(s) ? s.replace(/[&<>"']/g, (c) => ESC[c]!) : s);

/** Exact inverse of escapeHtml and of liquidjs's `escape` (which writes &#34; and &#39;). */
export const unescapeHtml = (s: string): string =>
  s.includes('&')
    ? s.replace(/&(amp|lt|gt|quot|#34|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#34': '"', '#39': "'" })[e]!)
    : s;

export type Segment = { liquid: false; text: string } | { liquid: true; text: string };

/** Split a Liquid source into literal text and `{{ … }}` / `{% … %}` markup (a `{% raw %}` block stays one piece). */
export function splitLiquid(source: string): Segment[] {
  const out: Segment[] = [];
  const re = /\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
  let last = 0;
  for (const m of source.matchAll(re)) {
    if (m.index > last) out.push({ liquid: false, text: source.slice(last, m.index) });
    out.push({ liquid: true, text: m[0] });
    last = m.index + m[0].length;
  }
  if (last < source.length) out.push({ liquid: false, text: source.slice(last) });
  return out;
}
