/**
 * One composed email → an RFC 5322 message: multipart/alternative (text/plain, then text/html), UTF-8,
 * bodies in quoted-printable (or base64), header text outside ASCII as RFC 2047 encoded-words.
 *
 * Pure and Buffer-free (shared/ has no Node built-ins): the result is a string; every header and body
 * line is 7-bit ASCII (addresses pass the one address check, shared/links/address.ts, which is ASCII). Hosts turn it into bytes
 * with `utf8Bytes` (or Buffer.from(s, 'utf8')). Nothing here reads a clock or makes randomness: the date
 * and Message-ID come in, and the boundary is derived from the Message-ID. It starts with `=_`, which a
 * quoted-printable or base64 body can never contain, so it cannot collide with the content.
 *
 * Encoders work in one pass over the string's UTF-16 code units (the content is mostly ASCII; the UTF-8
 * bytes of other characters are computed inline), which is what keeps them cheap per message.
 */

import { isEmailAddress } from '../../links/address';

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
  /** Write ASCII display names as quoted strings even when they are plain atoms (`"Mesa Verde" <a@b>`). */
  quoteNames?: boolean;
}

export class MessageAddressError extends Error {
  readonly code = 'bad-address';
  constructor(address: string) {
    super(`${JSON.stringify(address.slice(0, 80))} is not a deliverable address; fix the recipient or sender field`);
    this.name = 'MessageAddressError';
  }
}

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

/** A growable byte buffer (the message is built as bytes: no per-character strings). */
class ByteSink {
  buf: Uint8Array;
  len = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }
  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  /** Append text: ASCII byte by byte, anything else as UTF-8. */
  text(s: string): void {
    this.reserve(s.length);
    const buf = this.buf;
    let len = this.len;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128) {
        this.len = len;
        this.bytes(encoder.encode(s.slice(i)));
        return;
      }
      buf[len++] = c;
    }
    this.len = len;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  result(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

const HEX_BYTES = Uint8Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0));
/** Byte classes for quoted-printable: printable ASCII but `=` is literal; CR and LF may break a line; space and tab are blanks. */
const LITERAL = 0;
const BREAK = 1;
const BLANK = 2;
const ESCAPE = 3;
const QP_CLASS = Uint8Array.from({ length: 256 }, (_, b) =>
  b === 10 || b === 13 ? BREAK : b === 32 || b === 9 ? BLANK : b >= 33 && b <= 126 && b !== 61 ? LITERAL : ESCAPE,
);

/**
 * Quoted-printable (RFC 2045 §6.7) of a text's UTF-8 encoding into `out`, straight from the string:
 * line breaks (LF or CRLF) become CRLF hard breaks, `=` and bytes outside printable ASCII are `=XX`, a
 * space or tab before a break (or at the end) is encoded, and lines are soft-wrapped (`=` CRLF) at 76
 * characters without splitting an escape. Works in blocks so the buffer grows with the output, not
 * with the worst case.
 */
function quotedPrintableInto(s: string, out: ByteSink): void {
  const n = s.length;
  let col = 0;
  let i = 0;
  while (i < n) {
    const end = Math.min(n, i + 512);
    // At most 12 output bytes per code unit (4 escapes for a surrogate pair's two units, soft breaks included).
    out.reserve((end - i) * 12 + 16);
    const buf = out.buf;
    let o = out.len;
    while (i < end) {
      const c = s.charCodeAt(i);
      const kind = c < 128 ? QP_CLASS[c]! : ESCAPE;
      if (kind === LITERAL) {
        if (col === 75) {
          buf[o++] = 61;
          buf[o++] = 13;
          buf[o++] = 10;
          col = 0;
        }
        buf[o++] = c;
        col++;
        i++;
        continue;
      }
      if (kind === BREAK && (c === 10 || s.charCodeAt(i + 1) === 10)) {
        buf[o++] = 13;
        buf[o++] = 10;
        col = 0;
        i += c === 13 ? 2 : 1;
        continue;
      }
      if (kind === BLANK) {
        // Literal unless a line break or the end follows.
        const next = i + 1 < n ? s.charCodeAt(i + 1) : 10;
        const escape = next === 10 || (next === 13 && s.charCodeAt(i + 2) === 10);
        const width = escape ? 3 : 1;
        if (col + width > 75) {
          buf[o++] = 61;
          buf[o++] = 13;
          buf[o++] = 10;
          col = 0;
        }
        if (escape) {
          buf[o++] = 61;
          buf[o++] = HEX_BYTES[c >> 4]!;
          buf[o++] = HEX_BYTES[c & 15]!;
        } else buf[o++] = c;
        col += width;
        i++;
        continue;
      }
      // Escapes: one byte below 128, else the character's UTF-8 bytes, kept on one line together.
      let cp = c;
      let used = 1;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          used = 2;
        }
      }
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // a lone surrogate: the replacement character, as TextEncoder writes it
      const count = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (col + count * 3 > 75) {
        buf[o++] = 61;
        buf[o++] = 13;
        buf[o++] = 10;
        col = 0;
      }
      for (let k = count - 1; k >= 0; k--) {
        const b = count === 1 ? cp : k === count - 1 ? ((0xf0 << (4 - count)) & 0xff) | (cp >> (6 * k)) : 0x80 | ((cp >> (6 * k)) & 63);
        buf[o++] = 61;
        buf[o++] = HEX_BYTES[b >> 4]!;
        buf[o++] = HEX_BYTES[b & 15]!;
      }
      col += count * 3;
      i += used;
    }
    out.len = o;
  }
}

const B64_BYTES = Uint8Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', (c) => c.charCodeAt(0));

/** Base64 of bytes into `out`; with `lineLength` (a multiple of 4), CRLF-separated lines of that many characters. */
function base64Into(src: Uint8Array, out: ByteSink, lineLength = 0): void {
  const n = src.length;
  const chars = Math.ceil(n / 3) * 4;
  out.reserve(chars + (lineLength ? Math.ceil(chars / lineLength) * 2 : 0));
  const buf = out.buf;
  let o = out.len;
  let col = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    if (lineLength && col === lineLength) {
      buf[o++] = 13;
      buf[o++] = 10;
      col = 0;
    }
    const v = (src[i]! << 16) | (src[i + 1]! << 8) | src[i + 2]!;
    buf[o++] = B64_BYTES[v >> 18]!;
    buf[o++] = B64_BYTES[(v >> 12) & 63]!;
    buf[o++] = B64_BYTES[(v >> 6) & 63]!;
    buf[o++] = B64_BYTES[v & 63]!;
    col += 4;
  }
  if (i < n) {
    if (lineLength && col === lineLength) {
      buf[o++] = 13;
      buf[o++] = 10;
    }
    const v = (src[i]! << 16) | ((i + 1 < n ? src[i + 1]! : 0) << 8);
    buf[o++] = B64_BYTES[v >> 18]!;
    buf[o++] = B64_BYTES[(v >> 12) & 63]!;
    buf[o++] = i + 1 < n ? B64_BYTES[(v >> 6) & 63]! : 61;
    buf[o++] = 61;
  }
  out.len = o;
}

/** The UTF-8 bytes of a string (TextEncoder exists in Node, browsers and workers alike). */
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');
/** The platform's native base64 of a binary string (Node, browsers and workers have it; typed here, see env.d.ts). */
const nativeBtoa = (globalThis as { btoa?: (binary: string) => string }).btoa;
const encodeInto = (encoder as unknown as { encodeInto?: (s: string, into: Uint8Array) => unknown }).encodeInto?.bind(encoder);
/** One character per UTF-8 byte of a run of non-ASCII text (what btoa takes). */
const binaryRun = (run: string): string => {
  const b = encoder.encode(run);
  let out = '';
  for (let i = 0; i < b.length; i += 4096) out += String.fromCharCode(...b.subarray(i, i + 4096));
  return out;
};

/**
 * Base64 of a text's UTF-8 bytes in 76-character CRLF lines into `out`, through the platform's native
 * `btoa` (several times faster than the byte loop above on a 20 KB HTML part): non-ASCII runs are first
 * turned into their UTF-8 bytes as characters, and the lines are moved into place with copyWithin.
 */
function base64TextInto(s: string, out: ByteSink): void {
  if (!nativeBtoa || !encodeInto) {
    base64Into(encoder.encode(s), out, 76);
    return;
  }
  const b64 = nativeBtoa(s.replace(/[\x80-\uffff]+/g, binaryRun));
  const n = b64.length;
  const lines = Math.ceil(n / 76);
  out.reserve(n + lines * 2);
  const buf = out.buf;
  let o = out.len;
  // The base64 text lands past where its CRLFs will go, then each line moves forward into place.
  const tail = o + lines * 2;
  encodeInto(b64, buf.subarray(tail, tail + n));
  for (let i = 0; i < n; i += 76) {
    if (i) {
      buf[o++] = 13;
      buf[o++] = 10;
    }
    const e = Math.min(n, i + 76);
    buf.copyWithin(o, tail + i, tail + e);
    o += e - i;
  }
  out.len = o;
}

export const utf8Bytes = (s: string): Uint8Array => encoder.encode(s);

/** Quoted-printable of a text's UTF-8 bytes, CRLF line ends (see quotedPrintableInto). */
export function encodeQuotedPrintable(s: string): string {
  const out = new ByteSink(s.length + 16);
  quotedPrintableInto(s, out);
  return decoder.decode(out.result());
}

/** Base64 of bytes; with `lineLength`, CRLF-separated lines of that many characters (RFC 2045: 76). */
export function encodeBase64(bytes: Uint8Array, lineLength = 0): string {
  const out = new ByteSink(16);
  base64Into(bytes, out, lineLength);
  return decoder.decode(out.result());
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Header lines are folded to this many characters (RFC 5322 §2.1.1 SHOULD); 998 is the hard limit. */
export const HEADER_LINE = 78;
/** The longest run of UTF-8 bytes in one encoded-word: 39 bytes → 52 base64 characters, 64 with the wrapper. */
const WORD_BYTES = 39;
/** `=?UTF-8?B?` and `?=` around each encoded-word. */
const WORD_WRAPPER = 12;

/**
 * RFC 2047 B encoded-words for a header text, split between characters (never inside one), joined by
 * folding (CRLF + space; the space between two encoded-words is not part of the text). `used` is how
 * many characters the line already holds before the first word (e.g. `Subject: `), so that the first
 * line too stays within 78 characters.
 */
export function encodeWords(text: string, used = 0): string {
  const words: string[] = [];
  const bytes: number[] = [];
  const cp: number[] = [];
  // The first word gets what is left of its line; every other word starts a line of its own (after a space).
  let limit = Math.max(3, Math.min(WORD_BYTES, Math.floor((HEADER_LINE - used - WORD_WRAPPER) / 4) * 3));
  let i = 0;
  while (i < text.length) {
    cp.length = 0;
    const used2 = utf8At(text, i, cp);
    if (bytes.length + cp.length > limit && bytes.length) {
      words.push(`=?UTF-8?B?${encodeBase64(Uint8Array.from(bytes))}?=`);
      bytes.length = 0;
      limit = WORD_BYTES;
    }
    bytes.push(...cp);
    i += used2;
  }
  if (bytes.length) words.push(`=?UTF-8?B?${encodeBase64(Uint8Array.from(bytes))}?=`);
  return words.join('\r\n ');
}

/** True when folding at spaces cannot keep the text within the line (a word longer than a line). */
function hasLongWord(v: string, used: number): boolean {
  let start = 0;
  let first = true;
  while (start <= v.length) {
    let sp = v.indexOf(' ', start);
    if (sp < 0) sp = v.length;
    const len = sp - start;
    if (len > 0 && (first ? used + len > HEADER_LINE : len + 1 > HEADER_LINE)) return true;
    if (len > 0) first = false;
    start = sp + 1;
  }
  return false;
}

/**
 * An unstructured header value: one line (CR/LF flattened), folded at spaces to 78 characters; text
 * outside printable ASCII, or with a word too long for a line (a 5,000-character record key), is written as
 * encoded-words, which fold anywhere between characters. No line of the result exceeds 78 characters.
 */
export function headerText(value: string, nameLength: number): string {
  const v = /[\r\n]/.test(value) ? value.replace(/[\r\n]+/g, ' ') : value;
  if (!PRINTABLE_ASCII.test(v) || hasLongWord(v, nameLength + 2)) return encodeWords(v, nameLength + 2);
  return fold(v, nameLength + 2);
}

/** Fold an ASCII value at spaces so lines stay within 78 characters (callers make sure every word fits). */
function fold(v: string, used: number): string {
  if (used + v.length <= HEADER_LINE) return v;
  let out = '';
  let lineLen = used;
  let from = 0;
  while (from < v.length) {
    let sp = v.indexOf(' ', from + 1);
    if (sp < 0) sp = v.length;
    const word = v.slice(from, sp);
    if (lineLen + word.length > HEADER_LINE && out !== '' && word.trim() !== '') {
      out += '\r\n';
      lineLen = 0;
    }
    out += word;
    lineLen += word.length;
    from = sp;
  }
  return out;
}

/** Header fields whose value is a list of `<URL>`s (RFC 2369 and RFC 8058). */
const URL_LIST_HEADERS = new Set(['list-unsubscribe', 'list-subscribe', 'list-help', 'list-post', 'list-owner', 'list-archive']);

/**
 * A list of angle-bracketed URLs (`<https://…>, <mailto:…>`), folded to 78 characters: between the items,
 * and inside a URL too long for a line, where the folding whitespace is not part of the URL (RFC 3986
 * appendix C; RFC 2369 §2 encloses these URLs in angle brackets for this reason). Encoded-words are not
 * allowed here, so a non-ASCII character is percent-encoded.
 */
function urlList(value: string, nameLength: number): string {
  const v = value
    .replace(/[\r\n\t ]+/g, (m, at: number) => (value[at - 1] === ',' ? ' ' : ''))
    .replace(/[^\x21-\x7e ]/g, (c) => encodeURIComponent(c));
  let out = '';
  let lineLen = nameLength + 2;
  for (const item of v.split(/(?<=,) /)) {
    if (out !== '' && lineLen + 1 + Math.min(item.length, HEADER_LINE - 1) > HEADER_LINE) {
      out += '\r\n ';
      lineLen = 1;
    } else if (out !== '') {
      out += ' ';
      lineLen++;
    }
    let rest = item;
    while (lineLen + rest.length > HEADER_LINE) {
      const room = Math.max(1, HEADER_LINE - lineLen);
      out += `${rest.slice(0, room)}\r\n `;
      rest = rest.slice(room);
      lineLen = 1;
    }
    out += rest;
    lineLen += rest.length;
  }
  return out;
}

const ATOM_PHRASE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?: [A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;

/** The length of the last line of a folded value. */
const lastLine = (s: string, used: number): number => {
  const at = s.lastIndexOf('\r\n');
  return at < 0 ? used + s.length : s.length - at - 2;
};

/**
 * `Name <address>`: the name as atoms, a quoted string, or encoded-words; the address checked by the one
 * address check (shared/links/address.ts). Folded to 78 characters after `used` characters of the line
 * (an address of up to 254 characters stands on a line of its own).
 */
export function mailbox(name: string, address: string, quote = false, used = 0): string {
  if (!isEmailAddress(address)) throw new MessageAddressError(address);
  const n = name.replace(/[\r\n]+/g, ' ').trim();
  if (!n) return address;
  let phrase: string;
  if (!quote && ATOM_PHRASE.test(n) && !hasLongWord(n, used)) phrase = fold(n, used);
  else if (PRINTABLE_ASCII.test(n) && !hasLongWord(`"${n}"`, used)) phrase = fold(`"${n.replace(/(["\\])/g, '\\$1')}"`, used);
  else phrase = encodeWords(n, used);
  return lastLine(phrase, used) + 2 + address.length + 1 > HEADER_LINE ? `${phrase}\r\n <${address}>` : `${phrase} <${address}>`;
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

/** The whole message as bytes, CRLF line ends (see the module note). */
export function writeMessageBytes(m: MessageInput): Uint8Array {
  const encoding = m.encoding ?? 'quoted-printable';
  const boundary = m.boundary ?? boundaryFor(m.messageId);
  if (!/^=_[A-Za-z0-9=_.-]{1,68}$/.test(boundary)) throw new Error(`boundary "${boundary}" must start with =_ (see writeMessage)`);
  let head = `From: ${mailbox(m.from.name, m.from.address, m.quoteNames, 6)}\r\nTo: ${mailbox('', m.to)}\r\n`;
  if (m.replyTo) head += `Reply-To: ${mailbox('', m.replyTo)}\r\n`;
  head += `Subject: ${headerText(m.subject, 7)}\r\n`;
  head += `Message-ID: ${m.messageId.replace(/[\r\n]+/g, '')}\r\nDate: ${messageDate(m.date)}\r\nMIME-Version: 1.0\r\n`;
  for (const [k, v] of m.headers ?? []) {
    if (!HEADER_NAME.test(k)) throw new Error(`"${k}" is not a header name`);
    head += `${k}: ${URL_LIST_HEADERS.has(k.toLowerCase()) ? urlList(v, k.length) : headerText(v, k.length)}\r\n`;
  }
  head += `Content-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n`;
  const out = new ByteSink(head.length + 512 + Math.ceil((m.text.length + m.html.length) * (encoding === 'base64' ? 1.4 : 1.1)));
  out.text(head);
  for (const [type, content] of [
    ['text/plain', m.text],
    ['text/html', m.html],
  ] as const) {
    out.text(`--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n`);
    if (encoding === 'base64') base64TextInto(content, out);
    else quotedPrintableInto(content, out);
    out.text('\r\n');
  }
  out.text(`--${boundary}--\r\n`);
  return out.result();
}

/** The whole message as a string (writeMessageBytes decoded). */
export const writeMessage = (m: MessageInput): string => decoder.decode(writeMessageBytes(m));
