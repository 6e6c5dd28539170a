/**
 * One composed email → an RFC 5322 message: multipart/alternative (text/plain, then text/html), UTF-8,
 * bodies in quoted-printable (or base64), header text outside ASCII as RFC 2047 encoded-words.
 *
 * Pure and Buffer-free (shared/ has no Node built-ins): the result is a string; every header and body
 * line is 7-bit ASCII except a non-ASCII address, which stays UTF-8 (SMTPUTF8). Hosts turn it into bytes
 * with `utf8Bytes` (or Buffer.from(s, 'utf8')). Nothing here reads a clock or makes randomness: the date
 * and Message-ID come in, and the boundary is derived from the Message-ID. It starts with `=_`, which a
 * quoted-printable or base64 body can never contain, so it cannot collide with the content.
 *
 * Encoders work in one pass over the string's UTF-16 code units (the content is mostly ASCII; the UTF-8
 * bytes of other characters are computed inline), which is what keeps them cheap per message.
 */

export interface MessageInput {
  from: { name: string; address: string };
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** `<id@domain>` */
  messageId: string;
  date: Date;
  /** Extra headers; values are made safe (line breaks flattened, non-ASCII encoded). */
  headers?: readonly (readonly [string, string])[];
  /** Body encoding of both parts (default quoted-printable: compact for mostly-ASCII content). */
  encoding?: 'quoted-printable' | 'base64';
  /** Override the derived boundary (must start with `=_` and be at most 70 characters of [A-Za-z0-9=_.-]). */
  boundary?: string;
}

export class MessageAddressError extends Error {
  readonly code = 'bad-address';
  constructor(address: string) {
    super(`"${address}" is not a deliverable address; fix the recipient or sender field`);
    this.name = 'MessageAddressError';
  }
}

const HEX = '0123456789ABCDEF';
const hex2 = (b: number) => `=${HEX[b >> 4]!}${HEX[b & 15]!}`;

/** UTF-8 bytes of the code point at s[i] (i may start a surrogate pair); returns how many code units it used. */
function utf8At(s: string, i: number, out: number[]): number {
  let c = s.charCodeAt(i);
  let used = 1;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) {
      c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      used = 2;
    }
  }
  if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate: the replacement character, as TextEncoder writes it
  if (c < 0x80) out.push(c);
  else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
  else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  return used;
}

/**
 * Quoted-printable (RFC 2045 §6.7) of the UTF-8 text: line breaks (LF or CRLF) become CRLF hard breaks,
 * `=` and bytes outside printable ASCII are `=XX`, a space or tab before a break is encoded, and lines
 * are soft-wrapped (`=` CRLF) at 76 characters without splitting an escape.
 */
export function encodeQuotedPrintable(s: string): string {
  const chunks: string[] = [];
  let line = '';
  const bytes: number[] = [];
  const n = s.length;
  let start = 0; // start of the current run of literal characters in s (appended lazily, in slices)
  let i = 0;
  const flushRun = (end: number) => {
    // Append s[start, end) — printable ASCII only — with soft breaks where a line fills up.
    while (start < end) {
      const room = 75 - line.length;
      if (room <= 0) {
        chunks.push(line, '=\r\n');
        line = '';
        continue;
      }
      const take = Math.min(room, end - start);
      line += s.slice(start, start + take);
      start += take;
    }
  };
  const put = (piece: string) => {
    if (line.length + piece.length > 75) {
      chunks.push(line, '=\r\n');
      line = '';
    }
    line += piece;
  };
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c >= 33 && c <= 126 && c !== 61) {
      i++;
      continue;
    }
    flushRun(i);
    if (c === 10 || (c === 13 && s.charCodeAt(i + 1) === 10)) {
      chunks.push(line, '\r\n');
      line = '';
      i += c === 13 ? 2 : 1;
    } else if (c === 32 || c === 9) {
      const next = s.charCodeAt(i + 1);
      const atEnd = i + 1 === n || next === 10 || (next === 13 && s.charCodeAt(i + 2) === 10);
      put(atEnd ? hex2(c) : c === 32 ? ' ' : '\t');
      i++;
    } else {
      bytes.length = 0;
      i += utf8At(s, i, bytes);
      let esc = '';
      for (const b of bytes) esc += hex2(b);
      put(esc);
    }
    start = i;
  }
  flushRun(n);
  chunks.push(line);
  return chunks.join('');
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The UTF-8 bytes of a string (TextEncoder exists in Node, browsers and workers alike). */
const encoder = new TextEncoder();
export const utf8Bytes = (s: string): Uint8Array => encoder.encode(s);

/** Base64 of bytes; with `lineLength`, CRLF-separated lines of that many characters (RFC 2045: 76). */
export function encodeBase64(bytes: Uint8Array, lineLength = 0): string {
  const out: string[] = [];
  let line = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    line += B64[v >> 18]! + B64[(v >> 12) & 63]! + B64[(v >> 6) & 63]! + B64[v & 63]!;
    if (lineLength && line.length >= lineLength) {
      out.push(line);
      line = '';
    }
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | ((i + 1 < n ? bytes[i + 1]! : 0) << 8);
    line += B64[v >> 18]! + B64[(v >> 12) & 63]! + (i + 1 < n ? B64[(v >> 6) & 63]! : '=') + '=';
  }
  if (line) out.push(line);
  return out.join(lineLength ? '\r\n' : '');
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** The longest run of UTF-8 bytes in one encoded-word: 39 bytes → 52 base64 characters, 64 with the wrapper. */
const WORD_BYTES = 39;

/** RFC 2047 B encoded-words for a header text, split between characters (never inside one), joined by folding. */
export function encodeWords(text: string): string {
  const words: string[] = [];
  const bytes: number[] = [];
  const cp: number[] = [];
  let i = 0;
  while (i < text.length) {
    cp.length = 0;
    const used = utf8At(text, i, cp);
    if (bytes.length + cp.length > WORD_BYTES) {
      words.push(`=?UTF-8?B?${encodeBase64(Uint8Array.from(bytes))}?=`);
      bytes.length = 0;
    }
    bytes.push(...cp);
    i += used;
  }
  if (bytes.length) words.push(`=?UTF-8?B?${encodeBase64(Uint8Array.from(bytes))}?=`);
  return words.join('\r\n ');
}

/** An unstructured header value: one line (CR/LF flattened), ASCII kept as is (folded at spaces), anything else encoded. */
export function headerText(value: string, nameLength: number): string {
  const v = /[\r\n]/.test(value) ? value.replace(/[\r\n]+/g, ' ') : value;
  if (!PRINTABLE_ASCII.test(v)) return encodeWords(v);
  return fold(v, nameLength + 2);
}

/** Fold an ASCII value at spaces so lines stay within 78 characters where the words allow (998 at most). */
function fold(v: string, used: number): string {
  if (used + v.length <= 78) return v;
  let out = '';
  let lineLen = used;
  let from = 0;
  while (from < v.length) {
    let sp = v.indexOf(' ', from + 1);
    if (sp < 0) sp = v.length;
    const word = v.slice(from, sp);
    if (lineLen + word.length > 78 && out !== '' && word.trim() !== '') {
      out += '\r\n';
      lineLen = 0;
    }
    out += word;
    lineLen += word.length;
    from = sp;
  }
  return out;
}

// Specials and spaces are not allowed in the (unquoted) local part or domain; neither are control characters.
const ADDRESS = /^[^\s<>()[\]\\,;:"@]+@[^\s<>()[\]\\,;:"@]+$/;
const hasControl = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 127) return true;
  }
  return false;
};
const ATOM_PHRASE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?: [A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;

/** `Name <address>`: the name as atoms, a quoted string, or encoded-words; the address checked. */
export function mailbox(name: string, address: string): string {
  if (!ADDRESS.test(address) || hasControl(address)) throw new MessageAddressError(address);
  const n = name.replace(/[\r\n]+/g, ' ').trim();
  if (!n) return address;
  if (ATOM_PHRASE.test(n)) return `${n} <${address}>`;
  if (PRINTABLE_ASCII.test(n)) return `"${n.replace(/(["\\])/g, '\\$1')}" <${address}>`;
  return `${encodeWords(n)} <${address}>`;
}

/** RFC 5322 date-time in UTC: `Sun, 22 Nov 2026 09:00:00 +0000`. */
export const messageDate = (d: Date): string => d.toUTCString().replace(/GMT$/, '+0000');

const HEADER_NAME = /^[!-9;-~]+$/;

/** A boundary from the Message-ID (FNV-1a), so the same message is always written the same way. */
function boundaryFor(messageId: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < messageId.length; i++) {
    const c = messageId.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `=_pw_${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}`;
}

function body(content: string, encoding: 'quoted-printable' | 'base64'): string {
  return encoding === 'base64' ? encodeBase64(utf8Bytes(content), 76) : encodeQuotedPrintable(content);
}

/** The whole message as a string with CRLF line ends (see the module note for its bytes). */
export function writeMessage(m: MessageInput): string {
  const encoding = m.encoding ?? 'quoted-printable';
  const boundary = m.boundary ?? boundaryFor(m.messageId);
  if (!/^=_[A-Za-z0-9=_.-]{1,68}$/.test(boundary)) throw new Error(`boundary "${boundary}" must start with =_ (see writeMessage)`);
  let head = `From: ${mailbox(m.from.name, m.from.address)}\r\nTo: ${mailbox('', m.to)}\r\n`;
  if (m.replyTo) head += `Reply-To: ${mailbox('', m.replyTo)}\r\n`;
  head += `Subject: ${headerText(m.subject, 7)}\r\n`;
  head += `Message-ID: ${m.messageId.replace(/[\r\n]+/g, '')}\r\nDate: ${messageDate(m.date)}\r\nMIME-Version: 1.0\r\n`;
  for (const [k, v] of m.headers ?? []) {
    if (!HEADER_NAME.test(k)) throw new Error(`"${k}" is not a header name`);
    head += `${k}: ${headerText(v, k.length)}\r\n`;
  }
  head += `Content-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n`;
  const part = (type: string, content: string) =>
    `--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n${body(content, encoding)}\r\n`;
  return `${head}${part('text/plain', m.text)}${part('text/html', m.html)}--${boundary}--\r\n`;
}
