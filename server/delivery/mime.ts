import DKIM from 'nodemailer/lib/dkim';
import { writeMessageBytes, type MessageInput } from '../../shared/compose/email/mime';

/**
 * Delivery's messages, written by the shared message writer (shared/compose/email/mime.ts, the one
 * `presswork compose email` uses): multipart/alternative with a UTF-8 text part and an HTML part, both
 * base64 (the writer's byte-table encoder: a third cheaper than its quoted-printable on these 20 KB HTML
 * parts, and safe for any content and line length), RFC 2047 encoded-word headers, addresses checked
 * against header injection. Delivery adds its headers (List-Unsubscribe, Precedence) and, when configured,
 * DKIM over the finished bytes with nodemailer's signer.
 */

/** What delivery hands the writer: the writer's own input (one shape, one place). */
export type MimeMessage = MessageInput;

/** The message's bytes as a Buffer over the writer's own ArrayBuffer (no copy; never Node's shared pool). */
export function buildMime(m: MimeMessage): Buffer {
  const raw = writeMessageBytes({ ...m, encoding: 'base64', quoteNames: true });
  return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
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
