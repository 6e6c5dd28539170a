import type { PreparedEmail } from '../compose/email/compose';
import { isEmailAddress } from '../links/address';
import type { TemplateDocument } from '../model/document';
import { formatPath, quoteValue } from '../model/issues';
import type { BoundRecord } from '../rules/engine';
import type { FindingTarget, Occurrence } from './report';

/**
 * Email checks for one record, on the message the email composer really renders (the precompiled
 * template from the Node side): recipient, unsubscribe link in marketing mail, HTML weight, and what the
 * composer left out — links refused by the URL policy (unsafe-link) and image sources that resolve to
 * nothing (image-not-found) — exactly as `compose email` and delivery report them.
 */

type Emit = (o: Omit<Occurrence, 'channel' | 'record'>) => void;

/** Per-recipient built-ins for preflight: recognisable URLs, so the rendered HTML shows whether they are used. */
export const PREFLIGHT_BUILTINS = {
  unsubscribe_url: 'https://preflight.invalid/unsubscribe',
  view_online_url: 'https://preflight.invalid/view',
} as const;

export interface EmailCheckOptions {
  /** HTML bytes above which the email is reported (Gmail clips at 102 KB). */
  weightLimit: number;
}

export interface EmailChecker {
  /** `addressReported`: the data reader already reported this record's address as unreadable. */
  checkRecord(bound: BoundRecord, emit: Emit, addressReported?: boolean): void;
}

const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;

export function createEmailChecker(doc: TemplateDocument, prepared: PreparedEmail, options: EmailCheckOptions): EmailChecker {
  const email = doc.email;
  if (!email) throw new Error('the template has no email channel');
  // Block id → where it is, so the composer's problems (refused links, images left out) name their block.
  const targets = new Map<string, FindingTarget>();
  email.sections.forEach((section, si) =>
    section.columns.forEach((col, ci) =>
      col.blocks.forEach((block, bi) => {
        targets.set(block.id, { kind: 'block', id: block.id, path: formatPath(['email', 'sections', si, 'columns', ci, 'blocks', bi]) });
      }),
    ),
  );
  const recipientField = doc.data.fields.find((f) => f.name === email.recipientField);
  const recipientTarget: FindingTarget = { kind: 'field', id: email.recipientField };
  const encoder = new TextEncoder();

  return {
    checkRecord(bound, emit, addressReported = false) {
      const r = prepared.render(bound);
      if (!r.ok) {
        emit({ code: 'compose-failed', message: r.reason });
        return;
      }
      // The composer's own verdicts (one policy): links the URL policy refused, image sources that name nothing.
      for (const p of r.email.problems) {
        const target = targets.get(p.id.split('.')[0] ?? p.id);
        emit({ code: p.code, ...(target ? { target } : {}), message: p.message });
      }
      const m = r.email;
      if (addressReported) {
        // One finding per cause: the invalid address is already reported.
      } else if (!m.to)
        emit({
          code: 'email-no-address',
          target: recipientTarget,
          message: `"${email.recipientField}" is empty; this record cannot be emailed`,
        });
      // Fields typed "email" are checked when the data is read; other recipient fields are checked here.
      else if (recipientField?.type !== 'email' && !isEmailAddress(m.to))
        emit({
          code: 'email-invalid-address',
          target: recipientTarget,
          message: `"${email.recipientField}" holds ${quoteValue(m.to)}, which is not a valid email address`,
        });
      if (m.category === 'marketing' && !m.html.includes(PREFLIGHT_BUILTINS.unsubscribe_url))
        emit({
          code: 'email-unsubscribe-missing',
          message: 'this marketing email shows no unsubscribe link ({{ unsubscribe_url }}) to the recipient',
        });
      const bytes = encoder.encode(m.html).length;
      if (bytes > options.weightLimit)
        emit({
          code: 'email-too-heavy',
          message: `the email's HTML is above the ${kb(options.weightLimit)} limit; Gmail clips messages with more than 102 KB of HTML and hides the rest behind "View entire message"`,
        });
    },
  };
}
