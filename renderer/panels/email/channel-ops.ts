import type { TemplateDocument } from '../../../shared/model/document';
import { EmailChannelSchema, type EmailChannel } from '../../../shared/model/email';
import { fail, ok, type OpResult } from '../../../shared/ops';

/** The email channel's envelope: what the header editor may change (never the block tree). */
export type EmailEnvelopePatch = Partial<Pick<EmailChannel, 'subject' | 'preheader' | 'from' | 'replyTo' | 'background' | 'font'>>;

const ENVELOPE_KEYS = new Set<string>(['subject', 'preheader', 'from', 'replyTo', 'background', 'font']);

/**
 * Set the email's subject, preheader, sender, reply-to, background or default font (validated with the
 * channel schema; `undefined` removes an optional property). A pure operation for `editor.run`, so the
 * change is one undo step beside the block edits.
 */
export function updateEmailEnvelope(doc: TemplateDocument, args: { patch: EmailEnvelopePatch }): OpResult {
  const email = doc.email;
  if (!email)
    return fail(
      'no-email-channel',
      'This template has no email channel; add one with “Add email channel” above the tabs on the Template screen.',
    );
  const merged: Record<string, unknown> = { ...email };
  for (const [k, v] of Object.entries(args.patch)) {
    if (!ENVELOPE_KEYS.has(k))
      return fail('invalid', `"${k}" is not part of the email header; edit sections and blocks with the block operations.`);
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  const parsed = EmailChannelSchema.safeParse(merged);
  if (!parsed.success)
    return fail(
      'invalid',
      `Cannot set ${Object.keys(args.patch).join(', ')}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}.`,
    );
  // Keep the block tree's identity: only the envelope changed.
  return ok({ ...doc, email: { ...parsed.data, sections: email.sections } });
}

/** Set a column's share of its section's width in percent (1–100), or clear it (`undefined`: split the rest evenly). */
export function setColumnWidth(doc: TemplateDocument, args: { columnId: string; width: number | undefined }): OpResult {
  const email = doc.email;
  if (!email)
    return fail(
      'no-email-channel',
      'This template has no email channel; add one with “Add email channel” above the tabs on the Template screen.',
    );
  if (args.width !== undefined && !(Number.isFinite(args.width) && args.width > 0 && args.width <= 100))
    return fail('out-of-range', 'A column width is a percentage above 0 and at most 100.', [args.columnId]);
  const si = email.sections.findIndex((s) => s.columns.some((c) => c.id === args.columnId));
  const section = email.sections[si];
  if (!section) return fail('not-found', `No email column "${args.columnId}".`, [args.columnId]);
  const columns = section.columns.map((c) => {
    if (c.id !== args.columnId) return c;
    const { width: _old, ...rest } = c;
    return args.width === undefined ? rest : { ...rest, width: args.width };
  });
  const sections = email.sections.slice();
  sections[si] = { ...section, columns };
  return ok({ ...doc, email: { ...email, sections } });
}
