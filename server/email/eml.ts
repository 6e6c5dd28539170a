import type { ComposedEmail } from '../../shared/compose/email/compose';
import { writeMessageBytes } from '../../shared/compose/email/mime';

/**
 * One composed email → an RFC 5322 message (multipart/alternative: text/plain then text/html, UTF-8,
 * quoted-printable bodies, RFC 2047 encoded-word headers), written by the shared message writer
 * (shared/compose/email/mime.ts) — the per-recipient path `presswork compose email` takes and
 * `npm run bench` measures.
 */
export interface EmlOptions {
  messageId: string;
  date: Date;
  /** Extra headers, e.g. X-Presswork-Record (values are encoded when they need it). */
  headers?: Record<string, string>;
}

export function toEml(email: ComposedEmail, opts: EmlOptions): Buffer {
  if (!email.to) throw new Error('the message has no recipient; check the channel recipient field');
  const headers: [string, string][] = Object.entries(opts.headers ?? {});
  if (email.category === 'marketing' && email.unsubscribeUrl) {
    headers.push(['List-Unsubscribe', `<${email.unsubscribeUrl}>`]);
    if (/^https:/i.test(email.unsubscribeUrl)) headers.push(['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click']);
  }
  const raw = writeMessageBytes({
    from: { name: email.from.name, address: email.from.email },
    to: email.to,
    ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId: opts.messageId,
    date: opts.date,
    headers,
  });
  return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
}
