import { randomBytes } from 'node:crypto';
import { encodeWord, foldLines, quoteString } from 'nodemailer/lib/mime-funcs';
import DKIM from 'nodemailer/lib/dkim';

/**
 * A fast, narrow RFC 5322/2045 message builder for what delivery sends: multipart/alternative with a
 * UTF-8 text part and an HTML part, both base64 (native encoding, safe for any content and line length).
 * Header words outside ASCII are RFC 2047 encoded with nodemailer's encoder; DKIM signing, when
 * configured, is nodemailer's signer over the finished bytes. About ten times cheaper than building
 * each message through a nodemailer transport, which matters at hundreds of messages per second.
 */

export interface MimeMessage {
  from: { name: string; address: string };
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  date: Date;
  /** Extra headers, already valid (ASCII) values. */
  headers?: readonly (readonly [string, string])[];
}

const ASCII_PRINTABLE = /^[\x20-\x7e]*$/;
const ADDRESS = /^[^\s<>()[\]\\,;:"@]+@[^\s<>()[\]\\,;:"@]+$/;

const headerText = (value: string): string => {
  const v = value.replace(/[\r\n]+/g, ' ');
  return ASCII_PRINTABLE.test(v) ? v : encodeWord(v, 'B', 52).split(' ').join('\r\n ');
};

const mailbox = (name: string, address: string): string => {
  if (!ADDRESS.test(address)) throw new Error(`"${address}" is not a deliverable address`);
  const n = name.replace(/[\r\n]+/g, ' ').trim();
  if (!n) return address;
  return `${ASCII_PRINTABLE.test(n) ? quoteString(n) : headerText(n)} <${address}>`;
};

/** Base64 in 76-character lines (RFC 2045). A slice loop: several times faster than a regex on 20 KB parts. */
const base64Lines = (s: string): string => {
  const b64 = Buffer.from(s, 'utf8').toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join('\r\n');
};

export function buildMime(m: MimeMessage): Buffer {
  const boundary = `--_pw_${randomBytes(12).toString('hex')}`;
  const lines = [
    `From: ${mailbox(m.from.name, m.from.address)}`,
    `To: ${mailbox('', m.to)}`,
    ...(m.replyTo ? [`Reply-To: ${mailbox('', m.replyTo)}`] : []),
    foldLines(`Subject: ${headerText(m.subject)}`, 76, true).replace(/\r?\n(?! )/g, '\r\n'),
    `Message-ID: ${m.messageId}`,
    `Date: ${m.date.toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
    ...(m.headers ?? []).map(([k, v]) => `${k}: ${v.replace(/[\r\n]+/g, ' ')}`),
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(m.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(m.html),
    `--${boundary}--`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

export type DkimKey = { domainName: string; keySelector: string; privateKey: string };

/** DKIM-sign finished message bytes (relaxed/relaxed, rsa-sha256) with nodemailer's signer. */
export function dkimSigner(key: DkimKey): (raw: Buffer) => Promise<Buffer> {
  const dkim = new DKIM({ domainName: key.domainName, keySelector: key.keySelector, privateKey: key.privateKey });
  return (raw) =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const out = dkim.sign(raw);
      out.on('data', (c: Buffer) => chunks.push(c));
      out.on('error', reject);
      out.on('end', () => resolve(Buffer.concat(chunks)));
    });
}
