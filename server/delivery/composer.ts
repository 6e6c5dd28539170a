import type { TemplateDocument } from '../../shared/model/document';
import type { DataRecord } from '../../shared/http/schemas';

/**
 * The delivery pipeline's view of email composition: a composer is built once per template version
 * (in a worker thread) and turns one record into one message. Delivery owns addressing, tracking,
 * headers and MIME; the composer owns what the message says. The implementation is the shared email
 * engine (shared/compose/email, MJML compiled once per version), so a sent message is exactly the preview.
 */

export interface EmailBuiltins {
  /** The recipient's one-click unsubscribe URL (signed). */
  unsubscribe_url: string;
  /** The message's open-tracking pixel URL (signed); composers place it at the end of the HTML. */
  open_pixel_url: string;
}

export interface ComposedEmail {
  to: string;
  from: { name: string; address: string };
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  category: 'marketing' | 'transactional';
  /**
   * What was left out of this message under the URL policy (shared/links/url-policy.ts): refused links and
   * image sources, one sentence each. The message is still sent; delivery records these as the record's errors.
   */
  problems: string[];
}

export type ComposeResult = { ok: true; email: ComposedEmail } | { ok: false; reason: string };

export interface MessageComposer {
  compose(record: DataRecord, row: number, builtins: EmailBuiltins, rewriteLink: (url: string) => string): ComposeResult;
}

export interface ComposerEnv {
  /** Today (YYYY-MM-DD) for date rules. */
  today: string;
  /** Public URL of a stored asset by content hash (images in mail). */
  assetUrl(sha256: string): string;
  /** Content hashes of Presswork's social icons (server/email/icons.ts), served like any stored asset. */
  socialIcons?: Readonly<Record<string, string>>;
}

export type ComposerFactory = (doc: TemplateDocument, env: ComposerEnv) => Promise<MessageComposer>;
