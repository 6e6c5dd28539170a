/**
 * THE URL policy for every value that lands in an `href` or `src` of a composed message, whatever the
 * field type it came from (email text links, image links, buttons, social links, image sources, and
 * Liquid inside a raw block's href/src). QR and barcode payloads are data, not links, and are exempt.
 *
 * Allowed: `http:` and `https:` with a host, `mailto:` and `tel:`. Everything else is refused: other
 * schemes (`javascript:`, `data:`, `vbscript:`, `file:`), relative and protocol-relative addresses
 * (`/path`, `//host`, `page.html`), backslash tricks (`https:\\host`), and control characters anywhere.
 * A browser deletes tabs and line breaks inside a URL and ignores case in the scheme, so those are removed
 * before the scheme is read: `java\tscript:` and `JaVaScRiPt:` are both `javascript:` here, as there.
 *
 * A refused URL is dropped from the link (the message keeps the text without a working link) and
 * reported: by preflight as `unsafe-link`, by `compose email` and by delivery in the record's errors.
 */

export const ALLOWED_LINK_SCHEMES = ['http', 'https', 'mailto', 'tel'] as const;

export type LinkCheck = { ok: true; url: string } | { ok: false; reason: string };

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/** Characters a browser removes from anywhere in a URL before parsing it (WHATWG URL: ASCII tab or newline). */
const TAB_NEWLINE = /[\t\n\r]/g;

const hasControl = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || (c >= 127 && c <= 159)) return true;
  }
  return false;
};

const shown = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);

/**
 * Check one URL as it will stand in the message. An empty value is allowed (no link); `url` is the value
 * with surrounding spaces and any tab or line break removed.
 */
export function checkLinkUrl(raw: string): LinkCheck {
  // Leading and trailing C0 controls and spaces are stripped by browsers; tabs and newlines anywhere.
  // eslint-disable-next-line no-control-regex
  const url = raw.replace(TAB_NEWLINE, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (url === '') return { ok: true, url };
  if (hasControl(url)) return { ok: false, reason: `${shown(raw)} contains control characters` };
  const m = SCHEME.exec(url);
  if (!m) return { ok: false, reason: `${shown(raw)} is not an absolute address; write it with https://` };
  const scheme = m[1]!.toLowerCase();
  if (!(ALLOWED_LINK_SCHEMES as readonly string[]).includes(scheme))
    return {
      ok: false,
      reason: `${shown(raw)} uses "${scheme}:", which is not allowed in a link (only ${ALLOWED_LINK_SCHEMES.join(', ')})`,
    };
  if (scheme === 'http' || scheme === 'https') {
    if (url.includes('\\')) return { ok: false, reason: `${shown(raw)} contains a backslash` };
    if (!/^[A-Za-z]+:\/\/[^/?#\s]+/.test(url)) return { ok: false, reason: `${shown(raw)} has no host name` };
  } else if (url.length === scheme.length + 1) return { ok: false, reason: `${shown(raw)} is empty after "${scheme}:"` };
  return { ok: true, url };
}

/** The URL if the policy allows it, else '' (the link is dropped). */
export const safeLinkUrl = (raw: string): string => {
  const r = checkLinkUrl(raw);
  return r.ok ? r.url : '';
};
