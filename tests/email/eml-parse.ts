/**
 * A minimal RFC 5322 / MIME reader for tests (mailparser is not available from the registry mirror):
 * unfolded headers, RFC 2047 encoded words (B and Q, UTF-8), and the parts of one multipart level
 * decoded from quoted-printable or base64.
 */
export interface ParsedEml {
  headers: Map<string, string>;
  /** Header values with encoded words decoded. */
  header(name: string): string | undefined;
  parts: { contentType: string; body: string }[];
}

const decodeWords = (s: string): string =>
  s.replace(
    /=\?utf-8\?([bq])\?([^?]*)\?=\s*(?==\?)|=\?utf-8\?([bq])\?([^?]*)\?=/gi,
    (_m, e1?: string, t1?: string, e2?: string, t2?: string) => {
      const enc = (e1 ?? e2 ?? 'b').toLowerCase();
      const text = t1 ?? t2 ?? '';
      if (enc === 'b') return Buffer.from(text, 'base64').toString('utf8');
      const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    },
  );

const decodeQp = (s: string): string =>
  Buffer.from(
    s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  ).toString('utf8');

function split(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, at).replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  return { headers, body: raw.slice(at).replace(/^\r?\n\r?\n/, '') };
}

export function parseEml(bytes: Uint8Array): ParsedEml {
  const { headers, body } = split(Buffer.from(bytes).toString('latin1'));
  const ct = headers.get('content-type') ?? '';
  const boundary = /boundary="?([^";]+)"?/.exec(ct)?.[1];
  const parts: ParsedEml['parts'] = [];
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const p = split(chunk.replace(/^\r?\n/, ''));
      const enc = (p.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
      const text =
        enc === 'quoted-printable'
          ? decodeQp(p.body)
          : enc === 'base64'
            ? Buffer.from(p.body, 'base64').toString('utf8')
            : Buffer.from(p.body, 'latin1').toString('utf8');
      parts.push({ contentType: p.headers.get('content-type') ?? '', body: text.replace(/\r?\n$/, '') });
    }
  }
  return {
    headers,
    header: (n) => {
      const v = headers.get(n.toLowerCase());
      return v === undefined ? undefined : decodeWords(v);
    },
    parts,
  };
}
