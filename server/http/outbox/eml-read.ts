/**
 * Reads the messages the development outbox wrote (shared/compose/email/mime.ts): unfolded headers with RFC 2047
 * encoded words decoded, and the text and HTML parts of one multipart level (or a single part) decoded from
 * quoted-printable or base64. Enough for the messages Presswork writes; not a general MIME parser.
 */

export interface ReadEml {
  /** Header names in lower case, values unfolded and decoded, in the order they appear. */
  headers: [string, string][];
  header(name: string): string;
  text: string | undefined;
  html: string | undefined;
}

/** RFC 2047 encoded words (B and Q, any charset Node knows; UTF-8 in practice); adjacent words join without space. */
export const decodeWords = (s: string): string =>
  s.replace(/=\?([^?]+)\?([bq])\?([^?]*)\?=(\s+(?==\?))?/gi, (_m, charset: string, enc: string, text: string) => {
    const bytes =
      enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64')
        : Buffer.from(
            text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          );
    try {
      return new TextDecoder(charset.toLowerCase(), { fatal: false }).decode(bytes);
    } catch {
      return bytes.toString('utf8');
    }
  });

const decodeQp = (s: string): Buffer =>
  Buffer.from(
    s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  );

function split(raw: string): { headers: [string, string][]; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const headEnd = at < 0 ? raw.length : at;
  const head = raw.slice(0, headEnd).replace(/\r?\n[ \t]+/g, ' ');
  const headers: [string, string][] = [];
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.push([line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim()]);
  }
  return { headers, body: at < 0 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '') };
}

const get = (headers: [string, string][], name: string) => headers.find(([n]) => n === name)?.[1] ?? '';

function decodeBody(headers: [string, string][], body: string): string {
  const enc = get(headers, 'content-transfer-encoding').toLowerCase();
  const bytes = enc === 'quoted-printable' ? decodeQp(body) : enc === 'base64' ? Buffer.from(body, 'base64') : Buffer.from(body, 'latin1');
  return bytes.toString('utf8');
}

/** Only the header block (for lists: the first few kilobytes of a file are enough). */
export function readEmlHeaders(raw: string): [string, string][] {
  return split(raw).headers.map(([n, v]) => [n, decodeWords(v)]);
}

export function readEml(bytes: Uint8Array): ReadEml {
  const { headers, body } = split(Buffer.from(bytes).toString('latin1'));
  const ct = get(headers, 'content-type');
  let text: string | undefined;
  let html: string | undefined;
  const boundary = /boundary="?([^";]+)"?/i.exec(ct)?.[1];
  const take = (partHeaders: [string, string][], partBody: string) => {
    const type = get(partHeaders, 'content-type').toLowerCase();
    if (type.startsWith('text/html')) html ??= decodeBody(partHeaders, partBody);
    else if (type.startsWith('text/plain') || type === '') text ??= decodeBody(partHeaders, partBody);
  };
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const p = split(chunk.replace(/^\r?\n/, ''));
      take(p.headers, p.body.replace(/\r?\n$/, ''));
    }
  } else take(headers, body);
  const decoded = headers.map(([n, v]): [string, string] => [n, decodeWords(v)]);
  return { headers: decoded, header: (name) => get(decoded, name.toLowerCase()), text, html };
}
