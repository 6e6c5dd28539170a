import MailComposer from 'nodemailer/lib/mail-composer';
import type { ComposedEmail } from '../../shared/compose/email/compose';

/**
 * One composed email → an RFC 5322 message (multipart/alternative: text/plain then text/html, UTF-8,
 * RFC 2047 encoded-word headers), built by nodemailer's MailComposer.
 */
export interface EmlOptions {
  messageId: string;
  date: Date;
  /** Extra headers, e.g. X-Presswork-Record. */
  headers?: Record<string, string>;
}

export async function toEml(email: ComposedEmail, opts: EmlOptions): Promise<Buffer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (email.category === 'marketing' && email.unsubscribeUrl) {
    headers['List-Unsubscribe'] = `<${email.unsubscribeUrl}>`;
    if (/^https:/i.test(email.unsubscribeUrl)) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  const composer = new MailComposer({
    from: { name: email.from.name, address: email.from.email },
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId: opts.messageId,
    date: opts.date,
    headers,
    textEncoding: 'quoted-printable',
  });
  return new Promise((resolve, reject) => composer.compile().build((err, msg) => (err ? reject(err) : resolve(msg))));
}
